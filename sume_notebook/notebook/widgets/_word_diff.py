"""Word-level differences between prompts: what they share, and the words that make each one different.

Prompts of one iteration share most of their words, so a comparison shows the common part once and, for each
prompt, marks only the words that differ (`<mark>`), the way LangSmith's compare view and a code review mark a
change. The matching is difflib's (longest common runs of words), which keeps word order; words are compared as
written, so "Fox" and "fox" differ.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from ...client.reprs import esc

__all__ = ["GAP", "Marked", "common_text", "common_words", "marked_against", "marked_against_common"]


@dataclass(frozen=True)
class Marked:
    """One prompt as runs of words: `(text, changed)`; `removed` are the reference's words it dropped."""

    runs: tuple[tuple[str, bool], ...]
    removed: tuple[str, ...] = ()

    @property
    def changed_words(self) -> list[str]:
        return [word for text, changed in self.runs if changed for word in text.split()]

    def html(self) -> str:
        """The prompt with its differing words in `<mark>` and the dropped ones struck through after it."""
        body = " ".join(f"<mark>{esc(text)}</mark>" if changed else esc(text) for text, changed in self.runs)
        if self.removed:
            body += f' <del title="in the baseline, not here">{esc(" ".join(self.removed))}</del>'
        return body

    def text(self) -> str:
        """Plain text with the differing words in [brackets]."""
        return " ".join(f"[{text}]" if changed else text for text, changed in self.runs)


def _matcher(reference: Sequence[str], words: Sequence[str]) -> difflib.SequenceMatcher[str]:
    return difflib.SequenceMatcher(None, list(reference), list(words), autojunk=False)


def common_words(prompts: Sequence[str]) -> list[str]:
    """The words every prompt has, in order: the first prompt's words kept by a match with each of the others."""
    if not prompts:
        return []
    common = prompts[0].split()
    for prompt in prompts[1:]:
        blocks = _matcher(common, prompt.split()).get_matching_blocks()
        common = [word for block in blocks for word in common[block.a:block.a + block.size]]
    return common


GAP = "…"


def common_text(prompts: Sequence[str]) -> str:
    """The shared words as they read in the first prompt, with `…` where the prompts differ:
    "a … in deep snow at …" rather than "a in deep snow at"."""
    if not prompts:
        return ""
    runs, _ = _runs(common_words(prompts), prompts[0].split())
    return " ".join(GAP if changed else text for text, changed in runs)


def _runs(reference: Sequence[str], words: Sequence[str]) -> tuple[tuple[tuple[str, bool], ...], tuple[str, ...]]:
    runs: list[tuple[str, bool]] = []
    removed: list[str] = []
    for tag, a1, a2, b1, b2 in _matcher(reference, words).get_opcodes():
        if b2 > b1:
            runs.append((" ".join(words[b1:b2]), tag != "equal"))
        if tag in ("delete", "replace"):
            removed += reference[a1:a2]
    return tuple(runs), tuple(removed)


def marked_against(prompt: str, reference: str) -> Marked:
    """`prompt` with the words that differ from `reference` (a baseline) marked, and the ones it dropped."""
    runs, removed = _runs(reference.split(), prompt.split())
    return Marked(runs, removed)


def marked_against_common(prompt: str, common: Sequence[str]) -> Marked:
    """`prompt` with every word outside the part all prompts share marked (nothing is "dropped" from a common part)."""
    runs, _ = _runs(list(common), prompt.split())
    return Marked(runs)

"""What a comparison says about each job: its prompt and the options a person compares, as short text.

A job made in this process carries its request; a job given by id is looked up in the journal (the body it was
created with, journalled through the redactor). Options are named as a person reads them, and reference URLs are
shown by count and file name only (the redacted URL has no query, but a whole URL is noise in a label).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..._redaction import redact

__all__ = ["COMPARED_OPTIONS", "Facts", "facts_of", "differing_options"]

# request field(s) -> how a person names the option, in the order they are shown
COMPARED_OPTIONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("aspect_ratio",), "aspect ratio"),
    (("resolution",), "resolution"),
    (("duration", "duration_seconds"), "duration"),
    (("quality",), "quality"),
    (("generate_audio",), "audio"),
    (("reference_image_urls", "reference_video_urls"), "references"),
    (("avatar_id", "avatar_slug", "avatar_ids"), "avatar"),
)


@dataclass(frozen=True)
class Facts:
    """A job as a comparison labels it: its kind, prompt (the script of an ad) and the compared options."""

    job_type: str
    prompt: str
    options: Mapping[str, str]


def _reference_names(urls: Sequence[Any]) -> str:
    names = [urlsplit(str(url)).path.rsplit("/", 1)[-1] or str(url) for url in urls]
    return f"{len(names)} ({', '.join(names)})" if names else ""


def _shown(field: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if field.startswith("reference_"):
        return _reference_names(value if isinstance(value, list) else [value])
    if field.startswith("duration"):
        return f"{value} s"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def facts_of(job_type: str | None, request: Mapping[str, Any] | None) -> Facts:
    """The facts of one job from the body it was created with (None or {} when unknown: no prompt, no options)."""
    request = request or {}
    prompt = request.get("prompt") or request.get("script") or ""
    options: dict[str, str] = {}
    for fields, name in COMPARED_OPTIONS:
        shown = " + ".join(s for s in (_shown(f, request.get(f)) for f in fields) if s)
        if shown:
            options[name] = shown
    return Facts(job_type or "job", redact(" ".join(str(prompt).split())), options)


def differing_options(facts: Sequence[Facts]) -> tuple[dict[str, str], list[dict[str, str]]]:
    """(the options every job shares, each job's options that differ from the others); a missing one reads "default"."""
    names = [name for _, name in COMPARED_OPTIONS if any(name in f.options for f in facts)]
    shared: dict[str, str] = {}
    differing: list[dict[str, str]] = [{} for _ in facts]
    for name in names:
        values = [f.options.get(name, "default") for f in facts]
        if len(set(values)) == 1:
            shared[name] = values[0]
        else:
            for own, value in zip(differing, values, strict=True):
                own[name] = value
    return shared, differing

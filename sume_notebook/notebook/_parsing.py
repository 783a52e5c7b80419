"""The magics' option parsers: argparse that never exits the kernel, and the options shared by several magics.

Option names follow the Sume CLI of the seeds, so a line can move between a terminal and a notebook unchanged.
A bad line raises IPython's `UsageError` (shown without a traceback) carrying the usage line and what was wrong;
`--help` prints the help and raises `HelpShown`, which the magics treat as a finished command.
"""

from __future__ import annotations

import argparse
import difflib
import keyword
import shlex
from collections.abc import Collection, Sequence
from typing import Any, NoReturn

from IPython.core.error import UsageError

from .._redaction import redact

__all__ = [
    "HelpShown",
    "LIST_BRAND_REFERENCES",
    "MagicParser",
    "USE_CONFIGURED_DIR",
    "add_kind_options",
    "add_list_options",
    "add_output_options",
    "add_journal_filters",
    "add_wait_options",
    "positive_number",
    "generate_parser",
    "prompt_parser",
    "split_line",
    "usage_error",
]

USE_CONFIGURED_DIR = "<download_dir>"  # `--download` without a directory: SumeMagics.download_dir


class HelpShown(Exception):
    """`--help` was asked for and printed: the command is done."""


class MagicParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors become `UsageError` and whose help returns instead of exiting."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, exit_on_error=False, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise usage_error(self, message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if status == 0:
            raise HelpShown()
        raise usage_error(self, message or "invalid arguments")

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        """As argparse, but words this parser (or subcommand: each parses its own words first) does not know are
        an error here, where its options are known, so a misspelt option gets "did you mean --prompt?"."""
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}{self._suggestion(extras)}")
        return parsed, extras

    def _suggestion(self, words: list[str]) -> str:
        """` (did you mean --prompt?)` for a misspelt option; for several, each with the word it replaces."""
        known = [option for option in self._option_string_actions if option.startswith("--")]
        guesses = {}
        for word in (w.split("=", 1)[0] for w in words if w.startswith("--")):
            close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
            if close:
                guesses[word] = close[0]
        if not guesses:
            return ""
        if len(guesses) == 1:
            return f" (did you mean {next(iter(guesses.values()))}?)"
        return " (did you mean " + ", ".join(f"{right} for {wrong}" for wrong, right in guesses.items()) + "?)"

    def parse(self, line: str) -> argparse.Namespace:
        """Parse a magic line."""
        return self.parse_words(split_line(self, line))

    def parse_words(self, words: list[str]) -> argparse.Namespace:
        """Parse words; argparse's own `ArgumentError`s get the same usage treatment as `error()`."""
        try:
            return self.parse_args(words)
        except argparse.ArgumentError as exc:
            raise usage_error(self, str(exc)) from None


def usage_error(parser: argparse.ArgumentParser, message: str) -> UsageError:
    """The usage line and what was wrong, as IPython shows usage errors: without a traceback."""
    return UsageError(redact(f"{parser.format_usage().strip()}\n{parser.prog}: error: {message}"))


def split_line(parser: argparse.ArgumentParser, line: str) -> list[str]:
    """Shell-like words (quotes group, backslashes escape); an unbalanced quote is a usage error."""
    try:
        return shlex.split(line)
    except ValueError as exc:
        raise usage_error(parser, f"cannot split the line: {exc}") from None


def _variable(value: str) -> str:
    if not value.isidentifier() or keyword.iskeyword(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a valid Python variable name")
    return value


def positive_number(value: str) -> float:
    """An argparse type: a finite number above zero (seconds, a time scale)."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not 0 < number < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number (got {value})")
    return number


def add_output_options(parser: argparse.ArgumentParser, *, json: bool = True) -> None:
    """`-o VAR` (assign instead of showing) and `--json` (sanitized JSON instead of a card or widget)."""
    parser.add_argument("-o", "--output", metavar="VAR", type=_variable, help="assign the result to VAR in the notebook")
    if json:
        parser.add_argument("--json", action="store_true", help="show the sanitized JSON instead of a card or widget")


def add_journal_filters(parser: argparse.ArgumentParser) -> None:
    """Which journalled jobs (`%sume history`, `%sume export`): `--all` notebooks, `--since`, `--kind`, and the
    ones a person picked: `--starred`, `--tag T`, `--min-rating N`."""
    parser.add_argument("--all", action="store_true", help="every notebook's and script's jobs, not only this one's")
    parser.add_argument("--since", metavar="WHEN",
                        help="created since: an ISO date/time (2026-11-30T09:00) or an age (1h, 2d)")
    parser.add_argument("--kind", help="image, video, ad, face-swap or analysis")
    parser.add_argument("--starred", action="store_true", help="only starred jobs (the shortlist)")
    parser.add_argument("--tag", metavar="TAG", help="only jobs with this tag")
    parser.add_argument("--min-rating", metavar="N", type=int, choices=range(1, 6),
                        help="only jobs rated at least N stars (1 to 5)")


def add_list_options(parser: argparse.ArgumentParser, default_limit: int | None = None) -> None:
    """`--limit N` and `--cursor C` (seed 003: "Page through results"), `-o VAR` and `--json`, which prints the
    page with its `next_cursor` so a script can continue where it stopped."""
    more = f" (default {default_limit})" if default_limit else ""
    parser.add_argument("--limit", type=int, default=default_limit, metavar="N", help=f"page size{more}")
    parser.add_argument("--cursor", metavar="CURSOR", help="continue from a next_cursor that --json printed")
    add_output_options(parser)


def add_wait_options(parser: argparse.ArgumentParser, *, wait_flag: bool = True, download: bool = True) -> None:
    """`--wait`, `--timeout S` and `--download [DIR]`, as the CLI spells them."""
    if wait_flag:
        parser.add_argument("--wait", action="store_true", help="block until the job ends and show its result")
    parser.add_argument("--timeout", metavar="S", type=positive_number,
                        help="stop waiting after S seconds (the job keeps running)")
    if download:
        parser.add_argument(
            "--download", metavar="DIR", nargs="?", const=USE_CONFIGURED_DIR,
            help="wait, then save the outputs into DIR (default: SumeMagics.download_dir)",
        )


LIST_BRAND_REFERENCES = "<list>"  # `--brand-references` without a value: list them, send nothing

# Every option of the text a create takes (one per kind) and of its request, by argparse dest: the names and help
# of the CLI. Which ones a kind accepts is cmd/_requests.py's table; `%sume_generate` takes them all and checks.
_TEXT_OPTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "prompt": ("--prompt", {"help": "image and video: the prompt"}),
    "script": ("--script", {"help": "ad: the script, 3 to 1800 characters"}),
    "url": ("--url", {"help": "analysis: a public TikTok or Instagram Reel URL"}),
}
_REQUEST_OPTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "aspect_ratio": ("--aspect-ratio", {"metavar": "RATIO", "help": "image 1:1, 4:5, 9:16; video e.g. 9:16; face swap 16:9 ..."}),
    "n": ("--n", {"metavar": "COUNT", "type": int, "help": "image outputs per job (one reliable output today)"}),
    "resolution": ("--resolution", {"help": "image: a Sume resolution; video: 480p or 720p"}),
    "quality": ("--quality", {"help": "image quality"}),
    "reference_image_url": ("--reference-image-url", {"metavar": "URL", "action": "append",
                                                      "help": "HTTPS reference image (repeat)"}),
    "brand_references": ("--brand-references", {
        "metavar": "1,3|IDS|all", "nargs": "?", "const": LIST_BRAND_REFERENCES,
        "help": "add reference images of the current Brand DNA, by index or id (all: every one); "
                "without a value, list them and send nothing"}),
    "duration": ("--duration", {"metavar": "SECONDS", "type": float, "help": "video 4 to 15; ad and face swap length"}),
    "generate_audio": ("--generate-audio", {"action": "store_true", "help": "video: ask for audio where supported"}),
    "ad_format": ("--ad-format", {"metavar": "FORMAT", "help": "ad: talking_heads, ugc_ads or video"}),
    "avatar_id": ("--avatar-id", {"metavar": "ID", "action": "append",
                                  "help": "ad: the avatar; face swap: repeat for 1 to 5"}),
    "avatar_slug": ("--avatar-slug", {"metavar": "SLUG", "help": "ad: the avatar by slug"}),
    "locale": ("--locale", {"help": "ad: en or ko"}),
    "reference_video_url": ("--reference-video-url", {"metavar": "URL", "action": "append",
                                                      "help": "ad (format video): repeat"}),
    "source_video": ("--source-video", {"metavar": "PATH|URL",
                                        "help": "face swap: a local file (uploaded first) or its Sume media URL"}),
    "trim_start": ("--trim-start", {"metavar": "SECONDS", "type": float, "help": "face swap: start of the source used"}),
    "trim_end": ("--trim-end", {"metavar": "SECONDS", "type": float, "help": "face swap: end of the source used"}),
}


def _add_create_options(parser: argparse.ArgumentParser, only: Collection[str] | None = None) -> None:
    """The CLI's create options (`only`: those dests, for a command of one kind)."""
    media = parser.add_argument_group("request options" if only else
                                      "request options (see the CLI: not every kind takes every option)")
    for dest, (flag, options) in _REQUEST_OPTIONS.items():
        if only is None or dest in only:
            media.add_argument(flag, dest=dest, **options)


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    add_wait_options(parser)
    add_output_options(parser)
    parser.add_argument("--dry-run", action="store_true", help="show the validated request; send nothing")
    parser.add_argument("--new", action="store_true", help="start a new job even if an identical one is still running")


def generate_parser() -> MagicParser:
    from ..client import KINDS  # the kinds come from the client's table; loaded when a parser is first built

    parser = MagicParser(
        prog="%sume_generate",
        usage=f"%(prog)s {{{','.join(KINDS)}}} [options]",
        description="Create a Sume job and watch it. Without --wait the cell returns once the job is accepted.",
        epilog="Examples:\n  %sume_generate image --prompt \"a red fox, studio light\" --aspect-ratio 4:5\n"
        "  %sume_generate video --prompt \"waves at dusk\" --duration 6 --wait -o clip\n"
        "  %sume_generate face-swap --source-video talk.mp4 --avatar-id avt_mia --avatar-id avt_leo",
    )
    parser.add_argument("kind", choices=tuple(KINDS), help="what to create")
    for flag, options in _TEXT_OPTIONS.values():
        parser.add_argument(flag, **options)
    _add_create_options(parser)
    _add_run_options(parser)
    return parser


def add_kind_options(parser: argparse.ArgumentParser, options: Collection[str]) -> None:
    """What one kind's own command takes (`sume images generate`): its options among `%sume_generate`'s, same
    names and help, so both spellings build the same request."""
    for dest, (flag, text) in _TEXT_OPTIONS.items():
        if dest in options:
            parser.add_argument(flag, **text)
    _add_create_options(parser, options)
    _add_run_options(parser)


def prompt_parser() -> MagicParser:
    from ..client import KINDS

    kinds = tuple(kind for kind, endpoint in KINDS.items() if endpoint.text_field)  # the cell fills that field
    parser = MagicParser(
        prog="%%sume_prompt",
        usage=f"%(prog)s [{{{','.join(kinds)}}}] [options]",
        description="The cell is the prompt (the script for an ad). {name} takes a notebook variable ({{ and }} are "
        "literal braces); a list, tuple or range variable makes one job per combination, shown as one grid.",
        epilog="Example:\n  %%sume_prompt image --aspect-ratio 9:16\n  a {style} poster of a {animal}",
    )
    parser.add_argument("kind", nargs="?", default="image", choices=kinds, help="what to create (default: image)")
    _add_create_options(parser)
    _add_run_options(parser)
    parser.add_argument("--yes", action="store_true", help="allow more jobs than SumeMagics.max_batch")
    parser.add_argument("--rows", metavar="VAR", help="the list variable down the grid's rows (default: the first)")
    parser.add_argument("--cols", metavar="VAR", help="the list variable across the grid's columns (default: the second)")
    return parser

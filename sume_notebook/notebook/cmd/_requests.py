"""From parsed magic options to create requests, validated by the client's `prepare()` before anything is sent.

Each kind accepts the options the Sume CLI gives it; another kind's option is a usage error, not silently dropped.
`SumeMagics` traits fill the options a line leaves out, and an error in such a value names the trait. A local
`--source-video` file and `--brand-references` are stood in for by placeholders until the request is sent.
"""

from __future__ import annotations

import argparse
import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from IPython.core.error import UsageError

from ...client import KINDS, InvalidRequestError, prepare_request
from .._parsing import MagicParser
from ..error_handler import invalid_request

if TYPE_CHECKING:
    from .._context import Context

__all__ = ["Request", "build_request", "create_method", "kind_options", "shown_body", "validated"]

# kind (a row of the client's table of kinds) -> {option (argparse dest): the prepare() argument it fills}; None: handled apart (brand references)
_OPTIONS: dict[str, dict[str, str | None]] = {
    "image": {"prompt": "prompt", "aspect_ratio": "aspect_ratio", "n": "n", "resolution": "resolution",
              "quality": "quality", "reference_image_url": "reference_image_urls", "brand_references": None},
    "video": {"prompt": "prompt", "aspect_ratio": "aspect_ratio", "duration": "duration", "resolution": "resolution",
              "generate_audio": "generate_audio"},
    "ad": {"script": "script", "ad_format": "ad_format", "avatar_id": "avatar_id", "avatar_slug": "avatar_slug",
           "locale": "locale", "duration": "duration_seconds", "reference_image_url": "reference_image_urls",
           "reference_video_url": "reference_video_urls", "brand_references": None},
    "face-swap": {"source_video": "source_video_url", "avatar_id": "avatar_ids", "duration": "duration_seconds",
                  "trim_start": "trim_start_seconds", "trim_end": "trim_end_seconds", "aspect_ratio": "aspect_ratio"},
    "analysis": {"url": "url"},
}
_ALL_OPTIONS = sorted({name for options in _OPTIONS.values() for name in options})
_CONFIGURED = ("aspect_ratio", "resolution", "quality")  # options whose default is a SumeMagics trait
BRAND_PLACEHOLDER = "<the current Brand DNA's reference images>"


@dataclass
class Request:
    """One create as the magics understand it: the `prepare()` arguments and what must happen when it is sent."""

    kind: str
    kwargs: dict[str, Any]
    label: str | None = None
    brand_references: str | None = None  # which Brand DNA references to add: "1,3", ids, "all" (see _brand.py)
    source_file: Path | None = None
    options: dict[str, str] = field(default_factory=dict)  # prepare() argument -> how the user named it
    configured: dict[str, str] = field(default_factory=dict)  # prepare() argument -> the trait that filled it


def kind_options(kind: str) -> tuple[str, ...]:
    """The options (argparse dests) a kind takes, for its own command's parser."""
    return tuple(_OPTIONS[kind])


def create_method(client: Any, kind: str) -> Any:
    """The blocking create method of `kind` on a `Sume` client."""
    endpoint = KINDS[kind]
    return getattr(getattr(client, endpoint.resource), endpoint.method)


def _given(value: Any) -> bool:
    return value is not None and value is not False


def _source(parser: MagicParser, value: str | None) -> tuple[str | None, Path | None]:
    """A URL as it is; a local file as a placeholder URL plus the path to upload when the request is sent."""
    if value is None or value.startswith(("http://", "https://")):
        return value, None
    path = Path(value).expanduser()
    if not path.is_file():
        raise UsageError(f"{parser.format_usage().strip()}\n{parser.prog}: error: --source-video: no such file: {value}")
    return f"https://local-upload.invalid/{quote(path.name)}", path


def build_request(
    parser: MagicParser, args: argparse.Namespace, context: Context, kind: str, text: str | None = None,
    label: str | None = None,
) -> Request:
    """The request of one line (or one prompt of a matrix: `text` replaces `--prompt`/`--script`)."""
    options = _OPTIONS[kind]
    wrong = [name for name in _ALL_OPTIONS if name not in options and _given(getattr(args, name, None))]
    if wrong:
        listed = ", ".join("--" + name.replace("_", "-") for name in wrong)
        accepted = ", ".join("--" + name.replace("_", "-") for name in options)
        raise UsageError(f"{parser.format_usage().strip()}\n{parser.prog}: error: {kind} does not take {listed} "
                         f"(it takes {accepted})")
    request = Request(kind, {}, label, brand_references=getattr(args, "brand_references", None))
    for name, argument in options.items():
        if argument is None:
            continue
        value = getattr(args, name, None)
        request.options[argument] = "--" + name.replace("_", "-")
        if name in _CONFIGURED and value is None and getattr(context.settings, name) is not None:
            value = getattr(context.settings, name)
            request.configured[argument] = f"SumeMagics.{name}"
        if name == "generate_audio":
            value = value or None
        elif name == "avatar_id" and kind == "ad" and value:
            if len(value) > 1:
                raise UsageError(f"{parser.format_usage().strip()}\n{parser.prog}: error: an ad takes one --avatar-id")
            value = value[0]
        elif name == "source_video":
            value, request.source_file = _source(parser, value)
        request.kwargs[argument] = value
    if text is not None:
        argument = KINDS[kind].text_field or "prompt"
        request.kwargs[argument] = text
        request.options[argument] = "the cell"
    return request


def validated(parser: MagicParser, request: Request) -> dict[str, Any]:
    """The body `prepare()` builds; every refused field becomes a usage error naming the option (or trait)."""
    try:
        return prepare_request(request.kind, **request.kwargs)
    except InvalidRequestError as exc:
        fields = []
        for problem in exc.fields:
            argument = problem.field.split("[", 1)[0]
            name = request.options.get(argument, problem.field)
            trait = request.configured.get(argument)
            where = f" [{request.label}]" if request.label else ""
            fields.append((name + where, problem.message + (f" (from %config {trait})" if trait else "")))
        raise invalid_request(parser.format_usage().strip(), fields) from None


def shown_body(request: Request, body: dict[str, Any]) -> dict[str, Any]:
    """The body as a dry run shows it: placeholders say what happens when it is sent."""
    shown = copy.deepcopy(body)
    if request.source_file is not None:
        shown["source_video_url"] = f"<{request.source_file.name}, uploaded when sent>"
    if request.brand_references:
        shown["reference_image_urls"] = [*shown.get("reference_image_urls", []), BRAND_PLACEHOLDER]
    return shown

"""`%sume images generate`, `videos generate`, `ads create`, `face-swap create`, `reference-analysis create`.

One command per row of the client's table of kinds, named as the seeds' CLI names it (the row's resource, dashed,
and its create method). Each takes its own kind's options of `%sume_generate` and runs through the same request
builder, so `%sume images generate --prompt X` and `%sume_generate image --prompt X` send the same request, and
`sume images generate --prompt X` in a terminal does too.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ...client import KINDS
from .._parsing import MagicParser, add_kind_options
from ._requests import build_request, kind_options
from ._run import run_requests

if TYPE_CHECKING:
    import pandas as pd

    from .._context import Context

__all__ = ["add_parser", "command_name"]

_WHAT = {"image": "an image", "video": "a video", "ad": "an AI ad video", "face-swap": "face swap jobs (one per avatar)",
         "analysis": "a Reference Analysis of a public TikTok or Instagram Reel"}


def command_name(kind: str) -> tuple[str, str]:
    """(resource, verb) of a kind's command: `images generate`, `face-swap create`, ..."""
    endpoint = KINDS[kind]
    return endpoint.resource.replace("_", "-"), endpoint.method


def add_parser(commands: Any) -> None:
    for kind, endpoint in KINDS.items():
        resource, verb = command_name(kind)
        parser = commands.add_parser(resource, help=f"{resource}: {verb}",
                                     description=f"Create {_WHAT[kind]} (POST {endpoint.path}).")
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        action = actions.add_parser(verb, help=f"create {_WHAT[kind]}; --wait to wait, --download to save",
                                    description=f"Create {_WHAT[kind]} (POST {endpoint.path}). Spends credits: "
                                    "--dry-run shows the request and sends nothing.")
        add_kind_options(action, kind_options(kind))
        action.set_defaults(run=run, kind=kind, parser=action)


def run(context: Context, args: argparse.Namespace) -> pd.DataFrame | None:
    parser: MagicParser = args.parser
    return run_requests(context, parser, args, [build_request(parser, args, context, args.kind)])

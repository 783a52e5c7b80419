"""`%sume me`: who the key belongs to (email and ids masked)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .._parsing import add_output_options
from ._output import present_object

if TYPE_CHECKING:
    from .._context import Context

__all__ = ["add_parser"]


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("me", help="the user, workspace and key behind the API key",
                                 description="Show the user, workspace and key metadata of the API key in use.")
    add_output_options(parser)
    parser.set_defaults(run=run)


def run(context: Context, args: argparse.Namespace) -> None:
    present_object(context, args, context.session.client().me())

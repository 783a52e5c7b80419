"""`%sume pending`: journalled jobs not yet seen to finish, ready for `%sume jobs attach ID`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .._parsing import add_output_options
from ._output import present_frame

if TYPE_CHECKING:
    import pandas as pd

    from .._context import Context

__all__ = ["add_parser"]


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("pending", help="jobs not yet seen to finish, as a DataFrame",
                                 description="Jobs the journal saw accepted but not finish: attach with `%sume jobs attach ID`.")
    add_output_options(parser, json=False)
    parser.set_defaults(run=run)


def run(context: Context, args: argparse.Namespace) -> pd.DataFrame | None:
    from ...client import pending_frame

    return present_frame(context, args, pending_frame())

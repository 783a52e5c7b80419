"""`%sume history`: every job this machine's journal remembers, as a DataFrame."""

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
    parser = commands.add_parser("history", help="every journalled job and request, as a DataFrame",
                                 description="The local job journal (SUME_NOTEBOOK_HOME): one row per job or refused create.")
    add_output_options(parser, json=False)
    parser.set_defaults(run=run)


def run(context: Context, args: argparse.Namespace) -> pd.DataFrame | None:
    from ...client import history

    return present_frame(context, args, history())

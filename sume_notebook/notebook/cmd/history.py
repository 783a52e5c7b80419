"""`%sume history`: the jobs this notebook's journal remembers (`--all`: every notebook's), as a DataFrame; the
shortlist with `--starred`, `--tag T`, `--min-rating N`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .._parsing import add_output_options, add_journal_filters
from ._output import present_frame

if TYPE_CHECKING:
    import pandas as pd

    from .._context import Context

__all__ = ["add_parser"]


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "history", help="this notebook's journalled jobs and requests, as a DataFrame",
        description="The local job journal (SUME_NOTEBOOK_HOME): one row per job or job-less create, of this "
                    "notebook unless --all.")
    add_journal_filters(parser)
    parser.add_argument("--status", help="e.g. completed, failed, running, rejected, unresolved")
    add_output_options(parser, json=False)
    parser.set_defaults(run=run)


def run(context: Context, args: argparse.Namespace) -> pd.DataFrame | None:
    from ...client import history

    return present_frame(context, args, history(all=args.all, since=args.since, kind=args.kind, status=args.status,
                                                starred=args.starred or None, tag=args.tag,
                                                min_rating=args.min_rating))

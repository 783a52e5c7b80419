"""`%sume export [--starred] [--tag T] [--min-rating N] [--zip] FILE`: this notebook's jobs as one standalone HTML
report (and, with `--zip`, the full files and a manifest beside it), for someone without Jupyter."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._parsing import add_journal_filters

if TYPE_CHECKING:
    from .._context import Context

__all__ = ["add_parser"]


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "export", help="write this notebook's jobs as one HTML report (--zip: with the full files)",
        description="Write one standalone HTML file (stills embedded, no network needed) of this notebook's "
                    "journalled jobs, or the shortlist: prompts, options, ratings, tags, notes, credits, times.",
        epilog="Example:\n  %sume export --starred --zip hero-shots.html")
    parser.add_argument("file", metavar="FILE", help="the report to write, e.g. report.html")
    add_journal_filters(parser)
    parser.add_argument("--zip", action="store_true",
                        help="also write FILE's name with .zip: the report, the full files and manifest.csv")
    parser.add_argument("--title", help="the report's title (default: the date)")
    parser.set_defaults(run=run)


def run(context: Context, args: argparse.Namespace) -> None:
    from ..._facade import export_report
    from ...client import SumeError, history

    frame = history(all=args.all, since=args.since, kind=args.kind, starred=args.starred or None, tag=args.tag,
                    min_rating=args.min_rating)
    if frame.empty:
        raise SumeError("No journalled job matches these options: nothing was exported. `%sume history` with the "
                        "same options lists what an export takes.")
    report = export_report(frame, Path(args.file).expanduser(), zip=args.zip, title=args.title,
                           client=context.session.client())
    context.presenter.saved("the report", [report, *([report.with_suffix(".zip")] if args.zip else [])])

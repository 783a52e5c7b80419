"""`%sume studio`, `%sume browse [QUERY]` and `%sume compare ID ID ...`: the PromptStudio, the AssetBrowser and a
comparison of jobs, one line away.

Both are widgets of the notebook's process (so neither is a console command); they use the session's client, the
same the magics use (the sandbox, a `%sume login` key, or `SUME_API_KEY`). `-o VAR` keeps the widget in a variable.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .._parsing import add_output_options, usage_error
from ..display import show

if TYPE_CHECKING:
    from .._context import Context

__all__ = ["add_parser"]


def add_parser(commands: Any) -> None:
    studio = commands.add_parser("studio", help="open a PromptStudio: prompt, options, Brand DNA references, history",
                                 description="Open a PromptStudio on the session's client.")
    add_output_options(studio, json=False)
    studio.set_defaults(run=_studio)
    browse = commands.add_parser("browse", help="open an AssetBrowser on the Asset Library, searching QUERY",
                                 description="Open an AssetBrowser on the session's client, searching QUERY.")
    browse.add_argument("query", nargs="?", default="", metavar="QUERY", help="what to search for (default: nothing)")
    add_output_options(browse, json=False)
    browse.set_defaults(run=_browse)
    compare = commands.add_parser("compare", help="compare 2 to 8 jobs side by side, their differences highlighted",
                                  description="Show 2 to 8 jobs side by side: the prompts' common part once, each "
                                  "job's differing words and options highlighted, ratings editable in place.")
    compare.add_argument("job_ids", nargs="+", metavar="ID", help="the jobs to compare (2 to 8 job ids)")
    compare.add_argument("--baseline", metavar="ID", help="diff the others against this job (one of the IDs)")
    add_output_options(compare, json=False)
    compare.set_defaults(run=_compare, parser=compare)


def _studio(context: Context, args: argparse.Namespace) -> None:
    from ..widgets import PromptStudio

    _offer(context, args, PromptStudio(context.session.client(), preview_size=context.settings.preview_size))


def _browse(context: Context, args: argparse.Namespace) -> None:
    from ..widgets import AssetBrowser

    _offer(context, args, AssetBrowser(context.session.client(), args.query))


def _compare(context: Context, args: argparse.Namespace) -> None:
    """Every id is checked (count, repeats, baseline) before anything is read; then each job is read once, so an
    unknown id is one short error rather than a column of errors."""
    from ..widgets import CompareView
    from ..widgets.compare import checked

    try:
        checked(args.job_ids, args.baseline)
    except ValueError as exc:
        raise usage_error(args.parser, str(exc)) from None
    client = context.session.client()
    jobs = [client.jobs.get(job_id) for job_id in args.job_ids]
    view = CompareView(jobs, args.baseline, client=client, preview_size=min(context.settings.preview_size, 320),
                       download_dir=context.settings.download_dir, static_video_bytes=context.settings.static_video_bytes)
    _offer(context, args, view)


def _offer(context: Context, args: argparse.Namespace, widget: Any) -> None:
    if not context.assign(args.output, widget):
        show(widget)

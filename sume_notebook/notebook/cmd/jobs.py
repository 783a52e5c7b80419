"""`%sume jobs list|get|result|wait|attach ID`: jobs of the workspace, wherever they were started."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .._parsing import add_list_options, add_output_options, add_wait_options
from ._output import present_listing, present_object
from ._run import collect_results

if TYPE_CHECKING:
    import pandas as pd

    from .._context import Context

__all__ = ["add_parser"]

DEFAULT_LIMIT = 20


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("jobs", help="jobs: list | get ID | result ID | wait ID | attach ID",
                                 description="Jobs of this workspace, including ones started elsewhere.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="recent jobs, a page as a DataFrame")
    listing.add_argument("--type", help="e.g. image_generation, video_generation, face_swap")
    listing.add_argument("--status", help="e.g. running, completed, failed")
    add_list_options(listing, DEFAULT_LIMIT)
    listing.set_defaults(run=_list)
    for name, run, text in (("get", _get, "the job's current state"), ("result", _result, "a completed job's outputs"),
                            ("wait", _wait, "wait for the job, then show its result"),
                            ("attach", _attach, "watch a job started elsewhere (another kernel, before a restart)")):
        action = actions.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        action.add_argument("id", metavar="ID")
        if name in ("result", "wait"):
            add_wait_options(action, wait_flag=False)
        add_output_options(action)
        action.set_defaults(run=run)


def _list(context: Context, args: argparse.Namespace) -> pd.DataFrame | None:
    jobs = context.session.client().jobs.list(type=args.type, status=args.status, limit=args.limit, cursor=args.cursor)
    return present_listing(context, args, jobs.listing())


def _get(context: Context, args: argparse.Namespace) -> None:
    present_object(context, args, context.session.client().jobs.get(args.id))


def _result(context: Context, args: argparse.Namespace) -> None:
    result = context.session.client().jobs.result(args.id)
    if args.download is not None:
        context.presenter.saved(result.id, result.download(context.download_directory(args.download)))
    present_object(context, args, result)


def _watch(context: Context, args: argparse.Namespace, waiting: bool) -> Any:
    """Attach to the job and show it (live where widgets show); with `--json` and waiting, only the result shows."""
    client = context.session.client()
    job = client.jobs.attach(args.id)
    if args.json:
        if not waiting:
            context.presenter.value(job, as_json=True)
    elif context.widgets or not waiting:  # text progress while waiting names the job itself
        context.presenter.jobs([job], None, client=client, settings=context.settings,
                               timeout=getattr(args, "timeout", None) or context.settings.timeout)
    return client, job


def _wait(context: Context, args: argparse.Namespace) -> None:
    client, job = _watch(context, args, waiting=True)
    context.assign(args.output, collect_results(context, client, args, [job], None, context.widgets)[0])


def _attach(context: Context, args: argparse.Namespace) -> None:
    _, job = _watch(context, args, waiting=False)
    context.assign(args.output, job)

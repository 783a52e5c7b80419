"""`%sume pending`: journalled jobs not yet seen to finish, and creates whose answer never arrived.

`--resolve` settles the latter for the current service and key: each is sent again with its original idempotency
key, so the service replays the job it had accepted (no second charge) or creates it now; one line says which, and
the pending frame then lists the jobs to attach.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .._parsing import add_output_options
from ._output import present_frame

if TYPE_CHECKING:
    import pandas as pd

    from .._context import Context

__all__ = ["add_parser"]

_SAID = {"replayed": "replayed", "created": "created", "expired": "not re-sent", "not_sent": "not re-sent",
         "sending": "not re-sent", "failed": "failed"}


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "pending", help="jobs not yet seen to finish and creates never answered, as a DataFrame",
        description="Jobs the journal saw accepted but not finish (attach with `%sume jobs attach ID`), and creates "
                    "sent without an answer (settle them with --resolve).")
    parser.add_argument("--resolve", action="store_true",
                        help="send each unanswered create again with its idempotency key: the service replays the "
                             "job it accepted (no second charge) or creates it now")
    add_output_options(parser, json=False)
    parser.set_defaults(run=run)


def run(context: Context, args: argparse.Namespace) -> pd.DataFrame | None:
    from ...client import pending_frame

    if args.resolve:
        _resolve(context)
    return present_frame(context, args, pending_frame())


def _resolve(context: Context) -> None:
    """One line per unanswered create: what became of it; the pending frame that follows shows the jobs."""
    resolutions = context.session.client().jobs.resolve()
    if not resolutions:
        print("Nothing to resolve: every create of this service and key has its answer.")
    for r in resolutions:
        asked = r.request.get("prompt") or r.request.get("script") or ""
        print(f"{_SAID[r.outcome]}: {r.kind} {asked[:60]!r} sent {r.sent_at:%Y-%m-%d %H:%M:%S} UTC: {r.note}")

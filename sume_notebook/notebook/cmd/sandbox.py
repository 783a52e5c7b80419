"""`%sume sandbox start|stop|status`: the local Sume-compatible server, for trying everything at no cost."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .._parsing import positive_number
from .._session import running_sandbox

if TYPE_CHECKING:
    from .._context import Context

__all__ = ["add_parser"]


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("sandbox", help="the local sandbox: start | stop | status",
                                 description="Run the local Sume sandbox in this process and point the magics at it.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    start = actions.add_parser("start", help="start it (or reuse the running one) and use it from now on")
    start.add_argument("--port", type=int, default=0, help="loopback port (default: any free one)")
    start.add_argument("--data-dir", metavar="DIR", help="where it keeps its state (default: the user cache)")
    start.add_argument("--time-scale", type=positive_number, default=1.0, metavar="X", help="job durations times X (default 1)")
    start.set_defaults(run=_start)
    actions.add_parser("stop", help="stop it; the magics go back to SUME_API_KEY / SUME_BASE_URL").set_defaults(run=_stop)
    actions.add_parser("status", help="is it running, and where").set_defaults(run=_status)


def _start(context: Context, args: argparse.Namespace) -> None:
    already = running_sandbox()
    context.session.use_sandbox(port=args.port, data_dir=args.data_dir, time_scale=args.time_scale)
    if already is not None:
        print("(It was already running: --port, --data-dir and --time-scale apply to a new start only.)")


def _stop(context: Context, args: argparse.Namespace) -> None:
    print("Stopped the local Sume sandbox." if context.session.leave_sandbox() else "No local Sume sandbox is running.")


def _status(context: Context, args: argparse.Namespace) -> None:
    handle = running_sandbox()
    if handle is None:
        print("No local Sume sandbox is running; `%sume sandbox start` starts one.")
    else:
        print(f"The local Sume sandbox runs at {handle.origin} (API {handle.url}, data in {handle.data_dir}).")

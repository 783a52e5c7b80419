"""The one place where widget state changes: every render of every widget goes through `update`.

Renders come from the library's loop thread (job polling, throttle timers, media fetches) and from the kernel's
thread (button clicks). `update` serialises them with one lock and holds each widget's sync while the render runs,
so a render sends at most one state message per widget, whatever number of traits it sets.

It also runs each render in an empty `contextvars` context. A task on the loop thread inherits the context of the
cell that started it, and ipykernel parents every message to the request found there: a job started in cell 2 and
finishing during cell 5 would send its updates as cell 2's, which nbclient (and so `make demo HEADLESS=1` and the
widget state it saves) ignores. With no request in context, ipykernel uses its latest one, as it does for any
thread. A frontend that needs state changes on the kernel's main loop can be served by changing this module alone.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Iterable
from contextlib import ExitStack

import ipywidgets

__all__ = ["update"]

_lock = threading.RLock()


def update(widgets: Iterable[ipywidgets.Widget], apply: Callable[[], None]) -> None:
    """Run `apply` (which sets traits on `widgets`, or publishes a display) with one message per widget."""
    with _lock:
        contextvars.Context().run(_held, list(widgets), apply)


def _held(widgets: list[ipywidgets.Widget], apply: Callable[[], None]) -> None:
    with ExitStack() as held:
        for widget in widgets:
            held.enter_context(widget.hold_sync())
        apply()

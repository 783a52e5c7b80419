"""Which client a widget talks through, and on which event loop its coroutines run.

A `Sume` (blocking) client and its jobs live on the library's loop thread, so widgets run their work there and the
kernel stays free: bars keep moving while later cells compute. A bare `AsyncSume` belongs to the loop that awaits
it (its connections are bound to that loop), so its work is started on the caller's running loop when there is one.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import threading
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from ..._facade import Blocking, Sume, loop_thread, unwrap
from ...client import AsyncSume, Job

__all__ = ["Runner", "default_client", "runner_for_client", "runner_for_job"]

T = TypeVar("T")
_default_clients: dict[tuple[str | None, str | None], Sume] = {}
_default_lock = threading.Lock()


@dataclass(frozen=True)
class Runner:
    """An async client and the loop its coroutines run on (None: the library loop)."""

    client: AsyncSume
    loop: asyncio.AbstractEventLoop | None

    @property
    def on_library_loop(self) -> bool:
        """True when the work runs on the library's thread, so the caller's thread may wait for it."""
        return self.loop is None or self.loop is loop_thread().loop

    def start(self, coroutine: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Start `coroutine` without blocking; its outcome arrives in a thread-safe future."""
        if self.on_library_loop:
            return loop_thread().spawn(coroutine)
        if self.loop.is_closed():
            coroutine.close()
            raise RuntimeError("the event loop of this AsyncSume client is closed; use a Sume client instead")
        outcome: concurrent.futures.Future[T] = concurrent.futures.Future()
        outcome.set_running_or_notify_cancel()

        def schedule() -> None:
            task = asyncio.ensure_future(coroutine)
            task.add_done_callback(lambda t: _copy_outcome(t, outcome))

        self.loop.call_soon_threadsafe(schedule)
        return outcome


def _copy_outcome(task: asyncio.Future[T], outcome: concurrent.futures.Future[T]) -> None:
    if task.cancelled():
        outcome.set_exception(concurrent.futures.CancelledError())
    elif task.exception() is not None:
        outcome.set_exception(task.exception())  # type: ignore[arg-type]
    else:
        outcome.set_result(task.result())


def _callers_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def default_client() -> Sume:
    """One `Sume()` from the environment per key and base URL, shared by every widget made without `client=`."""
    settings = (os.environ.get("SUME_API_KEY"), os.environ.get("SUME_BASE_URL"))
    with _default_lock:
        if settings not in _default_clients:
            _default_clients[settings] = Sume()
        return _default_clients[settings]


def runner_for_client(client: Sume | AsyncSume | None) -> Runner:
    if client is None:
        client = default_client()
    if isinstance(client, Blocking):
        return Runner(unwrap(client), None)
    return Runner(client, _callers_loop())


def runner_for_job(job: Job | Blocking) -> tuple[Job, Runner]:
    """The async job inside `job`, and where its client's work runs."""
    if isinstance(job, Blocking):
        inner: Job = unwrap(job)
        return inner, Runner(inner.client, None)
    return job, Runner(job.client, _callers_loop())

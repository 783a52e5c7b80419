"""The library's own event loop, on one daemon thread: blocking calls run their coroutines there.

This is the `jupyter_core.utils.run_sync` pattern. It works in a plain script, inside a running event loop and
in a Jupyter cell (whose loop is never blocked by us nor patched, unlike nest-asyncio), and it keeps polling for
live widgets going while other cells compute.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import inspect
import os
import threading
from collections.abc import Awaitable
from typing import TypeVar

__all__ = ["LoopThread", "loop_thread"]

T = TypeVar("T")


class LoopThread:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, name="sume-notebook-loop", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def spawn(self, awaitable: Awaitable[T]) -> concurrent.futures.Future[T]:
        """Start `awaitable` on the library loop and return at once with a thread-safe future."""
        return asyncio.run_coroutine_threadsafe(_as_coroutine(awaitable), self.loop)

    def run(self, awaitable: Awaitable[T]) -> T:
        """Run `awaitable` on the library loop and block the calling thread until it is done.

        Ctrl-C (KeyboardInterrupt) cancels the coroutine: a wait stops, the job itself keeps running.
        """
        if threading.current_thread() is self._thread:
            if inspect.iscoroutine(awaitable):
                awaitable.close()
            raise RuntimeError(
                "A blocking Sume call was made on the library's own loop (from an on_update callback?). "
                "Callbacks run on that loop: keep them quick and non-blocking."
            )
        future = self.spawn(awaitable)
        try:
            return future.result()
        except BaseException:
            future.cancel()
            raise

    def stop(self) -> None:
        if self.loop.is_running():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=5)


async def _as_coroutine(awaitable: Awaitable[T]) -> T:
    return await awaitable


_shared: LoopThread | None = None
_shared_lock = threading.Lock()


def loop_thread() -> LoopThread:
    """The process-wide library loop, started on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = LoopThread()
            atexit.register(_shared.stop)
        return _shared


def _forget_after_fork() -> None:
    """A forked child has no loop thread: let it start its own."""
    global _shared
    _shared = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


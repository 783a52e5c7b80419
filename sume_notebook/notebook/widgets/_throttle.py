"""A leading and trailing throttle for renders: at most one render per key and interval, the last one always run.

The first change after a quiet interval is rendered at once (leading); changes during the interval collapse into one
render at its end (trailing), which reads the freshest state. One throttle may serve many widgets (a `JobGrid` and
its cells): each key keeps only its latest render, and one timer runs them all. `flush` runs a key's pending render
immediately, so a final state never waits or gets lost.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable

from ..._facade import loop_thread
from ..._redaction import redact

__all__ = ["DEFAULT_INTERVAL", "Throttle"]

DEFAULT_INTERVAL = 0.1  # seconds: about ten state messages a second per widget, as tqdm.notebook does
logger = logging.getLogger("sume_notebook")  # the logger whose records pass through the redacting filter
Render = Callable[[], None]


class Throttle:
    def __init__(self, interval: float = DEFAULT_INTERVAL) -> None:
        self.interval = interval
        self._lock = threading.Lock()
        self._pending: dict[Hashable, Render] = {}
        self._last_run = float("-inf")
        self._timer_set = False

    def submit(self, key: Hashable, render: Render) -> None:
        """Ask for `render` to run for `key`, now if the throttle is idle, else at the end of the interval."""
        with self._lock:
            self._pending[key] = render
            if self._timer_set:
                return
            wait = self._last_run + self.interval - time.monotonic()
            if wait > 0:
                self._timer_set = True
                loop = loop_thread().loop
                loop.call_soon_threadsafe(loop.call_later, wait, self._on_timer)
                return
            due = self._take(None)
        self._run(due)

    def flush(self, key: Hashable | None = None) -> None:
        """Run the pending render of `key` (of every key when None) now."""
        with self._lock:
            due = self._take(key)
        self._run(due)

    def _on_timer(self) -> None:
        with self._lock:
            self._timer_set = False
            due = self._take(None)
        self._run(due)

    def _take(self, key: Hashable | None) -> list[Render]:
        """Remove and return what is due (the caller holds the lock); taking everything restarts the interval."""
        if key is not None:
            render = self._pending.pop(key, None)
            return [render] if render is not None else []
        due = list(self._pending.values())
        self._pending.clear()
        if due:
            self._last_run = time.monotonic()
        return due

    @staticmethod
    def _run(renders: list[Render]) -> None:
        for render in renders:
            try:
                render()
            except Exception as exc:  # a broken display must never stop a job's watch
                logger.warning("widget render failed: %s", redact(exc), exc_info=True)

"""`Sume`, the blocking client, derived from `AsyncSume` rather than written twice.

`Blocking` wraps any object of the async client: a coroutine method becomes a blocking call run on the library's
loop thread (`_loop`), an async iterator becomes a plain iterator, and results that are themselves live objects
(resources, jobs, results, paginators) come back wrapped the same way. Plain data passes through untouched.
"""

from __future__ import annotations

import concurrent.futures
import functools
import inspect
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from ._loop import LoopThread, loop_thread
from .client import AssetUpload, AsyncPaginator, AsyncSume, Job, JobResult, Resource, write_report

__all__ = ["Blocking", "LoopThread", "Sume", "export_report", "loop_thread", "unwrap"]

T = TypeVar("T")
_LIVE = (AsyncSume, Resource, Job, JobResult, AsyncPaginator, AssetUpload)


class Blocking:
    """A blocking view of a live async object; `__wrapped__` is the object itself."""

    __slots__ = ("__wrapped__", "_runner")

    def __init__(self, target: Any, runner: LoopThread) -> None:
        object.__setattr__(self, "__wrapped__", target)
        object.__setattr__(self, "_runner", runner)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.__wrapped__, name)
        if callable(value) and not isinstance(value, type) and not isinstance(value, _LIVE):
            return self._blocking(value)
        return self._wrap(value)

    def __dir__(self) -> list[str]:
        return dir(self.__wrapped__)

    def __repr__(self) -> str:
        return repr(self.__wrapped__)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's text of the wrapped object (IPython looks `_repr_pretty_` up on the class, past `__getattr__`)."""
        target = self.__wrapped__
        if hasattr(type(target), "_repr_pretty_"):
            target._repr_pretty_(printer, cycle)
        else:
            printer.text(repr(target))

    def __iter__(self) -> Iterator[Any]:
        target = self.__wrapped__
        if hasattr(target, "__aiter__"):
            return self._iterate(target.__aiter__())
        return iter(target)

    def __len__(self) -> int:
        return len(self.__wrapped__)

    def __eq__(self, other: object) -> bool:
        return self.__wrapped__ == (other.__wrapped__ if isinstance(other, Blocking) else other)

    def __hash__(self) -> int:
        return hash(self.__wrapped__)

    def _wrap(self, value: Any) -> Any:
        if isinstance(value, _LIVE):
            return Blocking(value, self._runner)
        if isinstance(value, list) and any(isinstance(v, _LIVE) for v in value):
            return [self._wrap(v) for v in value]
        if hasattr(value, "__anext__"):
            return self._iterate(value)
        return value

    def _callback(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        """Callbacks see the same blocking objects as the caller (they run on the library loop: keep them quick)."""

        @functools.wraps(callback)
        def call(*args: Any) -> Any:
            return callback(*(self._wrap(a) for a in args))

        return call

    def _blocking(self, method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def call(*args: Any, **kwargs: Any) -> Any:
            args = tuple(unwrap(a) for a in args)
            kwargs = {
                k: self._callback(v) if k.startswith("on_") and callable(v) else unwrap(v) for k, v in kwargs.items()
            }
            result = method(*args, **kwargs)
            if inspect.isawaitable(result):
                try:
                    result = self._runner.run(result)
                except KeyboardInterrupt:
                    self._interrupted(method.__name__)
                    raise
            return self._wrap(result)

        return call

    def _interrupted(self, name: str) -> None:
        """Ctrl-C stopped a job's wait, not the job: say in one line how to pick it up again."""
        target = self.__wrapped__
        if isinstance(target, Job) and name == "wait" and not target.is_terminal:
            print(f"Stopped waiting; {target.id} keeps running: pick it up with `sume.jobs.attach({target.id!r})` "
                  f"(in a notebook, `%sume jobs attach {target.id}`).", file=sys.stderr)

    def _iterate(self, iterator: Any) -> Iterator[Any]:
        try:
            while True:
                try:
                    item = self._runner.run(iterator.__anext__())
                except StopAsyncIteration:
                    return
                yield self._wrap(item)
        finally:
            if hasattr(iterator, "aclose"):
                try:
                    self._runner.run(iterator.aclose())
                except RuntimeError:  # finalized on the loop thread itself: the loop closes it at shutdown
                    pass


def unwrap(obj: Any) -> Any:
    """The async client object behind a blocking one (in a list or tuple too, as `_wrap` gives them); anything
    else as it is."""
    if isinstance(obj, (list, tuple)) and any(isinstance(v, Blocking) for v in obj):
        return type(obj)(unwrap(v) for v in obj)
    return obj.__wrapped__ if isinstance(obj, Blocking) else obj


class Sume(Blocking):
    """The Sume Public API, blocking: the same interface as `AsyncSume`, every call returns its result.

    Works in scripts, inside a running event loop and in Jupyter cells: the calls run on a background event loop
    owned by the library. Use it as a context manager, or call `close()`.
    """

    __slots__ = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(AsyncSume(*args, **kwargs), loop_thread())

    def spawn(self, awaitable: Awaitable[T]) -> concurrent.futures.Future[T]:
        """Start a coroutine of the async client (`sume.__wrapped__`) on the library loop without blocking."""
        return self._runner.spawn(awaitable)

    def __enter__(self) -> Sume:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return "Sume" + repr(self.__wrapped__).removeprefix("AsyncSume")


Sume.__init__.__signature__ = inspect.signature(AsyncSume.__init__)  # type: ignore[attr-defined]


def export_report(jobs_or_history: Any, path: str | Path, *, zip: bool = False, title: str | None = None,  # noqa: A002
                  client: AsyncSume | Sume | None = None) -> Path:
    """Write one standalone HTML report (a contact sheet that opens in any browser, offline) of jobs, results, job
    ids or a `history()` DataFrame, and return its path. Stills are embedded small (512 px), videos by their poster
    frame and file name, each with its prompt, options, rating, star, tags, note, credits, times and status; failed
    jobs with their reason. `zip=True` also writes the report beside it as a `.zip` with the full files under
    readable names and `manifest.csv`. Media comes from files already downloaded, else through the jobs' client,
    `client`, or one made from the environment (SUME_API_KEY, SUME_BASE_URL)."""
    if isinstance(jobs_or_history, (list, tuple)):
        jobs_or_history = [unwrap(thing) for thing in jobs_or_history]
    return loop_thread().run(write_report(unwrap(jobs_or_history), path, client=unwrap(client), zip=zip, title=title))

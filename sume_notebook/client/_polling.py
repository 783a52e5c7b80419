"""One poller per client and event loop serves every job being waited on.

Schedule per job: the first look after `first` seconds (0.5), then each delay `factor` (1.5) times the previous,
capped at `cap` (5 s), jittered by +-`jitter` (20 %). Known progress shortens a delay to the estimated time left,
and a server's `Retry-After` lengthens it. Jobs due at about the same time are polled together. With
`list_threshold` (3) or more jobs in flight, one `GET /jobs` page answers for all of them, so the cost of polling
grows with pages, not with jobs; a job the list does not show is read with `GET /jobs/{id}`.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .._redaction import redact
from ._endpoints import wait_seconds
from ._errors import (
    APIConnectionError,
    APIError,
    JobFailedError,
    JobTimeoutError,
    RateLimitError,
    ServerError,
    SumeError,
)
from ._job import FAILED_STATUSES, Job

__all__ = ["Answer", "PollSchedule", "Poller"]

logger = logging.getLogger("sume_notebook.client")
UpdateCallback = Callable[[Job], Any]


@dataclass(frozen=True)
class Answer:
    """What one read told the poller: the jobs it showed (one for `GET /jobs/{id}`), the next page's cursor, and
    the request id and `Retry-After` it heeds."""

    jobs: list[Any]
    cursor: str | None
    request_id: str | None
    retry_after: str | None


ReadJob = Callable[[str], Awaitable[Answer]]
ReadJobs = Callable[[dict[str, Any]], Awaitable[Answer]]
Observe = Callable[[Job, Mapping[str, Any], str | None], bool]  # apply a job's fresh view; True when it changed
_TRANSIENT = (APIConnectionError, ServerError, RateLimitError)


@dataclass(frozen=True)
class PollSchedule:
    """How often a waiting job is looked at."""

    first: float = 0.5
    factor: float = 1.5
    cap: float = 5.0
    jitter: float = 0.2
    list_threshold: int = 3
    list_limit: int = 100
    max_parallel_gets: int = 8

    def delay(self, attempt: int) -> float:
        base = min(self.cap, self.first * self.factor**attempt)
        return base * random.uniform(1 - self.jitter, 1 + self.jitter)


@dataclass(eq=False)
class _Waiter:
    future: asyncio.Future[None]
    on_update: UpdateCallback | None


@dataclass(eq=False)
class _Watch:
    job: Job
    due: float
    delay: float
    attempt: int = 0
    waiters: list[_Waiter] = field(default_factory=list)
    first_progress: tuple[float, float] | None = None  # (time, fraction) of the first progress seen

    def time_left(self, now: float) -> float | None:
        """Seconds to completion extrapolated from progress so far, when progress moves."""
        p = self.job.progress
        if p is None or self.first_progress is None:
            if p is not None:
                self.first_progress = (now, p)
            return None
        t0, p0 = self.first_progress
        if p <= p0 or now <= t0:
            return None
        return (1 - p) * (now - t0) / (p - p0)


class Poller:
    """Given how to read one job, a page of jobs, and what to do with what it saw; it knows no URL and no client."""

    def __init__(self, schedule: PollSchedule, read_job: ReadJob, read_jobs: ReadJobs, observe: Observe) -> None:
        self._read_job = read_job
        self._read_jobs = read_jobs
        self._observe_job = observe
        self._schedule = schedule
        self._watches: dict[str, _Watch] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._use_list = True

    async def wait(self, job: Job, timeout: float | None, on_update: UpdateCallback | None) -> Job:
        limit = wait_seconds(job.type) if timeout is None else timeout
        if not job.is_terminal:
            loop = asyncio.get_running_loop()
            waiter = _Waiter(loop.create_future(), on_update)
            watch = self._watches.get(job.id)
            if watch is None:
                first = self._schedule.first * random.uniform(1 - self._schedule.jitter, 1)
                watch = self._watches[job.id] = _Watch(job, loop.time() + first, first)
            elif watch.job is not job:
                job._apply(watch.job.raw)
            watch.waiters.append(waiter)
            self._ensure_running()
            try:
                await asyncio.wait_for(asyncio.shield(waiter.future), limit)
            except asyncio.TimeoutError:
                raise JobTimeoutError(job.id, watch.job.status, limit) from None
            finally:
                if waiter in watch.waiters:
                    watch.waiters.remove(waiter)
                if watch.job is not job:
                    job._apply(watch.job.raw)
        if job.status in FAILED_STATUSES:
            error = job.error
            raise JobFailedError(job.id, job.status, error.code if error else None, error.message if error else None, job.request_id)
        return job

    async def stop(self) -> None:
        """Stop polling; anyone still waiting is told (the jobs themselves keep running on the service)."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        for watch in self._watches.values():
            for waiter in watch.waiters:
                if not waiter.future.done():
                    waiter.future.set_exception(
                        SumeError(f"The client was closed while waiting for job {watch.job.id}; the job keeps running.")
                    )
        self._watches.clear()

    def _ensure_running(self) -> None:
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="sume-poller")

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            for job_id in [i for i, w in self._watches.items() if not w.waiters]:
                del self._watches[job_id]
            if not self._watches:
                return
            now = loop.time()
            soonest = min(w.due for w in self._watches.values())
            if soonest > now:
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), soonest - now)
                except asyncio.TimeoutError:
                    pass
                continue
            due = [w for w in self._watches.values() if w.due <= now + 0.2 * w.delay]
            try:
                await self._poll(due)
            except Exception as exc:  # never let one bad answer stop every wait
                logger.warning("polling failed: %s", redact(exc))
                for watch in due:
                    self._reschedule(watch, loop.time(), None)

    async def _poll(self, due: list[_Watch]) -> None:
        seen: set[str] = set()
        if self._use_list and len(self._watches) >= self._schedule.list_threshold:
            listed = await self._poll_list()
            if listed is None:
                return  # backed off after a busy or failing service: no single reads this round either
            if not listed:
                self._use_list = False  # the list does not show our jobs (ordering, filters): stop paying for it
                logger.debug("the job list showed none of the jobs being waited on; polling them one by one")
            seen = listed
        gate = asyncio.Semaphore(self._schedule.max_parallel_gets)

        async def one(watch: _Watch) -> None:
            async with gate:
                await self._poll_one(watch)

        await asyncio.gather(*(one(w) for w in due if w.job.id not in seen))

    async def _poll_list(self) -> set[str] | None:
        """Read the job list until every watched job was seen (or a page budget is spent); None after backing off."""
        loop = asyncio.get_running_loop()
        wanted = set(self._watches)
        types = {w.job.type for w in self._watches.values()}
        limit = min(self._schedule.list_limit, max(10, 2 * len(wanted)))
        params: dict[str, Any] = {"limit": limit}
        if len(types) == 1 and None not in types:
            params["type"] = types.pop()
        seen: set[str] = set()
        for _ in range(len(wanted) // limit + 2):
            try:
                answer = await self._read_jobs(params)
            except _TRANSIENT as exc:
                self._back_off(exc)
                return None
            except APIError as exc:
                logger.debug("job list unavailable (%s); polling jobs one by one", exc.code or exc.status)
                self._use_list = False
                return seen
            now = loop.time()
            for item in answer.jobs:
                watch = self._watches.get(str(item.get("id"))) if isinstance(item, Mapping) else None
                if watch is not None and watch.job.id not in seen:
                    seen.add(watch.job.id)
                    self._observe(watch, item, answer.request_id, now, answer.retry_after)
            if wanted <= seen or not answer.cursor:
                break
            params["cursor"] = answer.cursor
        return seen

    async def _poll_one(self, watch: _Watch) -> None:
        loop = asyncio.get_running_loop()
        try:
            answer = await self._read_job(watch.job.id)
        except _TRANSIENT as exc:
            self._reschedule(watch, loop.time(), getattr(exc, "retry_after", None))
            return
        except APIError as exc:  # 401/403/404...: waiting cannot succeed
            for waiter in watch.waiters:
                if not waiter.future.done():
                    waiter.future.set_exception(exc)
            watch.waiters.clear()
            return
        self._observe(watch, answer.jobs[0], answer.request_id, loop.time(), answer.retry_after)

    def _observe(self, watch: _Watch, data: Mapping[str, Any], request_id: str | None, now: float, hint: str | None) -> None:
        changed = self._observe_job(watch.job, data, request_id)
        if changed:
            for waiter in list(watch.waiters):
                if waiter.on_update is not None:
                    try:
                        waiter.on_update(watch.job)
                    except Exception as exc:  # a broken display must not break the wait
                        logger.warning("on_update callback failed: %s", redact(exc))
        if watch.job.is_terminal:
            for waiter in watch.waiters:
                if not waiter.future.done():
                    waiter.future.set_result(None)
            watch.waiters.clear()
            return
        try:
            retry_after = float(hint) if hint else None
        except ValueError:
            retry_after = None
        self._reschedule(watch, now, retry_after)

    def _reschedule(self, watch: _Watch, now: float, retry_after: float | None) -> None:
        watch.attempt += 1
        delay = self._schedule.delay(watch.attempt)
        left = watch.time_left(now)
        if left is not None:
            delay = min(delay, max(self._schedule.first / 2, left))
        if retry_after is not None:
            delay = max(delay, retry_after)
        watch.delay = delay
        watch.due = now + delay

    def _back_off(self, exc: Exception) -> None:
        now = asyncio.get_running_loop().time()
        for watch in self._watches.values():
            self._reschedule(watch, now, getattr(exc, "retry_after", None))

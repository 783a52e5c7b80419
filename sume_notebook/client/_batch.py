"""`submit_many`: many creates paced to the workspace's active-generation capacity.

The starting width is the capacity `GET /credits` reports free (or `max_concurrency`). A slot is held from a
create until its job ends; creates go out one at a time, so a full workspace costs at most one 429 per change of
capacity. A 429 `active_generation_limit` narrows the width to the jobs still running (someone else is using the
rest); each job that ends widens it by one again, up to the ceiling.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from .._redaction import redact
from ._endpoints import KINDS, Endpoint, endpoint_for
from ._errors import APIConnectionError, FieldError, InvalidRequestError, RateLimitError, ServerError, SumeError
from ._job import Job
from ._prices import Estimate, estimate_total

if TYPE_CHECKING:
    from ._client import AsyncSume

__all__ = ["checked_concurrency", "estimate_many", "run_bounded", "submit_many"]

logger = logging.getLogger("sume_notebook.client")
T = TypeVar("T")

_BATCHABLE = tuple(kind for kind, endpoint in KINDS.items() if not endpoint.starts_many)  # one job per request


def _prepare_all(client: AsyncSume, requests: Sequence[Any]) -> list[tuple[Endpoint, dict[str, Any]]]:
    """Validate every request before anything is sent; all problems in one `InvalidRequestError`."""
    prepared: list[tuple[Endpoint, dict[str, Any]]] = []
    errors: list[FieldError] = []
    for i, request in enumerate(requests):
        where = f"requests[{i}]"
        if not isinstance(request, Mapping):
            errors.append(FieldError(where, "must be a dict of create arguments"))
            continue
        params = dict(request)
        kind = str(params.pop("kind", "image"))
        endpoint = endpoint_for(kind)
        if endpoint is None or endpoint.kind not in _BATCHABLE:
            errors.append(FieldError(f"{where}.kind", f"must be one of {', '.join(_BATCHABLE)} (got {kind!r})"))
            continue
        resource = getattr(client, endpoint.resource)
        allowed = inspect.signature(resource.prepare).parameters
        unknown = sorted(set(params) - set(allowed))
        errors += [FieldError(f"{where}.{name}", "is not an option of this kind") for name in unknown]
        missing = [n for n, p in allowed.items() if p.default is p.empty and n not in params]
        errors += [FieldError(f"{where}.{name}", "is required") for name in missing]
        if unknown or missing:
            continue
        try:
            prepared.append((endpoint, resource.prepare(**params)))
        except InvalidRequestError as exc:
            errors += [FieldError(f"{where}.{f.field}", f.message) for f in exc.fields]
    if errors:
        raise InvalidRequestError(errors)
    return prepared


class _Pacer:
    """A resizable semaphore: `limit` slots, `held` in use."""

    def __init__(self, limit: int) -> None:
        self.ceiling = self.limit = max(1, limit)
        self.held = 0
        self._changed = asyncio.Condition()

    async def acquire(self) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: self.held < self.limit)
            self.held += 1

    async def release(self, *, job_ended: bool) -> None:
        async with self._changed:
            self.held -= 1
            if job_ended:
                self.limit = min(self.ceiling, self.limit + 1)
            self._changed.notify_all()

    def narrow(self) -> None:
        self.limit = max(1, self.held)


_UNKNOWN_CAPACITY = 4  # when /credits does not say: start modestly, a 429 narrows it


async def _initial_width(client: AsyncSume, max_concurrency: int | None) -> int:
    """`max_concurrency`, else the capacity `/credits` reports free. That read is advice: if it keeps failing
    (its retries spent), the batch starts modestly rather than failing before a single job was sent."""
    if max_concurrency is not None:
        return max_concurrency
    try:
        free = (await client.credits()).free_generation_slots
    except (APIConnectionError, ServerError, RateLimitError) as exc:
        logger.info("capacity unknown (%s); starting with %d at once", redact(exc).split("\n", 1)[0], _UNKNOWN_CAPACITY)
        return _UNKNOWN_CAPACITY
    return _UNKNOWN_CAPACITY if free is None else max(1, free)


def checked_concurrency(max_concurrency: int | None) -> None:
    """`max_concurrency` is None (let the batch choose) or a whole number >= 1; refused before anything is sent."""
    if max_concurrency is not None and (
        isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int) or max_concurrency < 1
    ):
        raise InvalidRequestError([FieldError("max_concurrency", "must be a whole number >= 1")])


async def run_bounded(calls: Sequence[Callable[[], Awaitable[T]]], max_concurrency: int | None) -> list[T]:
    """Many reads (searches, thumbnails) of one batch, `max_concurrency` at a time (default: the modest start a
    batch of creates takes when capacity is unknown), results in input order. Pacing past that is the client's
    retry policy: a 429 waits its `Retry-After` and is sent again."""
    checked_concurrency(max_concurrency)
    pacer = _Pacer(max_concurrency or _UNKNOWN_CAPACITY)

    async def paced(call: Callable[[], Awaitable[T]]) -> T:
        await pacer.acquire()
        try:
            return await call()
        finally:
            await pacer.release(job_ended=False)

    return list(await asyncio.gather(*(paced(call) for call in calls)))


async def estimate_many(client: AsyncSume, requests: Sequence[Any]) -> Estimate:
    """What the batch would reserve, validated as `submit_many` validates it, and the credits left (when the
    service says: a failing read leaves them out). Nothing is created."""
    estimate = estimate_total(((endpoint.kind, body) for endpoint, body in _prepare_all(client, requests)), client.prices)
    try:
        remaining = (await client.credits()).remaining_credits
    except (APIConnectionError, ServerError, RateLimitError):
        remaining = None
    return Estimate(estimate.jobs, estimate.credits, remaining)


async def submit_many(
    client: AsyncSume,
    requests: Sequence[Any],
    max_concurrency: int | None,
    on_update: Callable[[Job], Any] | None,
) -> list[Job]:
    checked_concurrency(max_concurrency)
    prepared = _prepare_all(client, requests)
    if not prepared:
        return []
    pacer = _Pacer(await _initial_width(client, max_concurrency))
    jobs: list[Job] = []
    try:
        for endpoint, body in prepared:
            await pacer.acquire()
            job = await _create_when_room(client, endpoint, body, pacer)
            jobs.append(job)
            _notify(on_update, job)
            task = asyncio.get_running_loop().create_task(_hold_until_done(job, pacer, on_update))
            client._background.add(task)
            task.add_done_callback(client._background.discard)
    except BaseException as exc:
        exc.submitted_jobs = list(jobs)  # type: ignore[attr-defined]  # accepted before the failure; also journalled
        raise
    return jobs


def _notify(on_update: Callable[[Job], Any] | None, job: Job) -> None:
    if on_update is None:
        return
    try:
        on_update(job)
    except Exception as exc:  # a broken display must not stop the batch
        logger.warning("on_update callback failed: %s", redact(exc))


async def _create_when_room(client: AsyncSume, endpoint: Endpoint, body: dict[str, Any], pacer: _Pacer) -> Job:
    """Create one job, waiting for room on `active_generation_limit` while our own jobs still run."""
    while True:
        try:
            return (await client._create(endpoint.kind, body)).jobs[0]
        except RateLimitError as exc:
            if exc.kind != "active_generation" or pacer.held <= 1:
                raise
            await pacer.release(job_ended=False)
            pacer.narrow()
            await pacer.acquire()


async def _hold_until_done(job: Job, pacer: _Pacer, on_update: Callable[[Job], Any] | None) -> None:
    try:
        await job.wait(on_update=on_update)
    except SumeError as exc:  # failed or timed out jobs are returned as they are; the slot is freed either way
        logger.debug("batch job %s ended: %s", job.id, redact(exc).split("\n", 1)[0])
    finally:
        await pacer.release(job_ended=True)

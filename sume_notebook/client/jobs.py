"""`GET /jobs`, `GET /jobs/{id}`, `GET /jobs/{id}/result`, attaching to a job started elsewhere, and the reviews
(rating, star, tags, note) the journal keeps for any job id."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

from ._creating import Resource
from ._frames import records_frame
from ._job import Job, JobResult
from ._pagination import AsyncPaginator, list_items
from ._polling import Answer
from ._resolve import Resolution, resolve
from ._reviews import KEEP, Review, checked_note, checked_rating, checked_starred, checked_tags
from ._validation import checked

__all__ = ["Jobs", "job_fields"]

JobRef = str | Job


def _job_id(job: JobRef) -> str:
    job_id = job.id if isinstance(job, Job) else job
    with checked() as c:
        c.text("job_id", job_id, required=True)
    return job_id


def _path(job: JobRef, suffix: str = "") -> str:
    return f"/jobs/{quote(_job_id(job), safe='')}{suffix}"


def job_fields(body: Any) -> Mapping[str, Any]:
    """The job inside an answer: the body itself (without any `result`), or its `job` member."""
    if not isinstance(body, Mapping):
        return {}
    nested = body.get("job")
    fields = {k: v for k, v in body.items() if k != "result"}
    return {**fields, **nested} if isinstance(nested, Mapping) else fields


class Jobs(Resource):
    def list(
        self,
        *,
        type: str | None = None,
        status: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        max_items: int | None = None,
    ) -> AsyncPaginator[Job]:
        """Jobs of this workspace, newest first as the service orders them; `limit` is the page size, `cursor` a
        page's `next_cursor` to continue from (a script can stop and resume a listing)."""
        with checked() as c:
            c.text("type", type)
            c.text("status", status)
            c.number("limit", limit, low=1, integer=True)
            c.text("cursor", cursor)
        return AsyncPaginator(
            self._client,
            "/jobs",
            {"type": type, "status": status, "limit": limit, "cursor": cursor},
            lambda item, rid: Job(self._client, job_fields(item), request_id=rid),
            records_frame,
            max_items,
        )

    async def get(self, job_id: JobRef) -> Job:
        """The job's current state."""
        response = await self._client._get(_path(job_id))
        return Job(self._client, job_fields(response.data), request_id=response.request_id)

    async def _refresh(self, job: Job) -> Job:
        response = await self._client._get(_path(job))
        self._client._track(job, job_fields(response.data), response.request_id)
        return job

    async def _read_one(self, job_id: str) -> Answer:
        """What the poller needs to know of one job: `GET /jobs/{id}`."""
        response = await self._client._get(_path(job_id))
        return Answer([job_fields(response.data)], None, response.request_id, response.headers.get("retry-after"))

    async def _read_page(self, params: Mapping[str, Any]) -> Answer:
        """One page of `GET /jobs`, for the poller to update many jobs at once."""
        response = await self._client._get("/jobs", params)
        items, cursor = list_items(response.data)
        return Answer(items, cursor, response.request_id, response.headers.get("retry-after"))

    async def result(self, job_id: JobRef) -> JobResult:
        """The outputs of a completed job; `ConflictError` (409 `job_not_completed`) before that."""
        response = await self._client._get(_path(job_id, "/result"))
        body = response.data if isinstance(response.data, Mapping) else {}
        job = job_id if isinstance(job_id, Job) else Job(self._client, {"id": job_id})
        self._client._track(job, job_fields(body), response.request_id)
        result = body.get("result")
        outcome = JobResult(job, result if isinstance(result, Mapping) else body)
        summaries = [
            {k: v for k, v in o.to_dict().items() if k in ("content_type", "width", "height", "duration_seconds")} | {"kind": o.kind}
            for o in outcome.outputs
        ]
        self._client._recorder.outputs_seen(job.id, summaries)
        return outcome

    async def attach(self, job_id: JobRef) -> Job:
        """Pick up a job created earlier (another kernel, before a restart): read it and journal it to watch."""
        job = await self.get(job_id)
        self._client._recorder.job_attached(job)
        return job

    async def resolve(self) -> list[Resolution]:
        """Settle every create of this service and key whose answer never arrived (a crash, a lost connection):
        each is sent again with its original idempotency key and body, so the service replays the job it had
        accepted (no second charge) or creates it now; `Resolution.outcome` says which, or why it was left alone."""
        return await resolve(self._client)

    async def wait(
        self, job_id: JobRef, timeout: float | None = None, on_update: Callable[[Job], Any] | None = None
    ) -> Job:
        """Attach to a job by id (or take a `Job`) and wait for it to end."""
        job = job_id if isinstance(job_id, Job) else await self.attach(job_id)
        return await job.wait(timeout, on_update)

    # --- reviews: local only, kept in the journal ----------------------------------------------------------

    def review(self, job_id: JobRef) -> Review:
        """What was noted about a job (by id or `Job`): rating, star, tags, note; an empty `Review` if nothing."""
        return self._client._recorder.review(_job_id(job_id))

    def set_review(self, job_id: JobRef, *, rating: int | None = KEEP, starred: bool = KEEP,
                   tags: Sequence[str] = KEEP, add_tags: Sequence[str] = (), remove_tags: Sequence[str] = (),
                   note: str = KEEP) -> Review:
        """Change what is noted about a job (by id or `Job`), for a job of this client's service; a field left out
        stays as it is. `rating` 1 to 5 (None clears it), `starred` True/False, `tags` replaces the tags,
        `add_tags`/`remove_tags` change them (in one write, so two kernels tagging at once both keep theirs),
        `note` text ("" clears it). Nothing is sent: reviews live in the journal. Returns the new review."""
        job_id = _job_id(job_id)
        changes: dict[str, Any] = {"add_tags": checked_tags(add_tags), "remove_tags": checked_tags(remove_tags)}
        if rating is not KEEP:
            changes["rating"] = checked_rating(rating)
        if starred is not KEEP:
            changes["starred"] = checked_starred(starred)
        if tags is not KEEP:
            changes["tags"] = checked_tags(tags)
        if note is not KEEP:
            changes["note"] = checked_note(note)
        return self._client._recorder.change_review(job_id, **changes)

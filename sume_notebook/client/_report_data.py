"""What a report shows of each job, gathered from the journal, the job objects and their media.

A report takes what a person already has at hand: `Job`s and `JobResult`s, job ids, or a `history()` DataFrame.
Each becomes one journal row (what was asked, how it ended, the review, the credits), or, for a job its client did
not journal, what the `Job` itself knows (a job id the journal lacks is read from the service). Its media is
`_report_media`'s job.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._redaction import redact, redact_url, sanitize
from ._endpoints import endpoint_for
from ._errors import SumeError
from ._job import FAILED_STATUSES, Job, JobResult
from ._journal import Journal, default_journal
from ._report_media import EDGE, FETCH_ERRORS, Media, ReportFile, failure, given
from ._reviews import Review

if TYPE_CHECKING:
    from ._client import AsyncSume

__all__ = ["ReportItem", "collect"]


@dataclass(frozen=True)
class ReportItem:
    """One job (or a create that started none) as the report shows it."""

    job_id: str | None
    kind: str | None
    prompt: str | None
    options: dict[str, Any]
    status: str
    reason: str | None
    review: Review
    credits: float | None
    credits_estimated: bool
    created_at: datetime | None
    finished_at: datetime | None
    files: tuple[ReportFile, ...] = ()

    @property
    def failed(self) -> bool:
        """Ended without outputs (failed, canceled, expired) or never started (a refused or unanswered create)."""
        return self.status in FAILED_STATUSES or self.job_id is None


def _time(value: Any) -> datetime | None:
    value = given(value)
    if value is None:
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value.to_pydatetime() if hasattr(value, "to_pydatetime") else value


@dataclass
class _Source:
    """One thing to report on: its journal row (history's columns), and what can fetch its media."""

    row: dict[str, Any]
    client: AsyncSume | None = None
    result: JobResult | None = None


Rows = dict[tuple[str | None, str], dict[str, Any]]


def _rows_of(journal: Journal | None, cache: dict[Path, Rows]) -> Rows:
    """Every job of a journal, by (service, job id), as `history()` has them (read once per journal)."""
    if journal is None:
        return {}
    if journal.path not in cache:
        frame = journal.history()
        cache[journal.path] = {(r["base_url"], r["job_id"]): r for r in frame.to_dict("records")} if len(frame) else {}
    return cache[journal.path]


def _job_row(job: Job, cache: dict[Path, Rows]) -> dict[str, Any]:
    client = job.client
    service = redact_url(client.base_url)
    journal = client.journal
    row = _rows_of(journal, cache).get((service, job.id))
    if row is not None:
        return row
    error = job.error
    return {
        "job_id": job.id, "base_url": service, "prompt": job.prompt, "kind": job.type, "status": job.status,
        "request": sanitize(job.request or {}), "error_message": error.message if error else None,
        "error_code": error.code if error else None, "created_at": job.created_at, "finished_at": job.completed_at,
        "credits": None, "credits_estimated": False, "downloads": [],
        **({"rating": None, "starred": False, "tags": [], "note": ""} if journal is None else _review_columns(
            journal.review(job.id, base_url=client.base_url))),
    }


def _review_columns(review: Review) -> dict[str, Any]:
    return {"rating": review.rating, "starred": review.starred, "tags": list(review.tags), "note": review.note}


def sources(things: Any, client: AsyncSume | None) -> list[_Source]:
    """Jobs, results, ids or a `history()` DataFrame as journal rows, each with the client to fetch its media."""
    if hasattr(things, "to_dict") and hasattr(things, "columns"):  # a DataFrame of history()
        if not things.empty and "job_id" not in things.columns:
            raise ValueError("This DataFrame has no job_id column: pass a history() frame, jobs or job ids.")
        return [_Source(dict(row), client) for row in things.to_dict("records")]
    if isinstance(things, (str, Job, JobResult)):
        things = [things]
    cache: dict[Path, Rows] = {}
    journalled = _rows_of(client.journal if client is not None else default_journal(), cache)
    found = []
    for thing in things:
        if isinstance(thing, JobResult):
            found.append(_Source(_job_row(thing.job, cache), thing.job.client, thing))
        elif isinstance(thing, Job):
            found.append(_Source(_job_row(thing, cache), thing.client))
        elif isinstance(thing, str) and thing.strip():
            service = redact_url(client.base_url) if client is not None else None
            row = journalled.get((service, thing)) or next(
                (r for (_, job_id), r in journalled.items() if job_id == thing and client is None), None)
            found.append(_Source(row or {"job_id": thing, "base_url": service, "status": _UNKNOWN}, client))
        else:
            raise TypeError(f"Cannot report on {thing!r}: pass Jobs, JobResults, job ids or a history() DataFrame.")
    return found


_UNKNOWN = "unknown"  # a job id the journal does not have: read from the service before it is reported
_NOT_THE_BODY = ("request_id", "request_state")


def _options(row: Mapping[str, Any]) -> dict[str, Any]:
    """What was asked besides the text: aspect ratio, resolution, duration, references..."""
    endpoint = endpoint_for(given(row.get("kind")) or "")
    text_field = endpoint.text_field if endpoint is not None else None
    request = given(row.get("request")) or {  # a history() frame has the body flattened into request_* columns
        name.removeprefix("request_"): given(value) for name, value in row.items()
        if name.startswith("request_") and name not in _NOT_THE_BODY}
    return {name: value for name, value in request.items() if name != text_field and value not in (None, "", [])}


async def _look_up(source: _Source, media: Media) -> None:
    """A job id the journal does not have, read from the service (or the reason it could not be)."""
    client, why_not = media.client_for(given(source.row.get("base_url")), source.client)
    try:
        if client is None:
            raise SumeError(why_not or "no client")
        async with media.gate:
            job = await client.jobs.get(source.row["job_id"])
    except FETCH_ERRORS as exc:
        source.row["error_message"] = f"not in the journal, and not read from the service: {failure(exc)}"
        return
    source.row, source.client = _job_row(job, {}), client


async def _files(source: _Source, media: Media) -> tuple[ReportFile, ...]:
    if source.row.get("status") == _UNKNOWN:
        await _look_up(source, media)
    return await media.files(source.row, source.client, source.result)


def _item(row: Mapping[str, Any], files: Iterable[ReportFile]) -> ReportItem:
    reason = given(row.get("error_message")) or given(row.get("error_code"))
    credits = given(row.get("credits"))
    return ReportItem(
        job_id=given(row.get("job_id")), kind=given(row.get("kind")), prompt=given(row.get("prompt")),
        options=sanitize(_options(row)), status=str(given(row.get("status")) or "unknown"),
        reason=redact(str(reason)) if reason else None,
        review=Review(given(row.get("rating")), bool(given(row.get("starred"))), tuple(given(row.get("tags")) or ()),
                      given(row.get("note")) or ""),
        credits=float(credits) if credits is not None else None,
        credits_estimated=bool(given(row.get("credits_estimated"))),
        created_at=_time(row.get("created_at")), finished_at=_time(row.get("finished_at")), files=tuple(files),
    )


async def collect(things: Any, client: AsyncSume | None, *, full_files: Path | None = None,
                  edge: int = EDGE) -> list[ReportItem]:
    """The report's items, in the order given; `full_files` is where the full outputs are saved (for a zip)."""
    found = sources(things, client)
    media = Media(full_files, edge)
    try:
        files = await asyncio.gather(*(_files(source, media) for source in found))
    finally:
        await media.close()
    return [_item(source.row, got) for source, got in zip(found, files)]

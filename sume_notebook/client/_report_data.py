"""What a report shows of each job, gathered from the journal, the job objects and their media.

A report takes what a person already has at hand: `Job`s and `JobResult`s, job ids, or a `history()` DataFrame.
Each becomes one journal row (what was asked, how it ended, the review, the credits), or, for a job its client did
not journal, what the `Job` itself knows. Media comes from the files the journal saw downloaded when they are still
on disk, else from the service through a client; a job whose media cannot be had keeps its card, with the reason.
Only small stills are kept in memory; full files (for the zip) are streamed to disk.
"""

from __future__ import annotations

import asyncio
import mimetypes
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from .._redaction import redact, redact_url, sanitize
from ._downloads import extension_for, readable_stem
from ._endpoints import endpoint_for
from ._errors import SumeError
from ._job import FAILED_STATUSES, Job, JobResult
from ._journal import Journal, default_journal
from ._models import Output
from ._reviews import Review
from .stills import Still, downscale

if TYPE_CHECKING:
    from ._client import AsyncSume

__all__ = ["EDGE", "ReportFile", "ReportItem", "collect"]

EDGE = 512  # longest side of an embedded still, in pixels: sharp in a contact sheet, small in a file
_MAX_IMAGE_BYTES = 64 * 1024**2
_MAX_POSTER_BYTES = 8 * 1024**2
_CONCURRENCY = 4
_FETCH_ERRORS = (SumeError, httpx.HTTPError, OSError)  # OSError: Pillow cannot read the bytes


@dataclass(frozen=True)
class ReportFile:
    """One output: its file name, its kind, a small still (the image, or a video's poster frame), the full file
    when it is on disk, and why there is no still when there is none."""

    name: str
    kind: str
    still: Still | None
    path: Path | None = None
    note: str | None = None


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


def _given(value: Any) -> Any:
    """A DataFrame cell as a plain value: NaN, NaT and <NA> are None."""
    if isinstance(value, (list, tuple, dict)):
        return value
    try:
        import pandas as pd

        return None if pd.isna(value) else value
    except (ImportError, TypeError, ValueError):
        return value


def _time(value: Any) -> datetime | None:
    value = _given(value)
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
            if row is None and client is None:
                raise ValueError(f"{thing!r} is not in the journal: pass client= (or the Job) to report on it.")
            found.append(_Source(row or {"job_id": thing, "base_url": service, "status": "unknown"}, client))
        else:
            raise TypeError(f"Cannot report on {thing!r}: pass Jobs, JobResults, job ids or a history() DataFrame.")
    return found


_NOT_THE_BODY = ("request_id", "request_state")


def _options(row: Mapping[str, Any]) -> dict[str, Any]:
    """What was asked besides the text: aspect ratio, resolution, duration, references..."""
    endpoint = endpoint_for(_given(row.get("kind")) or "")
    text_field = endpoint.text_field if endpoint is not None else None
    request = _given(row.get("request")) or {  # a history() frame has the body flattened into request_* columns
        name.removeprefix("request_"): _given(value) for name, value in row.items()
        if name.startswith("request_") and name not in _NOT_THE_BODY}
    return {name: value for name, value in request.items() if name != text_field and value not in (None, "", [])}


def _kind_of_file(path: Path) -> str:
    kind = (mimetypes.guess_type(path.name)[0] or "").split("/", 1)[0]
    return kind if kind in ("image", "video") else "file"


def _failure(exc: BaseException) -> str:
    return redact(str(exc) or type(exc).__name__).split("\n", 1)[0]


class _Media:
    """Fetches stills (and full files for a zip) through clients; a default client from the environment is made
    only when a job needs one and none was given."""

    def __init__(self, full_files: Path | None, edge: int) -> None:
        self.full_files = full_files
        self.edge = edge
        self.gate = asyncio.Semaphore(_CONCURRENCY)
        self._default: AsyncSume | None = None
        self._default_error: str | None = None

    async def close(self) -> None:
        if self._default is not None:
            await self._default.close()

    def client_for(self, source: _Source) -> tuple[AsyncSume | None, str | None]:
        """The client that can fetch this job's media, or why there is none."""
        service = _given(source.row.get("base_url"))
        client = source.client
        if client is None and self._default_error is None:
            from ._client import AsyncSume

            try:
                self._default = self._default or AsyncSume()
            except SumeError as exc:
                self._default_error = _failure(exc)
            client = self._default
        if client is None:
            return None, f"not downloaded, and no client to fetch it: {self._default_error}"
        if service and redact_url(client.base_url) != service:
            return None, f"not downloaded; it is on {service}: pass a client of that service (client=)"
        return client, None

    async def files(self, source: _Source, words: str) -> tuple[ReportFile, ...]:
        row = source.row
        job_id = _given(row.get("job_id"))
        if not job_id or row.get("status") != "completed":
            return ()
        async with self.gate:
            local = [Path(p) for p in _given(row.get("downloads")) or [] if Path(p).is_file()]
            client, why_not = self.client_for(source)
            outputs: list[Output] = []
            if client is not None and (not local or any(_kind_of_file(p) == "video" for p in local)):
                try:
                    outputs = (source.result or await client.jobs.result(job_id)).outputs
                except _FETCH_ERRORS as exc:
                    why_not = f"its result could not be read: {_failure(exc)}"
            if local:
                posters = [o for o in outputs if o.kind == "video"]
                return tuple([await self._local(path, posters, client) for path in local])
            if not outputs:
                return (ReportFile("", "file", None, note=why_not or "the job listed no outputs"),)
            return tuple([await self._fetched(client, job_id, output, words) for output in outputs])

    async def _local(self, path: Path, posters: list[Output], client: AsyncSume | None) -> ReportFile:
        kind = _kind_of_file(path)
        try:
            if kind == "image":
                return ReportFile(path.name, kind, downscale(path.read_bytes(), self.edge), path)
            poster = posters.pop(0) if posters and kind == "video" else None
            if poster is None or client is None or not poster.thumbnail_url:
                return ReportFile(path.name, kind, None, path, note="no poster frame at hand")
            still = downscale(await client.read_media(poster.thumbnail_url, max_bytes=_MAX_POSTER_BYTES), self.edge)
            return ReportFile(path.name, kind, still, path)
        except _FETCH_ERRORS as exc:
            return ReportFile(path.name, kind, None, path, note=f"no preview: {_failure(exc)}")

    async def _fetched(self, client: AsyncSume, job_id: str, output: Output, words: str) -> ReportFile:
        kind = output.kind if output.kind in ("image", "video") else "file"
        name = readable_stem(words, job_id, output.index) + extension_for(output.content_type)
        path = None
        try:
            if self.full_files is not None:
                [path] = await client._downloader.save_outputs(job_id, [output], self.full_files, words=words)
                name = path.name
            if kind == "image":
                data = path.read_bytes() if path else await client.read_media(output.url or "",
                                                                              max_bytes=_MAX_IMAGE_BYTES)
                return ReportFile(name, kind, downscale(data, self.edge), path)
            if not output.thumbnail_url:
                return ReportFile(name, kind, None, path, note="the service gave no poster frame")
            poster = await client.read_media(output.thumbnail_url, max_bytes=_MAX_POSTER_BYTES)
            return ReportFile(name, kind, downscale(poster, self.edge), path)
        except _FETCH_ERRORS as exc:
            return ReportFile(name, kind, None, path, note=f"not available: {_failure(exc)}")


def _item(row: Mapping[str, Any], files: Iterable[ReportFile]) -> ReportItem:
    reason = _given(row.get("error_message")) or _given(row.get("error_code"))
    credits = _given(row.get("credits"))
    return ReportItem(
        job_id=_given(row.get("job_id")), kind=_given(row.get("kind")), prompt=_given(row.get("prompt")),
        options=sanitize(_options(row)), status=str(_given(row.get("status")) or "unknown"),
        reason=redact(str(reason)) if reason else None,
        review=Review(_given(row.get("rating")), bool(_given(row.get("starred"))), tuple(_given(row.get("tags")) or ()),
                      _given(row.get("note")) or ""),
        credits=float(credits) if credits is not None else None,
        credits_estimated=bool(_given(row.get("credits_estimated"))),
        created_at=_time(row.get("created_at")), finished_at=_time(row.get("finished_at")), files=tuple(files),
    )


async def collect(things: Any, client: AsyncSume | None, *, full_files: Path | None = None,
                  edge: int = EDGE) -> list[ReportItem]:
    """The report's items, in the order given; `full_files` is where the full outputs are saved (for a zip)."""
    found = sources(things, client)
    media = _Media(full_files, edge)
    try:
        files = await asyncio.gather(*(
            media.files(s, _given(s.row.get("prompt")) or _given(s.row.get("kind")) or "output") for s in found))
    finally:
        await media.close()
    return [_item(source.row, got) for source, got in zip(found, files)]

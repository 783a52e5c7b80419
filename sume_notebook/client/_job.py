"""`Job` and `JobResult`: a live handle on one asynchronous job, and what it produced."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._redaction import redact, sanitize
from ._downloads import extension_for, readable_stem
from ._models import JobError, Output, ReferenceAnalysis, parse_outputs, parse_time
from ._reviews import Review
from .reprs import Card, Rendered, job_card, result_card

if TYPE_CHECKING:
    from ._client import AsyncSume

__all__ = ["FAILED_STATUSES", "TERMINAL_STATUSES", "Job", "JobResult"]

TERMINAL_STATUSES = frozenset({"completed", "failed", "canceled", "cancelled", "expired"})
FAILED_STATUSES = TERMINAL_STATUSES - {"completed"}


def _progress(value: Any, status: str, percent_seen: bool) -> tuple[float | None, bool]:
    """Progress as a fraction 0..1 from a fraction, a percent 0..100, or nothing.

    A value above 1 means percent (and is remembered for the job). A bare integer 1 on a running job reads as
    1 %: a fraction reaches 1 only when the job is done.
    """
    if isinstance(value, str):
        value = value.strip().rstrip("%")
        try:
            value = float(value)
        except ValueError:
            return None, percent_seen
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None, percent_seen
    percent = percent_seen or value > 1 or (value == 1 and isinstance(value, int) and status not in TERMINAL_STATUSES)
    fraction = value / 100 if percent else value
    return min(1.0, max(0.0, float(fraction))), percent


class Job(Rendered):
    """A job on the service. Its fields update in place on `refresh()` and while `wait()` polls."""

    id: str
    type: str | None
    status: str
    progress: float | None
    error: JobError | None
    created_at: datetime | None
    updated_at: datetime | None
    completed_at: datetime | None
    request_id: str | None
    request: dict[str, Any] | None
    prompt: str | None

    def __init__(
        self, client: AsyncSume, data: Mapping[str, Any], *, request_id: str | None = None, job_type: str | None = None
    ) -> None:
        self._client = client
        self._percent = False
        self.raw: dict[str, Any] = {}
        self.id = str(data.get("id") or data.get("job_id") or "")
        self.type = job_type
        self.status = "queued"
        self.progress = None
        self.error = None
        self.created_at = self.updated_at = self.completed_at = None
        self.request_id = request_id
        # What was asked for, set by the create that started this job; None for a job attached by its id.
        self.request = None
        self.prompt = None  # the request's text (an image's prompt, an ad's script): names downloads
        self._apply(data, request_id)

    def _apply(self, data: Mapping[str, Any], request_id: str | None = None) -> bool:
        """Take a fresher view of the job; True when status, progress or error changed."""
        before = (self.status, self.progress, self.error)
        self.raw.update(data)
        self.type = data.get("type") or self.type
        self.status = str(data.get("status") or self.status)
        if "progress" in data:
            self.progress, self._percent = _progress(data.get("progress"), self.status, self._percent)
        if self.status == "completed":
            self.progress = 1.0
        error = data.get("error")
        # A job's error is shown, journalled and raised: redacted once here (a message may carry a signed URL).
        self.error = JobError.from_api(sanitize(error)) if isinstance(error, Mapping) else (
            JobError(code=None, message=redact(error)) if error else None
        )
        for name in ("created_at", "updated_at", "completed_at"):
            if name in data:
                setattr(self, name, parse_time(data.get(name)))
        self.request_id = request_id or self.request_id
        return (self.status, self.progress, self.error) != before

    @property
    def client(self) -> AsyncSume:
        """The client this job belongs to (widgets and the magics follow the job through it)."""
        return self._client

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES

    @property
    def succeeded(self) -> bool:
        return self.status == "completed"

    def __getattr__(self, name: str) -> Any:
        raw = self.__dict__.get("raw")
        if raw is not None and not name.startswith("_") and name in raw:
            return raw[name]
        raise AttributeError(f"Job has no field {name!r}")

    async def refresh(self) -> Job:
        """Read the job's current state once."""
        return await self._client.jobs._refresh(self)

    async def wait(self, timeout: float | None = None, on_update: Callable[[Job], Any] | None = None) -> Job:
        """Poll until the job ends; return it when completed, raise `JobFailedError` or `JobTimeoutError` otherwise.

        `timeout` defaults to the seeds' deadline for the job type (600 s images/analyses, 1800 s videos).
        `on_update(job)` runs on every change of status or progress, on the polling loop: keep it quick.
        """
        return await self._client._poller().wait(self, timeout, on_update)

    async def result(self) -> JobResult:
        """The outputs of a completed job (409 `ConflictError` before completion)."""
        return await self._client.jobs.result(self)

    # --- what a person thinks of it: kept in the journal, nothing is sent ----------------------------------------

    @property
    def review(self) -> Review:
        """This job's rating, star, tags and note, as the journal has them now."""
        return self._client.jobs.review(self)

    def rate(self, stars: int | None) -> Review:
        """Rate the job 1 to 5 stars; None clears the rating."""
        return self._client.jobs.set_review(self, rating=stars)

    def star(self, starred: bool = True) -> Review:
        """Put the job on the shortlist (`starred=False` takes it off)."""
        return self._client.jobs.set_review(self, starred=starred)

    def tag(self, *tags: str) -> Review:
        """Add tags (short, without commas) to the job; tags it already has stay once."""
        return self._client.jobs.set_review(self, add_tags=self._some(tags))

    def untag(self, *tags: str) -> Review:
        """Take tags off the job (a tag it does not have is ignored)."""
        return self._client.jobs.set_review(self, remove_tags=self._some(tags))

    def note(self, text: str) -> Review:
        """Keep a note with the job, replacing the last one; "" clears it."""
        return self._client.jobs.set_review(self, note=text)

    @staticmethod
    def _some(tags: tuple[str, ...]) -> tuple[str, ...]:
        if not tags:
            raise ValueError('Name at least one tag, e.g. job.tag("hero").')
        return tags

    def __repr__(self) -> str:
        progress = f", progress={self.progress:.0%}" if self.progress is not None and not self.is_terminal else ""
        error = f", error={self.error.code or self.error.message!r}" if self.error else ""
        return redact(f"Job(id={self.id!r}, type={self.type!r}, status={self.status!r}{progress}{error})")

    def card(self) -> Card:
        """This object as a person reads it (its HTML, its IPython text and the magics' card)."""
        return job_card(self)


class JobResult(Rendered):
    """A completed job with its `outputs` (images or videos) or, for a reference analysis, its `analysis`."""

    def __init__(self, job: Job, result: Mapping[str, Any]) -> None:
        self.job = job
        self.raw = dict(result)
        self.outputs: list[Output] = parse_outputs(result)
        looks_like_analysis = job.type == "reference_analysis" or "scenes" in result or "summary" in result
        self.analysis: ReferenceAnalysis | None = ReferenceAnalysis.from_api(result) if looks_like_analysis else None

    @property
    def id(self) -> str:
        return self.job.id

    @property
    def status(self) -> str:
        return self.job.status

    async def download(
        self, path: str | Path = ".", *, max_bytes: int | None = None, name: str | None = None,
        outputs: Sequence[Output] | None = None, max_job_bytes: int | None = None, deadline: float | None = None,
    ) -> list[Path]:
        """Save every output (or only `outputs`) into the directory `path`; return the local paths.

        Files are named for a person: `serum-bottle-on-marble-job_9f3a2b1c-0.png`, from `name` (default: the job's
        prompt, else its type), the short job id and the output index, with the extension of an allowed media type
        (else `.bin`). Limits: `max_bytes` per file (2 GiB), `max_job_bytes` together (4 GiB), at most 16 files,
        and `deadline` seconds per file (default: a minute plus its declared size at 256 KiB/s).
        """
        client = self.job._client
        paths = await client._downloader.save_outputs(
            self.job.id, self.outputs if outputs is None else outputs, Path(path), max_bytes=max_bytes,
            words=self._words(name), max_job_bytes=max_job_bytes, deadline=deadline,
        )
        client._recorder.downloaded(self.job.id, [str(p) for p in paths])
        return paths

    def file_name(self, output: Output, name: str | None = None) -> str:
        """The name `download()` gives `output`, for a browser download of bytes already in hand."""
        return readable_stem(self._words(name), self.job.id, output.index) + extension_for(output.content_type)

    def _words(self, name: str | None) -> str:
        return name or self.job.prompt or self.job.type or "output"

    def __repr__(self) -> str:
        kinds = ", ".join(f"{o.kind}" for o in self.outputs)
        what = f"outputs=[{kinds}]" if self.outputs else ("analysis" if self.analysis else "no outputs")
        return f"JobResult(id={self.job.id!r}, status={self.job.status!r}, {what})"

    def card(self) -> Card:
        """This object as a person reads it (its HTML, its IPython text and the magics' card)."""
        return result_card(self)

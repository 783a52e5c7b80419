"""`Recorder`: the client's side of the journal, one named method per thing worth remembering."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._redaction import redact_url
from ._errors import SumeError
from ._journal import Journal
from ._origin import current_origin
from ._reviews import Review
from ._sender import current_sender

if TYPE_CHECKING:
    from ._endpoints import Endpoint
    from ._job import Job

__all__ = ["Recorder"]


class Recorder:
    """What a client with its service (base URL) and key tells its journal; nothing without one (`journal=False`).

    Nothing here fails the API call behind it: the journal turns a file it cannot use into one warning (see
    `Journal`), and a create whose request cannot be journalled is still sent, since a broken journal must never
    block work. Every create and attached job carries where it came from (`current_origin()`).
    """

    def __init__(self, journal: Journal | None, base_url: str, key_fingerprint: str) -> None:
        self.journal = journal
        self._base_url = base_url
        self._key_fingerprint = key_fingerprint

    def unresolved_key(self, endpoint: Endpoint, body: Mapping[str, Any]) -> str | None:
        """The key of an identical create of this service and key still awaiting its answer, to send it again."""
        if self.journal is None:
            return None
        return self.journal.unresolved_key(endpoint.kind, endpoint.path, body, self._base_url, self._key_fingerprint)

    def unresolved(self) -> list[dict[str, Any]]:
        """The journal's creates of this service and key sent without a known answer, oldest first."""
        if self.journal is None:
            return []
        service = redact_url(self._base_url)
        return [row for row in self.journal.entries()
                if row["job_id"] is None and row["request_state"] in ("sent", "ambiguous")
                and row["base_url"] == service and row["key_fingerprint"] == self._key_fingerprint]

    def jobs_of(self, kind: str) -> list[dict[str, Any]]:
        """The journal's jobs of this service and key created as `kind`, oldest first (their requests sanitized)."""
        if self.journal is None:
            return []
        service = redact_url(self._base_url)
        return [row for row in self.journal.entries()
                if row["job_id"] and row["kind"] == kind
                and row["base_url"] == service and row["key_fingerprint"] == self._key_fingerprint]

    def request_sent(self, idempotency_key: str, endpoint: Endpoint, body: Mapping[str, Any]) -> None:
        if self.journal is not None:
            self.journal.record_request(idempotency_key, endpoint.kind, endpoint.path, body, self._base_url,
                                        self._key_fingerprint, current_origin(), current_sender())

    def create_refused(self, idempotency_key: str, error: BaseException) -> None:
        if self.journal is not None:
            self.journal.record_outcome(idempotency_key, "rejected", error)

    def create_ambiguous(self, idempotency_key: str, error: BaseException) -> None:
        if self.journal is not None:
            self.journal.record_outcome(idempotency_key, "ambiguous", error)

    def jobs_accepted(self, idempotency_key: str, jobs: Sequence[Job], request_id: str | None,
                      required_credits: float | None = None) -> None:
        if self.journal is not None:
            accepted = [(job.id, job.type, job.status) for job in jobs]
            self.journal.record_accepted(idempotency_key, accepted, request_id, self._base_url, self._key_fingerprint,
                                         required_credits)

    def job_attached(self, job: Job) -> None:
        if self.journal is not None:
            self.journal.record_attached(job.id, job.type, job.status, self._base_url, self._key_fingerprint,
                                         current_origin())
        self.status_seen(job, job.request_id)  # a journalled job may have ended meanwhile

    def status_seen(self, job: Job, request_id: str | None) -> None:
        if self.journal is not None:
            error = job.error
            self.journal.record_status(job.id, job.status, error.code if error else None,
                                       error.message if error else None, request_id, base_url=self._base_url)

    def outputs_seen(self, job_id: str, summaries: Sequence[Mapping[str, Any]]) -> None:
        if self.journal is not None:
            self.journal.record_outputs(job_id, summaries, base_url=self._base_url)

    def downloaded(self, job_id: str, paths: Sequence[str]) -> None:
        if self.journal is not None:
            self.journal.record_downloads(job_id, paths, base_url=self._base_url)

    def review(self, job_id: str) -> Review:
        return self._reviews().review(job_id, base_url=self._base_url)

    def change_review(self, job_id: str, **changes: Any) -> Review:
        return self._reviews().record_review(job_id, base_url=self._base_url, **changes)

    def _reviews(self) -> Journal:
        """Reviews live only in the journal: without one, say how to get one rather than forget them silently."""
        if self.journal is None:
            raise SumeError("Ratings, stars, tags and notes are kept in the job journal, and this client has none "
                            "(journal=False).\nMake the client with journal=True (the default) or "
                            "journal='path/to/journal.sqlite3'.")
        return self.journal

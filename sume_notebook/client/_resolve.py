"""`jobs.resolve()`: ask the service again about each create whose answer never arrived.

A process that dies (or loses its connection) after sending a create leaves a `sent` request in the journal: the
service may have accepted and charged it, or never received it. Sending the journalled body again with its
original idempotency key settles which: the service replays the accepted job (no second charge) or creates it now.
Only what can be sent exactly as the first time is sent: not past the service's idempotency window (it would start
a second job), and not when the journal stored a sanitized body (signed URLs lose their query there).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from .._redaction import redact
from ._endpoints import endpoint_for
from ._errors import SumeError
from ._journal import IDEMPOTENCY_WINDOW, in_flight

if TYPE_CHECKING:
    from ._client import AsyncSume
    from ._job import Job

__all__ = ["Resolution", "resolve"]

_CLOCK_SLACK = timedelta(seconds=1)  # a job created before the re-send by more than this was not created by it


@dataclass(frozen=True)
class Resolution:
    """What became of one unresolved create: `outcome` is `replayed` (the service had accepted it: its job, no
    second charge), `created` (the first send never arrived: created now), `expired`, `not_sent` or `sending` (left
    alone, see `note`), or `failed` (the service refused it now, or the answer was lost again)."""

    outcome: str
    kind: str | None
    request: dict[str, Any]
    sent_at: datetime
    note: str
    jobs: list[Job] = field(default_factory=list)

    @property
    def job_id(self) -> str | None:
        return self.jobs[0].id if self.jobs else None


async def resolve(client: AsyncSume) -> list[Resolution]:
    """Re-send each unresolved create of this client's service and key with its original key and body."""
    resolutions = []
    for row in client._recorder.unresolved():
        resolutions.append(await _resolve_one(client, row))
    return resolutions


async def _resolve_one(client: AsyncSume, row: dict[str, Any]) -> Resolution:
    sent_at = datetime.fromtimestamp(row["sent_at"], timezone.utc)

    def settled(outcome: str, note: str, jobs: list[Job] | None = None) -> Resolution:
        return Resolution(outcome, row["kind"], row["request"], sent_at, note, jobs or [])

    endpoint = endpoint_for(row["kind"])
    if in_flight(row["request_state"], row["sender"]):
        return settled("sending", f"its process ({row['sender']}) still waits for the answer: not re-sent")
    if time.time() - row["sent_at"] > IDEMPOTENCY_WINDOW:
        return settled("expired", "sent over 24 h ago, past the service's idempotency window: not re-sent; "
                                  "look for its job in jobs.list() (`%sume jobs list`)")
    if endpoint is None or not row["body_exact"]:
        return settled("not_sent", "the journal holds this request without its signed URLs or secrets, so it "
                                   "cannot be sent exactly as the first time: not re-sent; look for its job in "
                                   "jobs.list() (`%sume jobs list`) before creating it again")
    resent_at = datetime.now(timezone.utc)
    try:
        created = await client._send_create(endpoint, row["idempotency_key"], row["request"])
    except SumeError as exc:
        return settled("failed", redact(exc).split("\n", 1)[0])
    job = created.jobs[0]
    replayed = created.replayed or (job.created_at is not None and job.created_at < resent_at - _CLOCK_SLACK)
    if replayed:
        return settled("replayed", f"the service had accepted it: job {job.id}, no second charge", created.jobs)
    return settled("created", f"the first send never reached the service: job {job.id} created now", created.jobs)

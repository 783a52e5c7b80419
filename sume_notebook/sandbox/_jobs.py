"""The job lifecycle: a job's status and progress are a function of the clock, decided at creation.

At create time a job gets its start and end times (its type's duration times the time scale, with a
deterministic jitter from its id) and its outcome (completed unless a job fault says otherwise). Reads
derive status and progress from the clock, so nothing runs in the background; side effects of a job
ending (refunds, new library scenes) are applied once, by `settle_due`, at the next request.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable

from . import _catalog as cat
from ._json_input import readable
from ._store import Store, dumps, iso, loads, now


@dataclass
class JobFault:
    """Make the next `count` jobs (of `type`, or any) end as `outcome` instead of completing."""

    outcome: str  # failed | expired | canceled | no_progress
    count: int = 1
    type: str | None = None
    code: str = "provider_error"
    message: str = "The generation provider failed to produce an output."


@dataclass
class Settings:
    seed: int = 0
    time_scale: float = 1.0
    rate_per_second: float = cat.DEFAULT_RATE_PER_SECOND
    rate_burst: int = cat.DEFAULT_RATE_BURST
    max_upload_bytes: int = cat.DEFAULT_MAX_UPLOAD_BYTES
    upload_url_ttl: float = cat.UPLOAD_URL_TTL_SECONDS
    job_faults: list[JobFault] = field(default_factory=list)


OUTCOME_END_FRACTION = {"failed": 0.6, "canceled": 0.3, "expired": 1.0, "completed": 1.0}
DEFAULT_OUTCOME_ERRORS = {
    "expired": ("job_expired", "The job did not finish in time and expired."),
    "canceled": ("job_canceled", "The job was canceled."),
}

SettleHook = Callable[[dict], None]


def _jitter(job_id: str) -> float:
    """A deterministic factor in [0.85, 1.15] so jobs of one type do not all end together."""
    digest = hashlib.sha256(job_id.encode()).digest()
    return 0.85 + 0.3 * (digest[0] / 255)


class Jobs:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.on_settle: dict[str, SettleHook] = {}

    def new_id(self, prefix: str = "job") -> str:
        """Stable across restarts of one data directory (its salt and counter persist), and never the same for two
        data directories: a client's journal keyed by service and id must not mistake one sandbox's job for
        another's."""
        number = self.store.next_number(prefix)
        digest = hashlib.sha256(f"{self.store.id_salt()}:{self.settings.seed}:{prefix}:{number}".encode()).hexdigest()
        return f"{prefix}_{digest[:20]}"

    def _take_fault(self, job_type: str) -> JobFault | None:
        for fault in self.settings.job_faults:
            if fault.count > 0 and fault.type in (None, job_type):
                fault.count -= 1
                if fault.count == 0:
                    self.settings.job_faults.remove(fault)
                return fault
        return None

    def create(self, workspace_id: str, job_type: str, request: dict, credits: int, *,
               avatar_id: str | None = None, extra: dict | None = None) -> dict:
        """Insert a job whose whole future (timings, outcome) is fixed now."""
        job_id = self.new_id()
        created = now()
        duration = cat.JOB_DURATIONS[job_type] * self.settings.time_scale * _jitter(job_id)
        fault = self._take_fault(job_type)
        outcome = "completed" if fault is None or fault.outcome == "no_progress" else fault.outcome
        error = None
        if fault is not None and outcome != "completed":
            custom = (fault.code, fault.message) != (JobFault.code, JobFault.message)
            use_fault = custom or outcome == "failed"
            code, message = (fault.code, fault.message) if use_fault else DEFAULT_OUTCOME_ERRORS[outcome]
            error = {"code": code, "message": message}
        ends = created + duration * OUTCOME_END_FRACTION[outcome]
        started = created + duration * cat.QUEUED_FRACTION
        self.store.execute(
            "INSERT INTO jobs (id, workspace_id, type, outcome, created_at, started_at, ends_at, credits, request,"
            " error, no_progress, avatar_id, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (job_id, workspace_id, job_type, outcome, created, min(started, ends), ends, credits, dumps(request),
             dumps(error) if error else None, int(bool(fault and fault.outcome == "no_progress")), avatar_id,
             dumps(extra or {})),
        )
        return self.get(workspace_id, job_id)

    def get(self, workspace_id: str, job_id: str) -> dict | None:
        row = self.store.one("SELECT * FROM jobs WHERE id = ? AND workspace_id = ?", (job_id, workspace_id))
        return _decode(row) if row else None

    def get_any(self, job_id: str) -> dict | None:
        row = self.store.one("SELECT * FROM jobs WHERE id = ?", (job_id,))
        return _decode(row) if row else None

    def list(self, workspace_id: str, *, job_type: str | None, status: str | None, limit: int,
             before: tuple[float, str] | None) -> tuple[list[dict], bool]:
        """Newest first, keyset-paged by (created_at, id) so new jobs never shift a page."""
        sql = "SELECT * FROM jobs WHERE workspace_id = ?"
        params: list = [workspace_id]
        if job_type:
            sql += " AND type = ?"
            params.append(job_type)
        if before:
            sql += " AND (created_at < ? OR (created_at = ? AND id < ?))"
            params += [before[0], before[0], before[1]]
        sql += " ORDER BY created_at DESC, id DESC"
        if not status:  # a status is derived from the clock, so only then must every row be read
            sql += f" LIMIT {int(limit) + 1}"
        rows = [_decode(row) for row in self.store.all(sql, params)]
        if status:
            moment = now()
            rows = [row for row in rows if status_of(row, moment) == status]
        return rows[:limit], len(rows) > limit

    def active_count(self, workspace_id: str) -> int:
        placeholders = ",".join("?" for _ in cat.GENERATION_TYPES)
        row = self.store.one(
            f"SELECT COUNT(*) AS n FROM jobs WHERE workspace_id = ? AND ends_at > ? AND type IN ({placeholders})",
            (workspace_id, now(), *sorted(cat.GENERATION_TYPES)),
        )
        return int(row["n"])

    def settle_due(self) -> None:
        """Apply, once, what a job's end implies: a refund when it did not complete, or its type's hook."""
        due = self.store.all("SELECT * FROM jobs WHERE settled = 0 AND ends_at <= ?", (now(),))
        for row in due:
            job = _decode(row)
            with self.store.transaction():
                claimed = self.store.execute("UPDATE jobs SET settled = 1 WHERE id = ? AND settled = 0", (job["id"],))
                if not claimed:
                    continue
                if job["outcome"] != "completed" and job["credits"]:
                    self.store.execute(
                        "UPDATE workspaces SET remaining_credits = remaining_credits + ? WHERE id = ?",
                        (job["credits"], job["workspace_id"]),
                    )
            hook = self.on_settle.get(job["type"])
            if hook and job["outcome"] == "completed":
                hook(job)

    def cancel(self, job: dict) -> bool:
        """End a running job now as canceled (admin), refunding at the next settle; False if it already ended."""
        moment = now()
        error = {"code": "job_canceled", "message": "The job was canceled."}
        return bool(self.store.execute(
            "UPDATE jobs SET outcome = 'canceled', ends_at = ?, error = ?"
            " WHERE id = ? AND settled = 0 AND ends_at > ?",
            (moment, dumps(error), job["id"], moment),
        ))


def _decode(row) -> dict:
    job = dict(row)
    job["request"] = readable(loads(job["request"]))
    job["error"] = readable(loads(job["error"]))
    job["extra"] = readable(loads(job["extra"])) or {}
    return job


def status_of(job: dict, moment: float) -> str:
    if moment >= job["ends_at"]:
        return job["outcome"]
    if moment < job["started_at"]:
        return "queued"
    return cat.RUNNING_STATUS.get(job["type"], "running")


def progress_of(job: dict, moment: float) -> float | None:
    status = status_of(job, moment)
    if job["no_progress"]:
        return None
    if status == "completed":
        return 1.0
    if status == "queued" or status in cat.TERMINAL_STATUSES:
        return 0.0 if status == "queued" else None
    span = job["ends_at"] - job["started_at"]
    fraction = (moment - job["started_at"]) / span if span > 0 else 0.99
    return round(min(max(fraction, 0.01), 0.99), 3)


def job_json(job: dict, moment: float | None = None) -> dict:
    """The public job object: status and progress as of `moment`, sanitized error, result URL."""
    moment = now() if moment is None else moment
    status = status_of(job, moment)
    terminal = status in cat.TERMINAL_STATUSES
    body = {
        "object": "job",
        "id": job["id"],
        "type": job["type"],
        "status": status,
        "created_at": iso(job["created_at"]),
        "updated_at": iso(min(moment, job["ends_at"]) if terminal else max(job["created_at"], moment)),
        "completed_at": iso(job["ends_at"]) if status == "completed" else None,
        "error": job["error"] if terminal and status != "completed" else None,
        "result_url": f"/api/v1/jobs/{job['id']}/result",
    }
    progress = progress_of(job, moment)
    if progress is not None:
        body["progress"] = progress
    if job["avatar_id"]:
        body["avatar_id"] = job["avatar_id"]
    return body

"""The job journal: a SQLite file that remembers every create and job, so nothing is lost or paid twice.

The sanitized request and its idempotency key are written before a create leaves the process, the job id as soon
as it is known, then each status change, error, output summary and download. After a crash or a kernel restart,
`pending()` lists the accepted jobs that had not finished, ready for `client.jobs.attach(id)`.

The file lives in `SUME_NOTEBOOK_HOME` (default: the per-user data directory). WAL mode and short immediate
transactions make it safe for several kernels at once. Secrets never reach it: URLs lose their query, storage
object keys and upload URLs are dropped, and every text goes through the redactor.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._redaction import redact, redact_url, sanitize
from ._job import TERMINAL_STATUSES

if TYPE_CHECKING:
    import pandas as pd

    from ._endpoints import Endpoint
    from ._job import Job

logger = logging.getLogger("sume_notebook.client")

__all__ = ["Journal", "JournalEntry", "Recorder", "default_journal", "history", "data_home", "pending", "pending_frame"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    idempotency_key TEXT PRIMARY KEY, kind TEXT, endpoint TEXT, body TEXT, base_url TEXT, key_fingerprint TEXT,
    state TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL,
    error_code TEXT, error_message TEXT, request_id TEXT);
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY, idempotency_key TEXT, type TEXT, status TEXT, base_url TEXT, key_fingerprint TEXT,
    created_at REAL NOT NULL, updated_at REAL NOT NULL, finished_at REAL,
    error_code TEXT, error_message TEXT, request_id TEXT, outputs TEXT, downloads TEXT);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, job_id TEXT NOT NULL, at REAL NOT NULL, status TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status);
"""


def data_home() -> Path:
    """`SUME_NOTEBOOK_HOME`, else the per-user data directory of the platform."""
    configured = os.environ.get("SUME_NOTEBOOK_HOME")
    if configured:
        return Path(configured).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "sume-notebook"


def _iso(epoch: float | None) -> str | None:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat() if epoch is not None else None


@dataclass(frozen=True)
class JournalEntry:
    """A journalled job: enough to show it and to `client.jobs.attach(entry.id)` it."""

    id: str
    type: str | None
    status: str | None
    kind: str | None
    request: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    base_url: str | None
    idempotency_key: str | None


class Journal:
    """One journal file; every method opens a short-lived connection, so it is safe from any thread or process."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout=30000")
            db.row_factory = sqlite3.Row
            yield db
        finally:
            db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # --- writes ----------------------------------------------------------------------------------------------

    def record_request(
        self, key: str, kind: str, endpoint: str, body: Mapping[str, Any], base_url: str, key_fingerprint: str
    ) -> None:
        now = time.time()
        with self._write() as db:
            db.execute(
                "INSERT OR IGNORE INTO requests VALUES (?, ?, ?, ?, ?, ?, 'sent', ?, ?, NULL, NULL, NULL)",
                (key, kind, endpoint, json.dumps(sanitize(body)), redact_url(base_url), key_fingerprint, now, now),
            )

    def record_outcome(self, key: str, state: str, error: BaseException) -> None:
        """A create that was refused (`rejected`) or whose fate is unknown (`ambiguous`)."""
        code = getattr(error, "code", None) or type(error).__name__
        with self._write() as db:
            db.execute(
                "UPDATE requests SET state=?, updated_at=?, error_code=?, error_message=?, request_id=? WHERE idempotency_key=?",
                (state, time.time(), code, redact(error).split("\n", 1)[0], getattr(error, "request_id", None), key),
            )

    def record_accepted(
        self, key: str, jobs: Sequence[tuple[str, str | None, str]], request_id: str | None, base_url: str, key_fingerprint: str
    ) -> None:
        now = time.time()
        with self._write() as db:
            db.execute(
                "UPDATE requests SET state='accepted', updated_at=?, request_id=? WHERE idempotency_key=?", (now, request_id, key)
            )
            for job_id, job_type, status in jobs:
                self._insert_job(db, job_id, key, job_type, status, redact_url(base_url), key_fingerprint, request_id, now)

    def record_attached(self, job_id: str, job_type: str | None, status: str, base_url: str, key_fingerprint: str) -> None:
        with self._write() as db:
            self._insert_job(db, job_id, None, job_type, status, redact_url(base_url), key_fingerprint, None, time.time())

    @staticmethod
    def _insert_job(db: sqlite3.Connection, job_id: str, key: str | None, job_type: str | None, status: str,
                    base_url: str, key_fingerprint: str, request_id: str | None, now: float) -> None:
        inserted = db.execute(
            "INSERT OR IGNORE INTO jobs (job_id, idempotency_key, type, status, base_url, key_fingerprint,"
            " created_at, updated_at, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (job_id, key, job_type, status, base_url, key_fingerprint, now, now, request_id),
        ).rowcount
        if inserted:
            db.execute("INSERT INTO events (job_id, at, status) VALUES (?, ?, ?)", (job_id, now, status))

    def record_status(
        self, job_id: str, status: str, error_code: str | None, error_message: str | None, request_id: str | None
    ) -> None:
        now = time.time()
        finished = now if status in TERMINAL_STATUSES else None
        with self._write() as db:
            changed = db.execute(
                "UPDATE jobs SET status=?, updated_at=?, finished_at=COALESCE(finished_at, ?), error_code=?,"
                " error_message=?, request_id=COALESCE(?, request_id) WHERE job_id=? AND status IS NOT ?",
                (status, now, finished, error_code, redact(error_message) if error_message else None, request_id, job_id, status),
            ).rowcount
            if changed:
                db.execute("INSERT INTO events (job_id, at, status) VALUES (?, ?, ?)", (job_id, now, status))

    def record_outputs(self, job_id: str, summaries: Sequence[Mapping[str, Any]]) -> None:
        with self._write() as db:
            db.execute("UPDATE jobs SET outputs=? WHERE job_id=?", (json.dumps(sanitize(list(summaries))), job_id))

    def record_downloads(self, job_id: str, paths: Sequence[str]) -> None:
        with self._write() as db:
            db.execute("UPDATE jobs SET downloads=? WHERE job_id=?", (json.dumps(list(paths)), job_id))

    # --- reads -----------------------------------------------------------------------------------------------

    def entries(self) -> list[dict[str, Any]]:
        """Every journalled job, and every create that produced none (refused, ambiguous, or cut off), oldest first."""
        query = """
            SELECT j.job_id, j.type, j.status, r.kind, r.body, COALESCE(j.created_at, r.created_at) AS created_at,
                   COALESCE(j.updated_at, r.updated_at) AS updated_at, j.finished_at,
                   COALESCE(j.error_code, r.error_code) AS error_code,
                   COALESCE(j.error_message, r.error_message) AS error_message,
                   COALESCE(j.request_id, r.request_id) AS request_id, j.outputs, j.downloads,
                   COALESCE(j.base_url, r.base_url) AS base_url, r.state AS request_state, r.idempotency_key
            FROM jobs j LEFT JOIN requests r ON r.idempotency_key = j.idempotency_key
            UNION ALL
            SELECT NULL, NULL, NULL, r.kind, r.body, r.created_at, r.updated_at, NULL, r.error_code, r.error_message,
                   r.request_id, NULL, NULL, r.base_url, r.state, r.idempotency_key
            FROM requests r WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.idempotency_key = r.idempotency_key)
            ORDER BY created_at"""
        with self._connect() as db:
            rows = [dict(row) for row in db.execute(query)]
        for row in rows:
            row["request"] = json.loads(row.pop("body") or "{}")
            for name in ("outputs", "downloads"):
                row[name] = json.loads(row[name]) if row[name] else []
        return rows

    def pending(self) -> list[JournalEntry]:
        """Accepted jobs not yet seen to finish, oldest first."""
        return [
            JournalEntry(
                id=row["job_id"], type=row["type"], status=row["status"], kind=row["kind"], request=row["request"],
                created_at=datetime.fromtimestamp(row["created_at"], timezone.utc),
                updated_at=datetime.fromtimestamp(row["updated_at"], timezone.utc),
                base_url=row["base_url"], idempotency_key=row["idempotency_key"],
            )
            for row in self.entries()
            if row["job_id"] and row["status"] not in TERMINAL_STATUSES
        ]

    def history(self) -> pd.DataFrame:
        """The journal as a DataFrame: one row per job (or job-less create), request fields as `request_*`."""
        from ._frames import records_frame

        rows = self.entries()
        for row in rows:
            for name in ("created_at", "updated_at", "finished_at"):
                row[name] = _iso(row[name])
        return records_frame(rows)


_default: dict[Path, Journal] = {}
_default_lock = threading.Lock()


def default_journal() -> Journal:
    """The journal under `data_home()`, shared by every client of this process."""
    path = (data_home() / "journal.sqlite3").resolve()
    with _default_lock:
        if path not in _default:
            _default[path] = Journal(path)
        return _default[path]


def history() -> pd.DataFrame:
    """Every journalled job of this machine's default journal, as a DataFrame."""
    return default_journal().history()


def pending() -> list[JournalEntry]:
    """Journalled jobs not yet terminal: pass each `entry.id` to `client.jobs.attach`."""
    return default_journal().pending()


def pending_frame() -> pd.DataFrame:
    """`pending()` as a DataFrame, one row per job (without the idempotency keys)."""
    from ._frames import records_frame

    rows = [{k: v for k, v in dataclasses.asdict(entry).items() if k != "idempotency_key"} for entry in pending()]
    return records_frame(rows)


class Recorder:
    """The client's side of the journal: one named method per thing worth remembering.

    A recorder without a journal (`journal=False`) records nothing. A failed write is logged and never fails the
    API call behind it (a locked or full disk must not lose the job itself), except `request_sent`: a create that
    cannot be journalled is not sent, so no paid job can go unrecorded.
    """

    def __init__(self, journal: Journal | None, base_url: str, key_fingerprint: str) -> None:
        self.journal = journal
        self._base_url = base_url
        self._key_fingerprint = key_fingerprint

    def request_sent(self, idempotency_key: str, endpoint: Endpoint, body: Mapping[str, Any]) -> None:
        if self.journal is not None:
            self.journal.record_request(idempotency_key, endpoint.kind, endpoint.path, body, self._base_url,
                                        self._key_fingerprint)

    def create_refused(self, idempotency_key: str, error: BaseException) -> None:
        self._quietly("record_outcome", lambda j: j.record_outcome(idempotency_key, "rejected", error))

    def create_ambiguous(self, idempotency_key: str, error: BaseException) -> None:
        self._quietly("record_outcome", lambda j: j.record_outcome(idempotency_key, "ambiguous", error))

    def jobs_accepted(self, idempotency_key: str, jobs: Sequence[Job], request_id: str | None) -> None:
        accepted = [(job.id, job.type, job.status) for job in jobs]
        self._quietly("record_accepted", lambda j: j.record_accepted(
            idempotency_key, accepted, request_id, self._base_url, self._key_fingerprint))

    def job_attached(self, job: Job) -> None:
        self._quietly("record_attached", lambda j: j.record_attached(
            job.id, job.type, job.status, self._base_url, self._key_fingerprint))
        self.status_seen(job, job.request_id)  # a journalled job may have ended meanwhile

    def status_seen(self, job: Job, request_id: str | None) -> None:
        error = job.error
        self._quietly("record_status", lambda j: j.record_status(
            job.id, job.status, error.code if error else None, error.message if error else None, request_id))

    def outputs_seen(self, job_id: str, summaries: Sequence[Mapping[str, Any]]) -> None:
        self._quietly("record_outputs", lambda j: j.record_outputs(job_id, summaries))

    def downloaded(self, job_id: str, paths: Sequence[str]) -> None:
        self._quietly("record_downloads", lambda j: j.record_downloads(job_id, paths))

    def _quietly(self, what: str, write: Callable[[Journal], None]) -> None:
        if self.journal is None:
            return
        try:
            write(self.journal)
        except Exception as exc:
            logger.warning("journal %s failed: %s", what, redact(exc))

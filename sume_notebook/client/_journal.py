"""The job journal: a SQLite file that remembers every create and job, so nothing is lost or paid twice.

The sanitized request and its idempotency key are written before a create leaves the process, the job id as soon
as it is known, then each status change, error, output summary and download. After a crash or a kernel restart,
`pending()` lists the accepted jobs that had not finished, ready for `client.jobs.attach(id)`, and the creates
whose answer never arrived, ready for `client.jobs.resolve()`.

The file lives in `SUME_NOTEBOOK_HOME` (default: the per-user data directory). WAL mode and short immediate
transactions make it safe for several kernels at once. Secrets never reach it: URLs lose their query, storage
object keys and upload URLs are dropped, and every text goes through the redactor. A journal that cannot be used
never stops work: a corrupt file is moved aside and a new one started, an unwritable one is skipped, each with one
warning (see `Journal`).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .._redaction import redact, redact_url, sanitize
from ._job import TERMINAL_STATUSES
from ._journal_file import is_corrupt, is_corrupt_file, open_journal, restart, set_aside
from ._reviews import Review, change_review, read_review
from ._sender import sender_alive

if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger("sume_notebook.client")

__all__ = ["IDEMPOTENCY_WINDOW", "Journal", "JournalEntry", "data_home", "default_journal", "in_flight"]

IDEMPOTENCY_WINDOW = 24 * 3600.0  # seconds the service honours an Idempotency-Key (API-CONTRACT.md)
_UNRESOLVED = ("sent", "ambiguous")  # sent, no job id known: the service may have accepted it
T = TypeVar("T")


def data_home() -> Path:
    """`SUME_NOTEBOOK_HOME`, else the per-user data directory of the platform."""
    configured = os.environ.get("SUME_NOTEBOOK_HOME")
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("sume-notebook", appauthor=False))


def in_flight(state: str, sender: str | None) -> bool:
    """A `sent` request whose sender still lives may still get its answer: it is not lost (yet)."""
    return state == "sent" and sender_alive(sender)


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, timezone.utc)


@dataclass(frozen=True)
class JournalEntry:
    """A journalled job, or a create whose answer never arrived: enough to show it and pick it up.

    `state` is `accepted` for a job (attach it: `client.jobs.attach(entry.id)`), `unresolved` for a create sent
    without a known answer (`id` is None; `client.jobs.resolve()` asks the service again with its idempotency key),
    `expired` for such a create older than the service's idempotency window (look for it in `jobs.list()`), and
    `sending` for one whose sender still runs and may yet get its answer.
    """

    id: str | None
    type: str | None
    status: str | None
    kind: str | None
    request: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    base_url: str | None
    idempotency_key: str | None
    state: str = "accepted"


def _tolerant(default: Callable[[], T]) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """A journal operation that never raises for a broken file: it returns `default()` instead (see `Journal`)."""

    def decorate(method: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(method)
        def run(self: Journal, *args: Any, **kwargs: Any) -> T:
            return self._tolerating(lambda: method(self, *args, **kwargs), default)

        return run

    return decorate


class Journal:
    """One journal file, safe from any thread or process: each process keeps one connection to it, used by one
    thread at a time, and opens a new one when the file was replaced (set aside, deleted) or a use failed.

    No operation raises because of the file itself, whenever it breaks (at open or mid-session): a corrupt file is
    renamed with a timestamp (kept for a look) and a new one started; a deleted one is started anew; an unwritable
    or unreadable one makes writes do nothing and reads find nothing. Each says so once, in a warning of the
    `sume_notebook.client` logger, so a broken journal never stops a job from being created or watched.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._warned = False
        self._lock = threading.Lock()
        # A connection costs more to open than most writes cost to make (100 live jobs write several times each).
        self._use = threading.RLock()
        self._db: sqlite3.Connection | None = None
        self._db_file: tuple[int, int, int] | None = None  # (process, device, inode) the connection was opened in
        self._tolerating(lambda: open_journal(self.path), lambda: None)

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    # --- the file ----------------------------------------------------------------------------------------------

    def _set_aside(self, error: sqlite3.DatabaseError) -> None:
        kept = set_aside(self.path)
        logger.warning("The job journal %s could not be read (%s): it was moved to %s and a new journal started.",
                       self.path, error, kept)
        open_journal(self.path)

    def _tolerating(self, action: Callable[[], T], default: Callable[[], T]) -> T:
        try:
            try:
                return action()
            except sqlite3.DatabaseError as exc:
                if not is_corrupt(exc):
                    raise
                with self._lock:  # one thread sets the file aside; the others find the new one
                    if is_corrupt_file(self.path):
                        self._set_aside(exc)
                return action()
        except (sqlite3.Error, OSError) as exc:
            if not self._warned:
                self._warned = True
                logger.warning("The job journal %s cannot be used (%s): jobs still run but are not journalled. "
                               "Set SUME_NOTEBOOK_HOME to a writable directory to keep a journal.", self.path, exc)
            return default()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._use:
            db = self._connection()
            try:
                yield db
            except BaseException:
                self._drop()  # whatever state the failure left it in, the next use starts clean
                raise

    def _connection(self) -> sqlite3.Connection:
        """This process's connection to the file now at `path` (a deleted file is started anew rather than fail on
        missing tables; a file replaced since is connected to again)."""
        if not self.path.exists():
            restart(self.path)
        stat = self.path.stat()
        opened_in = (os.getpid(), stat.st_dev, stat.st_ino)
        if self._db is None or self._db_file != opened_in:  # (in a forked child, the parent's is not to be used)
            self._drop()
            db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA busy_timeout=30000")
            db.row_factory = sqlite3.Row
            self._db, self._db_file = db, opened_in
        return self._db

    def _drop(self) -> None:
        if self._db is not None:
            self._db.close()
        self._db = self._db_file = None

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

    @_tolerant(lambda: None)
    def record_request(self, key: str, kind: str, endpoint: str, body: Mapping[str, Any], base_url: str,
                       key_fingerprint: str, origin: str | None = None, sender: str | None = None) -> None:
        """A create about to be sent. Its body is stored sanitized; `body_exact` says whether that lost nothing. A key
        journalled already (sent again) keeps its row, and becomes this sender's send."""
        now = time.time()
        stored = sanitize(body)
        exact = stored == json.loads(json.dumps(body, default=str))
        with self._write() as db:
            db.execute(
                "INSERT INTO requests (idempotency_key, kind, endpoint, body, base_url, key_fingerprint, state,"
                " created_at, updated_at, origin, body_exact, sender) VALUES (?, ?, ?, ?, ?, ?, 'sent', ?, ?, ?, ?, ?)"
                " ON CONFLICT (idempotency_key) DO UPDATE SET state='sent', updated_at=excluded.updated_at,"
                " sender=excluded.sender",
                (key, kind, endpoint, json.dumps(stored), redact_url(base_url), key_fingerprint, now, now, origin, exact,
                 sender),
            )

    @_tolerant(lambda: None)
    def record_outcome(self, key: str, state: str, error: BaseException) -> None:
        """A create that was refused (`rejected`) or whose fate is unknown (`ambiguous`)."""
        code = getattr(error, "code", None) or type(error).__name__
        with self._write() as db:
            db.execute(
                "UPDATE requests SET state=?, updated_at=?, error_code=?, error_message=?, request_id=? WHERE idempotency_key=?",
                (state, time.time(), code, redact(error).split("\n", 1)[0], getattr(error, "request_id", None), key),
            )

    @_tolerant(lambda: None)
    def record_accepted(self, key: str, jobs: Sequence[tuple[str, str | None, str]], request_id: str | None,
                        base_url: str, key_fingerprint: str, required_credits: float | None = None) -> None:
        """The job(s) a create started; they inherit the request's origin, and share the `required_credits` the
        service reserved for the create (None when it did not say)."""
        now = time.time()
        share = required_credits / len(jobs) if required_credits is not None and jobs else None
        with self._write() as db:
            db.execute(
                "UPDATE requests SET state='accepted', updated_at=?, request_id=? WHERE idempotency_key=?", (now, request_id, key)
            )
            row = db.execute("SELECT origin FROM requests WHERE idempotency_key=?", (key,)).fetchone()
            for job_id, job_type, status in jobs:
                _insert_job(db, redact_url(base_url), job_id, key, job_type, status, key_fingerprint, request_id,
                            row["origin"] if row else None, now, share)

    @_tolerant(lambda: None)
    def record_attached(self, job_id: str, job_type: str | None, status: str, base_url: str, key_fingerprint: str,
                        origin: str | None = None) -> None:
        """A job picked up by id; a job already journalled keeps its row (and its origin)."""
        with self._write() as db:
            _insert_job(db, redact_url(base_url), job_id, None, job_type, status, key_fingerprint, None, origin,
                        time.time(), None)

    @_tolerant(lambda: None)
    def record_status(self, job_id: str, status: str, error_code: str | None, error_message: str | None,
                      request_id: str | None, *, base_url: str) -> None:
        now = time.time()
        finished = now if status in TERMINAL_STATUSES else None
        service = redact_url(base_url)
        with self._write() as db:
            changed = db.execute(
                "UPDATE jobs SET status=?, updated_at=?, finished_at=COALESCE(finished_at, ?), error_code=?,"
                " error_message=?, request_id=COALESCE(?, request_id) WHERE base_url=? AND job_id=? AND status IS NOT ?",
                (status, now, finished, error_code, redact(error_message) if error_message else None, request_id,
                 service, job_id, status),
            ).rowcount
            if changed:
                db.execute("INSERT INTO events (base_url, job_id, at, status) VALUES (?, ?, ?, ?)",
                           (service, job_id, now, status))

    @_tolerant(lambda: None)
    def record_outputs(self, job_id: str, summaries: Sequence[Mapping[str, Any]], *, base_url: str) -> None:
        with self._write() as db:
            db.execute("UPDATE jobs SET outputs=? WHERE base_url=? AND job_id=?",
                       (json.dumps(sanitize(list(summaries))), redact_url(base_url), job_id))

    @_tolerant(lambda: None)
    def record_downloads(self, job_id: str, paths: Sequence[str], *, base_url: str) -> None:
        with self._write() as db:
            db.execute("UPDATE jobs SET downloads=? WHERE base_url=? AND job_id=?",
                       (json.dumps(list(paths)), redact_url(base_url), job_id))

    @_tolerant(Review)
    def record_review(self, job_id: str, *, base_url: str, **changes: Any) -> Review:
        """Change what a person thinks of a job (checked values, see `_reviews.change_review`); the new review."""
        with self._write() as db:
            return change_review(db, redact_url(base_url), job_id, **changes)

    # --- reads -----------------------------------------------------------------------------------------------

    @_tolerant(Review)
    def review(self, job_id: str, *, base_url: str) -> Review:
        """A job's rating, star, tags and note (an empty `Review` for a job nobody reviewed)."""
        with self._connect() as db:
            return read_review(db, redact_url(base_url), job_id)

    @_tolerant(list)
    def entries(self) -> list[dict[str, Any]]:
        """Every journalled job, and every create that produced none (refused, ambiguous, or cut off), oldest first."""
        query = """
            SELECT j.job_id, j.type, j.status, r.kind, r.body, COALESCE(j.created_at, r.created_at) AS created_at,
                   COALESCE(j.updated_at, r.updated_at) AS updated_at, j.finished_at,
                   COALESCE(j.error_code, r.error_code) AS error_code,
                   COALESCE(j.error_message, r.error_message) AS error_message,
                   COALESCE(j.request_id, r.request_id) AS request_id, j.outputs, j.downloads,
                   COALESCE(NULLIF(j.base_url, ''), r.base_url) AS base_url, COALESCE(j.origin, r.origin) AS origin,
                   r.state AS request_state, r.idempotency_key, j.key_fingerprint, r.created_at AS sent_at,
                   r.body_exact, r.sender, j.credits, v.rating, COALESCE(v.starred, 0) AS starred,
                   COALESCE(v.tags, '') AS tags, COALESCE(v.note, '') AS note
            FROM jobs j LEFT JOIN requests r ON r.idempotency_key = j.idempotency_key
            LEFT JOIN reviews v ON v.base_url = j.base_url AND v.job_id = j.job_id
            UNION ALL
            SELECT NULL, NULL, NULL, r.kind, r.body, r.created_at, r.updated_at, NULL, r.error_code, r.error_message,
                   r.request_id, NULL, NULL, r.base_url, r.origin, r.state, r.idempotency_key, r.key_fingerprint,
                   r.created_at, r.body_exact, r.sender, NULL, NULL, 0, '', ''
            FROM requests r WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.idempotency_key = r.idempotency_key)
            ORDER BY created_at"""
        with self._connect() as db:
            rows = [dict(row) for row in db.execute(query)]
        for row in rows:
            row["request"] = json.loads(row.pop("body") or "{}")
            for name in ("outputs", "downloads"):
                row[name] = json.loads(row[name]) if row[name] else []
            row["starred"] = bool(row["starred"])
            row["tags"] = [tag for tag in row["tags"].split(",") if tag]
        return rows

    def pending(self) -> list[JournalEntry]:
        """Accepted jobs not yet seen to finish, and creates sent without a known answer, oldest first."""
        cutoff = time.time() - IDEMPOTENCY_WINDOW
        found = []
        for row in self.entries():
            if row["job_id"]:
                if row["status"] in TERMINAL_STATUSES:
                    continue
                state = "accepted"
            elif row["request_state"] in _UNRESOLVED:
                if in_flight(row["request_state"], row["sender"]):
                    state = "sending"
                else:
                    state = "unresolved" if row["sent_at"] > cutoff else "expired"
            else:
                continue
            found.append(JournalEntry(
                id=row["job_id"], type=row["type"], status=row["status"], kind=row["kind"], request=row["request"],
                created_at=_utc(row["created_at"]), updated_at=_utc(row["updated_at"]), base_url=row["base_url"],
                idempotency_key=row["idempotency_key"], state=state,
            ))
        return found

    @_tolerant(lambda: None)
    def unresolved_key(self, kind: str, endpoint: str, body: Mapping[str, Any], base_url: str,
                       key_fingerprint: str) -> str | None:
        """The idempotency key of the latest identical create left unanswered within the window, by a sender that
        is gone (or whose send ended ambiguous), if its stored body is exactly what was sent: sending it again with
        that key cannot start a second job."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT idempotency_key, state, sender FROM requests r WHERE state IN (?, ?) AND kind=? AND endpoint=?"
                " AND body=? AND base_url=? AND key_fingerprint=? AND body_exact AND created_at > ?"
                " AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.idempotency_key = r.idempotency_key)"
                " ORDER BY created_at DESC",
                (*_UNRESOLVED, kind, endpoint, json.dumps(sanitize(body)), redact_url(base_url), key_fingerprint,
                 time.time() - IDEMPOTENCY_WINDOW),
            ).fetchall()
        return next((row["idempotency_key"] for row in rows if not in_flight(row["state"], row["sender"])), None)

    def history(self, origin: str | None = None, since: datetime | str | None = None, kind: str | None = None,
                status: str | None = None, *, starred: bool | None = None, tag: str | None = None,
                min_rating: int | None = None) -> pd.DataFrame:
        """The journal as a DataFrame, readable columns first (see `history()`); `origin` None means every one."""
        from ._history import history_frame

        return history_frame(self.entries(), origin=origin, since=since, kind=kind, status=status, starred=starred,
                             tag=tag, min_rating=min_rating)


def _insert_job(db: sqlite3.Connection, base_url: str, job_id: str, key: str | None, job_type: str | None,
                status: str, key_fingerprint: str, request_id: str | None, origin: str | None, now: float,
                credits: float | None) -> None:
    inserted = db.execute(
        "INSERT OR IGNORE INTO jobs (base_url, job_id, idempotency_key, type, status, key_fingerprint,"
        " created_at, updated_at, request_id, origin, credits) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (base_url, job_id, key, job_type, status, key_fingerprint, now, now, request_id, origin, credits),
    ).rowcount
    if inserted:
        db.execute("INSERT INTO events (base_url, job_id, at, status) VALUES (?, ?, ?, ?)",
                   (base_url, job_id, now, status))


_default: dict[Path, Journal] = {}
_default_lock = threading.Lock()


def default_journal() -> Journal:
    """The journal under `data_home()`, shared by every client of this process."""
    path = (data_home() / "journal.sqlite3").resolve()
    with _default_lock:
        if path not in _default:
            _default[path] = Journal(path)
        return _default[path]

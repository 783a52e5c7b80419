"""The sandbox's state in one SQLite file, so a restarted sandbox keeps jobs, uploads, credits and library.

One connection guarded by a lock: the server's event loop, its media thread pool and the Python
handle of a test may all touch it, and every statement here is short.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

import orjson

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS workspaces (
    id TEXT PRIMARY KEY, name TEXT, plan TEXT, monthly_credits INTEGER, bonus_credits INTEGER,
    remaining_credits INTEGER, max_active INTEGER);
CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, workspace_id TEXT, email TEXT, name TEXT);
CREATE TABLE IF NOT EXISTS api_keys (
    key TEXT PRIMARY KEY, id TEXT, role TEXT, name TEXT, workspace_id TEXT, user_id TEXT,
    restricted INTEGER, created_at REAL, last_used_at REAL);
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, workspace_id TEXT, type TEXT, outcome TEXT, created_at REAL, started_at REAL,
    ends_at REAL, settled INTEGER DEFAULT 0, credits INTEGER, request TEXT, error TEXT,
    no_progress INTEGER DEFAULT 0, avatar_id TEXT, extra TEXT);
CREATE INDEX IF NOT EXISTS jobs_unsettled ON jobs (settled, ends_at);
CREATE INDEX IF NOT EXISTS jobs_by_workspace ON jobs (workspace_id, created_at);
CREATE TABLE IF NOT EXISTS uploads (
    id TEXT PRIMARY KEY, workspace_id TEXT, object_key TEXT UNIQUE, purpose TEXT, filename TEXT,
    content_type TEXT, size_bytes INTEGER, expires_at REAL, storage_token TEXT, path TEXT,
    received_bytes INTEGER, duration_seconds REAL, finalized_job TEXT);
CREATE TABLE IF NOT EXISTS sources (id TEXT PRIMARY KEY, workspace_id TEXT, data TEXT);
CREATE TABLE IF NOT EXISTS scenes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE, workspace_id TEXT, source_id TEXT, data TEXT,
    source_type TEXT, segment_type TEXT, cta_present INTEGER, duration REAL, created REAL);
CREATE TABLE IF NOT EXISTS idempotency (
    workspace_id TEXT, route TEXT, key TEXT, body_hash TEXT, status INTEGER, response TEXT, created_at REAL,
    PRIMARY KEY (workspace_id, route, key));
"""


def iso(epoch: float | None) -> str | None:
    """Epoch seconds as the ISO 8601 UTC string the API uses."""
    if epoch is None:
        return None
    moment = datetime.fromtimestamp(epoch, tz=timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Store:
    """A thin, thread-safe wrapper around the SQLite file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        with self._lock:
            return self._db.execute(sql, tuple(params)).rowcount

    def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        """Many rows in one transaction: its own, or the caller's `transaction()`."""
        with self._lock:
            if self._db.in_transaction:
                self._db.executemany(sql, (tuple(row) for row in rows))
                return
            self._db.execute("BEGIN")
            self._db.executemany(sql, [tuple(row) for row in rows])
            self._db.execute("COMMIT")

    def script(self, sql: str) -> None:
        """Several statements at once (schema changes), outside any transaction."""
        with self._lock:
            self._db.executescript(sql)

    def one(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchone()

    def all(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()

    def transaction(self) -> "_Transaction":
        """`with store.transaction():` groups statements atomically; nested, the inner one joins the outer."""
        return _Transaction(self)

    def meta(self, key: str) -> str | None:
        row = self.one("SELECT value FROM meta WHERE key = ?", (key,))
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def id_salt(self) -> str:
        """A random value made once per data directory, mixed into every id it issues."""
        with self._lock:
            salt = self.meta("id_salt")
            if salt is None:
                salt = secrets.token_hex(8)
                self.set_meta("id_salt", salt)
            return salt

    def next_number(self, name: str) -> int:
        """A persistent counter, so ids stay unique and deterministic across restarts."""
        with self._lock:
            value = int(self.meta(f"counter:{name}") or 0) + 1
            self.set_meta(f"counter:{name}", str(value))
            return value


class _Transaction:
    """A transaction that joins the one already open on this thread, so helpers that group writes compose."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.outermost = False

    def __enter__(self) -> Store:
        self.store._lock.acquire()
        self.outermost = not self.store._db.in_transaction
        if self.outermost:
            self.store._db.execute("BEGIN IMMEDIATE")
        return self.store

    def __exit__(self, exc_type: object, *_: object) -> None:
        try:
            if self.outermost:
                self.store._db.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.store._lock.release()


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def loads(text: str | None) -> Any:
    """A stored value read back: orjson, about three times faster on a page of scenes than the stdlib.

    What the sandbox stores it made itself or took through `_json_input`, whose integers and floats orjson reads
    exactly as the stdlib does. A data directory written before that check may hold `NaN` or a lone surrogate,
    which orjson refuses: the stdlib reads those as it always did.
    """
    if not text:
        return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def now() -> float:
    return time.time()

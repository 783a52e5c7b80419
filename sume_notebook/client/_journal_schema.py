"""The journal's schema as a list of migrations, applied in order and counted in `PRAGMA user_version`.

A journal file outlives the package version that made it: a user upgrades and expects last week's jobs to still be
there. So the schema is never rewritten in place; each change is one more step here, and opening a journal brings
it up to date inside one write transaction (two kernels opening an old file at once migrate it once).

Version 1 is the schema the journal had before it was versioned: such files say `user_version = 0` and already hold
its tables (hence `IF NOT EXISTS`); a new file goes through the same steps.
"""

from __future__ import annotations

import sqlite3

__all__ = ["SCHEMA_VERSION", "migrate"]

_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: requests (one per create, keyed by its idempotency key), jobs (keyed by id), status events.
    (
        """CREATE TABLE IF NOT EXISTS requests (
            idempotency_key TEXT PRIMARY KEY, kind TEXT, endpoint TEXT, body TEXT, base_url TEXT,
            key_fingerprint TEXT, state TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL,
            error_code TEXT, error_message TEXT, request_id TEXT)""",
        """CREATE TABLE IF NOT EXISTS jobs (
            job_id TEXT PRIMARY KEY, idempotency_key TEXT, type TEXT, status TEXT, base_url TEXT,
            key_fingerprint TEXT, created_at REAL NOT NULL, updated_at REAL NOT NULL, finished_at REAL,
            error_code TEXT, error_message TEXT, request_id TEXT, outputs TEXT, downloads TEXT)""",
        """CREATE TABLE IF NOT EXISTS events (
            id INTEGER PRIMARY KEY AUTOINCREMENT, job_id TEXT NOT NULL, at REAL NOT NULL, status TEXT NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status)",
    ),
    # 2: job ids are unique per service only, so jobs (and their events) are keyed by (base_url, job_id); every
    # request and job records the notebook or script it came from (`origin`); a request remembers whether its
    # stored body is exactly what was sent (`body_exact`: no URL query or secret was cut), so it can be re-sent,
    # and which process sent it (`sender`, host:pid), so a send still in flight is not taken for a lost one.
    (
        "ALTER TABLE requests ADD COLUMN origin TEXT",
        "ALTER TABLE requests ADD COLUMN body_exact INTEGER",
        "ALTER TABLE requests ADD COLUMN sender TEXT",
        """CREATE TABLE jobs_by_service (
            base_url TEXT NOT NULL, job_id TEXT NOT NULL, idempotency_key TEXT, type TEXT, status TEXT,
            key_fingerprint TEXT, created_at REAL NOT NULL, updated_at REAL NOT NULL, finished_at REAL,
            error_code TEXT, error_message TEXT, request_id TEXT, outputs TEXT, downloads TEXT, origin TEXT,
            PRIMARY KEY (base_url, job_id))""",
        """INSERT INTO jobs_by_service (base_url, job_id, idempotency_key, type, status, key_fingerprint,
            created_at, updated_at, finished_at, error_code, error_message, request_id, outputs, downloads)
           SELECT COALESCE(base_url, ''), job_id, idempotency_key, type, status, key_fingerprint, created_at,
            updated_at, finished_at, error_code, error_message, request_id, outputs, downloads FROM jobs""",
        "DROP TABLE jobs",
        "ALTER TABLE jobs_by_service RENAME TO jobs",
        "CREATE INDEX jobs_status ON jobs(status)",
        "CREATE INDEX jobs_request ON jobs(idempotency_key)",
        "CREATE INDEX requests_state ON requests(state)",
        "ALTER TABLE events ADD COLUMN base_url TEXT NOT NULL DEFAULT ''",
        "UPDATE events SET base_url = COALESCE((SELECT j.base_url FROM jobs j WHERE j.job_id = events.job_id), '')",
    ),
    # 3: what a person thinks of a job (`reviews`: rating, star, tags joined by commas, note), keyed like jobs; and
    # the credits the service reserved for each job (`required_credits` of its create, shared among its jobs).
    (
        """CREATE TABLE reviews (
            base_url TEXT NOT NULL, job_id TEXT NOT NULL, rating INTEGER, starred INTEGER NOT NULL DEFAULT 0,
            tags TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '', updated_at REAL NOT NULL,
            PRIMARY KEY (base_url, job_id))""",
        "ALTER TABLE jobs ADD COLUMN credits REAL",
    ),
)

SCHEMA_VERSION = len(_MIGRATIONS)


def migrate(db: sqlite3.Connection) -> None:
    """Bring an open journal (autocommit connection) to `SCHEMA_VERSION`; a newer file is left alone."""
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        for statements in _MIGRATIONS[version:]:
            for statement in statements:
                db.execute(statement)
        if version < SCHEMA_VERSION:
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")

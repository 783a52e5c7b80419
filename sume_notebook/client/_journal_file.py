"""The journal's SQLite file: opening it at the current schema, and what to do when it is damaged or gone.

Kept apart from `Journal` (what is recorded and read) because these are the file's own troubles: a corrupt file
is renamed aside, never deleted (it may hold the only record of a paid job), and its WAL files go with it, since
they belong to that file and would corrupt a new one.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from ._journal_schema import migrate

__all__ = ["is_corrupt", "is_corrupt_file", "open_journal", "restart", "set_aside"]

_WAL_FILES = ("-wal", "-shm")


def open_journal(path: Path) -> None:
    """Create the file (and its directory) if needed, in WAL mode, migrated to the current schema."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=30.0, isolation_level=None)
    try:
        db.execute("PRAGMA busy_timeout=30000")
        db.execute("PRAGMA journal_mode=WAL")
        migrate(db)
    finally:
        db.close()


def is_corrupt(error: sqlite3.DatabaseError) -> bool:
    """Whether SQLite found the file damaged or not a database at all (rather than locked or unwritable)."""
    code = getattr(error, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    return any(text in str(error) for text in ("not a database", "malformed"))


def is_corrupt_file(path: Path) -> bool:
    """Whether the file at `path` is corrupt now (another thread may have set it aside and started a new one)."""
    try:
        db = sqlite3.connect(path, timeout=30.0)
        try:
            db.execute("PRAGMA schema_version").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        return is_corrupt(exc)
    return False


def set_aside(path: Path) -> Path:
    """Rename a corrupt journal and its WAL files with a timestamp; returns the new name of the journal."""
    stamp = f"{path.name}.corrupt-{datetime.now():%Y%m%d-%H%M%S}"
    kept, n = path.with_name(stamp), 1
    while kept.exists():  # never overwrite an earlier one
        kept, n = path.with_name(f"{stamp}-{n}"), n + 1
    for suffix in (*_WAL_FILES, ""):
        old = path.with_name(path.name + suffix)
        if old.exists():
            old.replace(kept.with_name(kept.name + suffix))
    return kept


def restart(path: Path) -> None:
    """A journal deleted while in use starts anew, without the WAL files the old one left."""
    for suffix in _WAL_FILES:
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    open_journal(path)

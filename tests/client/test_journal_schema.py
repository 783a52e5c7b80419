"""Journal migrations: a journal written before the schema was versioned keeps every row when opened today, and
job ids are unique per service only."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pandas as pd

from sume_notebook import Journal

# The journal as every release before versioning wrote it (user_version 0), verbatim.
UNVERSIONED = """
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
SERVICE = "http://127.0.0.1:9/api/v1"
OTHER = "http://127.0.0.1:10/api/v1"


def unversioned_journal(path: Path) -> float:
    """An old journal: a finished job, a running one, one refused and one unanswered create. Returns its time."""
    now = time.time() - 60
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(UNVERSIONED)
    for key, state, body in (("k-done", "accepted", '{"prompt": "done"}'), ("k-run", "accepted", '{"prompt": "run"}'),
                             ("k-no", "rejected", '{"prompt": "no"}'), ("k-lost", "sent", '{"prompt": "lost"}')):
        db.execute("INSERT INTO requests VALUES (?, 'image', '/images/generations', ?, ?, 'fp', ?, ?, ?, NULL, NULL, NULL)",
                   (key, body, SERVICE, state, now, now))
    db.execute("INSERT INTO jobs VALUES ('job_1', 'k-done', 'image_generation', 'completed', ?, 'fp', ?, ?, ?,"
               " NULL, NULL, 'req_1', '[{\"kind\": \"image\"}]', '[\"out/a.png\"]')", (SERVICE, now, now, now + 5))
    db.execute("INSERT INTO jobs VALUES ('job_2', 'k-run', 'image_generation', 'running', ?, 'fp', ?, ?, NULL,"
               " NULL, NULL, NULL, NULL, NULL)", (SERVICE, now, now))
    db.executemany("INSERT INTO events (job_id, at, status) VALUES (?, ?, ?)",
                   [("job_1", now, "queued"), ("job_1", now + 5, "completed"), ("job_2", now, "queued")])
    db.commit()
    db.close()
    return now


def test_an_unversioned_journal_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    unversioned_journal(path)
    journal = Journal(path)

    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 3
    assert [r[0] for r in db.execute("SELECT job_id FROM events WHERE base_url = ? ORDER BY id", (SERVICE,))] == [
        "job_1", "job_1", "job_2"]
    db.close()
    rows = {(r["job_id"], r["request_state"]): r for r in journal.entries()}
    assert set(rows) == {("job_1", "accepted"), ("job_2", "accepted"), (None, "rejected"), (None, "sent")}
    done = rows["job_1", "accepted"]
    assert done["status"] == "completed" and done["base_url"] == SERVICE and done["outputs"] == [{"kind": "image"}]
    assert done["downloads"] == ["out/a.png"] and done["request"] == {"prompt": "done"} and done["origin"] is None
    assert [(e.id, e.state) for e in journal.pending()] == [("job_2", "accepted"), (None, "unresolved")]

    # The migrated rows keep working: a status change lands on the job of its service.
    journal.record_status("job_2", "completed", None, None, None, base_url=SERVICE)
    assert [e.state for e in journal.pending()] == ["unresolved"]
    # Its unanswered create cannot be re-sent blindly: whether its body was stored whole is not known.
    assert journal.unresolved_key("image", "/images/generations", {"prompt": "lost"}, SERVICE, "fp") is None


def test_opening_again_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    unversioned_journal(path)
    before = Journal(path).entries()
    assert Journal(path).entries() == before


def test_the_same_job_id_on_two_services_is_two_jobs(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    for service in (SERVICE, OTHER):
        journal.record_request(f"key-{service}", "image", "/images/generations", {"prompt": service}, service, "fp")
        journal.record_accepted(f"key-{service}", [("job_same", "image_generation", "queued")], None, service, "fp")
    journal.record_status("job_same", "completed", None, None, None, base_url=SERVICE)

    [entry] = journal.pending()  # neither missed nor merged: the other service's job still runs
    assert (entry.id, entry.base_url, entry.request) == ("job_same", OTHER, {"prompt": OTHER})
    frame = journal.history()
    assert sorted(frame["status"].astype(str)) == ["completed", "queued"]
    assert frame[["kind", "status", "base_url", "job_id"]].notna().all().all()  # no <NA> row


# The journal as the releases with schema version 2 wrote it, verbatim.
VERSION_2 = """
CREATE TABLE requests (
    idempotency_key TEXT PRIMARY KEY, kind TEXT, endpoint TEXT, body TEXT, base_url TEXT, key_fingerprint TEXT,
    state TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL, error_code TEXT, error_message TEXT,
    request_id TEXT, origin TEXT, body_exact INTEGER, sender TEXT);
CREATE TABLE jobs (
    base_url TEXT NOT NULL, job_id TEXT NOT NULL, idempotency_key TEXT, type TEXT, status TEXT, key_fingerprint TEXT,
    created_at REAL NOT NULL, updated_at REAL NOT NULL, finished_at REAL, error_code TEXT, error_message TEXT,
    request_id TEXT, outputs TEXT, downloads TEXT, origin TEXT, PRIMARY KEY (base_url, job_id));
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, job_id TEXT NOT NULL, at REAL NOT NULL, status TEXT NOT NULL,
    base_url TEXT NOT NULL DEFAULT '');
CREATE INDEX jobs_status ON jobs(status);
CREATE INDEX jobs_request ON jobs(idempotency_key);
CREATE INDEX requests_state ON requests(state);
PRAGMA user_version = 2;
"""


def test_a_version_2_journal_keeps_its_rows_and_takes_reviews(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    now = time.time() - 60
    db = sqlite3.connect(path)
    db.executescript(VERSION_2)
    db.execute("INSERT INTO requests VALUES ('k-done', 'image', '/images/generations', '{\"prompt\": \"done\"}', ?,"
               " 'fp', 'accepted', ?, ?, NULL, NULL, 'req_1', 'old.ipynb', 1, NULL)", (SERVICE, now, now))
    db.execute("INSERT INTO jobs VALUES (?, 'job_1', 'k-done', 'image_generation', 'completed', 'fp', ?, ?, ?, NULL,"
               " NULL, 'req_1', NULL, '[\"out/a.png\"]', 'old.ipynb')", (SERVICE, now, now, now + 5))
    db.commit()
    db.close()

    journal = Journal(path)
    [row] = journal.history().to_dict("records")
    assert (row["job_id"], row["status"], row["prompt"], row["origin"]) == ("job_1", "completed", "done", "old.ipynb")
    assert row["downloads"] == ["out/a.png"] and pd.isna(row["rating"]) and row["tags"] == []
    assert (row["credits"], row["credits_estimated"]) == (2.0, True)  # older than required_credits: estimated

    journal.record_review("job_1", base_url=SERVICE, rating=5, add_tags=("kept",))
    [row] = Journal(path).history().to_dict("records")
    assert (row["rating"], row["tags"]) == (5, ["kept"])

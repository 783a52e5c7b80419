"""A sandbox restarted on the same data directory keeps its keys, jobs, credits, uploads and library."""

from __future__ import annotations

import pathlib
import sqlite3
import time
from urllib.parse import urlsplit

import httpx
import pytest

from sume_notebook.sandbox import start_sandbox
from sume_notebook.sandbox._media import MediaRenderer, VideoSpec
from tests.support import FAST

from .conftest import wait_for_status


def all_scenes(client: httpx.Client, **params: object) -> list[dict]:
    scenes: list[dict] = []
    query = {"limit": 100, "sort": "created_at_asc", **params}
    while True:
        body = client.get("/assets", params=query).json()
        scenes += body["data"]
        if not body["next_cursor"]:
            return scenes
        query["cursor"] = body["next_cursor"]


def client(handle, key: str) -> httpx.Client:
    return httpx.Client(base_url=handle.url, headers={"Authorization": f"Bearer {key}"}, timeout=30)


def upload_video(api: httpx.Client, video: pathlib.Path) -> dict:
    upload = api.post("/uploads/presign", json={
        "purpose": "asset_library_video", "filename": "restart demo.mp4", "content_type": "video/mp4",
        "size_bytes": video.stat().st_size}).json()
    response = httpx.put(upload["upload_url"], content=video.read_bytes(), headers=upload["required_headers"])
    assert response.status_code == 200, response.text
    finalized = api.post("/assets", json={"object_key": upload["object_key"], "title": "Brewbird restart demo"})
    assert finalized.status_code == 202, finalized.text
    return finalized.json()


def test_a_restarted_sandbox_keeps_its_state(tmp_path):
    data_dir = tmp_path / "state"
    video = MediaRenderer(tmp_path / "render").video_mp4(VideoSpec("restart", 320, 180, 4.0, False, "restart"))

    with start_sandbox(data_dir=data_dir, time_scale=FAST) as first:
        first.configure(rate_limit_per_second=0)
        key, admin_token = first.api_key, first.admin_token
        with client(first, key) as api:
            library_before = all_scenes(api)
            first.add_job_fault("failed", type="video_generation")
            jobs = {
                "image": api.post("/images/generations", json={"prompt": "Persisted image"}).json()["job_id"],
                "video": api.post("/videos/generations", json={"prompt": "Persisted failure", "duration": 4})
                .json()["job_id"],
            }
            finalized = upload_video(api, video)
            jobs["upload"] = finalized["job_id"]
            statuses = {name: wait_for_status(api, job_id)["status"] for name, job_id in jobs.items()}
            assert statuses == {"image": "completed", "video": "failed", "upload": "completed"}
            image_url = api.get(f"/jobs/{jobs['image']}/result").json()["result"]["images"][0]["url"]
            credits = api.get("/credits").json()
            assert credits["remaining_credits"] == credits["monthly_credits"] + credits["bonus_credits"] - 2
            library_after = all_scenes(api)
            uploaded = [s for s in library_after if s["source_video"]["id"] == finalized["source_video_id"]]
            assert uploaded and len(library_after) == len(library_before) + len(uploaded)
            job_list = api.get("/jobs", params={"limit": 100}).json()["data"]

    with start_sandbox(data_dir=data_dir, time_scale=FAST) as second:
        second.configure(rate_limit_per_second=0)
        assert second.api_key == key and second.admin_token == admin_token
        with client(second, key) as api:
            assert api.get("/me").status_code == 200, "the same API key works"
            for name, job_id in jobs.items():
                assert api.get(f"/jobs/{job_id}").json()["status"] == statuses[name]
            assert api.get("/jobs", params={"limit": 100}).json()["data"] == job_list
            assert api.get("/credits").json() == credits

            library = all_scenes(api)
            assert len(library) == len(library_after), "the library is not seeded twice"
            fingerprint = [(s["id"], s["created_at"], s["duration_seconds"], s["title"]) for s in library]
            assert fingerprint == [(s["id"], s["created_at"], s["duration_seconds"], s["title"])
                                   for s in library_after]
            assert len({s["id"] for s in library}) == len(library)
            still_there = [s for s in library if s["source_video"]["id"] == finalized["source_video_id"]]
            assert [s["id"] for s in still_there] == [s["id"] for s in uploaded]
            source = httpx.get(still_there[0]["source_video"]["media_url"])
            assert source.status_code == 200 and source.content == video.read_bytes()

            old_path = urlsplit(image_url)
            moved = f"{second.origin}{old_path.path}?{old_path.query}"
            assert httpx.get(moved).headers["content-type"] == "image/png", "media URLs stay signed"

            new_job = api.post("/images/generations", json={"prompt": "After restart"}).json()["job_id"]
            assert new_job not in jobs.values(), "job ids continue, never repeat"
            assert wait_for_status(api, new_job)["status"] == "completed"

    with sqlite3.connect(data_dir / "sandbox.sqlite3") as db:
        (sources,) = db.execute("SELECT COUNT(*) FROM sources").fetchone()
        (distinct,) = db.execute("SELECT COUNT(DISTINCT id) FROM sources").fetchone()
    assert sources == distinct


def test_a_restart_resumes_jobs_on_the_wall_clock(tmp_path):
    """A job still running at stop ends on time after the restart (its timeline is stored, not a timer)."""
    with start_sandbox(data_dir=tmp_path, time_scale=0.1) as first, client(first, first.api_key) as api:
        job_id = api.post("/images/generations", json={"prompt": "Across a restart"}).json()["job_id"]
        assert api.get(f"/jobs/{job_id}").json()["status"] in ("queued", "running")
        ends_at = first.job_timeline(job_id)["ends_at"]
    with start_sandbox(data_dir=tmp_path, time_scale=FAST) as second, client(second, second.api_key) as api:
        assert second.job_timeline(job_id)["ends_at"] == ends_at
        time.sleep(max(0.0, ends_at - time.time()) + 0.05)
        assert wait_for_status(api, job_id)["status"] == "completed"
        assert api.get(f"/jobs/{job_id}/result").status_code == 200


@pytest.mark.parametrize("role", ["other", "poor", "restricted"])
def test_every_key_survives_a_restart(tmp_path, role):
    with start_sandbox(data_dir=tmp_path, time_scale=FAST) as first:
        key = first.keys[role]
        with client(first, key) as api:
            workspace = api.get("/me").json()["workspace"]["id"]
    with start_sandbox(data_dir=tmp_path, time_scale=FAST) as second:
        assert second.keys[role] == key
        with client(second, key) as api:
            assert api.get("/me").json()["workspace"]["id"] == workspace


def test_two_fresh_data_directories_never_issue_the_same_job_id(tmp_path):
    """A journal keyed by service and job id must never take one sandbox's job for another's; one data directory
    keeps issuing new ids after a restart."""
    first_ids = []
    for name in ("a", "b", "a"):
        with start_sandbox(data_dir=tmp_path / name, time_scale=FAST, seed=0) as sandbox, \
                client(sandbox, sandbox.api_key) as api:
            first_ids.append(api.post("/images/generations", json={"prompt": "same seed"}).json()["job_id"])
    assert len(set(first_ids)) == 3


def test_a_library_stored_before_the_search_index_is_indexed_on_start(tmp_path: pathlib.Path) -> None:
    """A data directory from a version without the index keeps its scenes, and they are found by text and filter."""
    from datetime import datetime, timezone

    from sume_notebook.sandbox._library_catalogue import seed_library
    from sume_notebook.sandbox._store import dumps

    _, scenes = seed_library(77, datetime.now(timezone.utc))
    legacy = sqlite3.connect(tmp_path / "sandbox.sqlite3")
    legacy.execute("CREATE TABLE scenes (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE, workspace_id TEXT,"
                   " source_id TEXT, data TEXT)")
    legacy.executemany("INSERT INTO scenes (id, workspace_id, source_id, data) VALUES (?, 'ws_sandbox_main', ?, ?)",
                       [(s["id"], s["source_video_id"], dumps(s)) for s in scenes])
    legacy.commit()
    legacy.close()
    branded = next(s for s in scenes if s["brands"])
    with start_sandbox(data_dir=tmp_path, time_scale=FAST) as handle, client(handle, handle.api_key) as api:
        assert {s["id"] for s in scenes} <= {s["id"] for s in all_scenes(api)}
        assert branded["id"] in {s["id"] for s in all_scenes(api, q=branded["title"])}
        by_brand = {s["id"] for s in all_scenes(api, brand=branded["brands"][0])}
        assert {s["id"] for s in scenes if branded["brands"][0] in s["brands"]} <= by_brand


def test_a_library_indexed_with_fts5_gets_posting_lists_on_start(tmp_path: pathlib.Path) -> None:
    """A data directory from the version that searched through an FTS5 table: its text index is rebuilt as
    posting lists once, the FTS5 tables go, and text search finds the same scenes as in a fresh directory."""
    with start_sandbox(data_dir=tmp_path / "fresh", time_scale=FAST) as handle, client(handle, handle.api_key) as api:
        expected = [s["id"] for s in all_scenes(api, q="serum demo")]
    with start_sandbox(data_dir=tmp_path / "old", time_scale=FAST):
        pass
    old = sqlite3.connect(tmp_path / "old" / "sandbox.sqlite3")
    old.executescript("DELETE FROM term_postings; DELETE FROM meta WHERE key IN ('text_postings', 'text_scenes');"
                      "CREATE VIRTUAL TABLE scene_text USING fts5(title, content='');"
                      "CREATE VIRTUAL TABLE scene_vocab USING fts5vocab(scene_text, 'row');")
    old.close()
    with start_sandbox(data_dir=tmp_path / "old", time_scale=FAST) as handle, client(handle, handle.api_key) as api:
        assert expected and [s["id"] for s in all_scenes(api, q="serum demo")] == expected
    tables = {row[0] for row in sqlite3.connect(tmp_path / "old" / "sandbox.sqlite3").execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "term_postings" in tables and not tables & {"scene_text", "scene_vocab"}

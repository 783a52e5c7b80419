"""Job lifecycle, results, listing, workspace scope, idempotency, credits and both kinds of 429."""

from __future__ import annotations

import time

import httpx
import pytest

from sume_notebook.sandbox import start_sandbox
from tests.support import FAST

from .conftest import client_for, wait_for_status

IMAGE = {"prompt": "Clean skincare product photo on a white bathroom counter.", "aspect_ratio": "1:1",
         "image_count": 1}


def test_image_job_goes_queued_running_completed_with_rising_progress(tmp_path):
    with start_sandbox(data_dir=tmp_path, time_scale=0.5) as slow, client_for(slow) as api:
        created = api.post("/images/generations", json=IMAGE)
        assert created.status_code == 202
        body = created.json()
        assert body["object"] == "image_generation" and body["job"]["status"] == "queued"
        assert body["job_id"] == body["job"]["id"]
        seen, progress = [], []
        while not seen or seen[-1] != "completed":
            job = api.get(f"/jobs/{body['job_id']}").json()
            seen.append(job["status"])
            progress.append(job.get("progress"))
            time.sleep(0.05)
        assert seen[0] == "queued" and "running" in seen and seen[-1] == "completed"
        assert progress == sorted(progress) and progress[-1] == 1.0
        assert all(0 <= p <= 1 for p in progress)
        assert job["completed_at"] is not None and job["error"] is None


def test_result_is_409_before_completion_then_carries_outputs(api, sandbox):
    sandbox.configure(time_scale=1.0)
    try:
        job_id = api.post("/videos/generations", json={"prompt": "waves", "duration": 4}).json()["job_id"]
        early = api.get(f"/jobs/{job_id}/result")
        assert early.status_code == 409 and early.json()["error"]["code"] == "job_not_completed"
    finally:
        sandbox.configure(time_scale=FAST)
    image_id = api.post("/images/generations", json={**IMAGE, "aspect_ratio": "9:16"}).json()["job_id"]
    assert wait_for_status(api, image_id)["status"] == "completed"
    result = api.get(f"/jobs/{image_id}/result").json()
    assert result["id"] == image_id and result["status"] == "completed"
    image = result["result"]["images"][0]
    assert (image["width"], image["height"], image["content_type"]) == (576, 1024, "image/png")
    assert "?token=" in image["url"]


@pytest.mark.parametrize(("path", "body", "kind"), [
    ("/videos/generations", {"prompt": "waves", "duration": 5, "resolution": "480p", "aspect_ratio": "16:9"},
     (854, 480, 5.0)),
    ("/ads/videos", {"script": "Meet the serum your skin has waited for.", "avatar_slug": "mia",
                     "duration_seconds": 2}, (720, 1280, 5.0)),
    ("/ads/videos", {"script": "Meet the serum.", "ad_format": "video", "duration_seconds": 90,
                     "reference_video_urls": ["https://cdn.example.com/v.mp4"]}, (720, 1280, 30.0)),
])
def test_video_results_describe_size_and_clamped_duration(api, path, body, kind):
    job_id = api.post(path, json=body).json()["job_id"]
    assert wait_for_status(api, job_id)["status"] == "completed"
    video = api.get(f"/jobs/{job_id}/result").json()["result"]["videos"][0]
    assert (video["width"], video["height"], video["duration_seconds"]) == kind
    assert video["content_type"] == "video/mp4"
    assert video["thumbnail_url"].split("?")[0].endswith(".jpg")


def test_jobs_of_one_workspace_are_404_for_another(api, sandbox):
    job_id = api.post("/images/generations", json=IMAGE).json()["job_id"]
    with client_for(sandbox, "other") as other:
        for path in (f"/jobs/{job_id}", f"/jobs/{job_id}/result"):
            assert other.get(path).status_code == 404
        assert job_id not in [job["id"] for job in other.get("/jobs", params={"limit": 100}).json()["data"]]


def test_job_list_filters_and_pages_newest_first(tmp_path):
    with start_sandbox(data_dir=tmp_path, time_scale=FAST) as box, client_for(box) as api:
        box.configure(rate_limit_per_second=0, max_active_generations=20)
        ids = [api.post("/images/generations", json=IMAGE).json()["job_id"] for _ in range(5)]
        ids.append(api.post("/reference-analysis",
                            json={"url": "https://www.instagram.com/reel/Cabc123/"}).json()["job_id"])
        for job_id in ids:
            wait_for_status(api, job_id)
        collected, cursor = [], None
        while True:
            page = api.get("/jobs", params={"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
            collected += [job["id"] for job in page["data"]]
            cursor = page["next_cursor"]
            assert page["has_more"] == (cursor is not None)
            if cursor is None:
                break
        assert collected == list(reversed(ids))
        images = api.get("/jobs", params={"type": "image_generation"}).json()["data"]
        assert {job["type"] for job in images} == {"image_generation"} and len(images) == 5
        done = api.get("/jobs", params={"status": "completed", "limit": 100}).json()["data"]
        assert len(done) == 6
        assert api.get("/jobs", params={"status": "running"}).json()["data"] == []


def test_idempotency_key_replays_the_first_answer_and_charges_once(api):
    before = api.get("/credits").json()["remaining_credits"]
    headers = {"Idempotency-Key": "idem-test-1"}
    first = api.post("/images/generations", json=IMAGE, headers=headers)
    again = api.post("/images/generations", json=IMAGE, headers=headers)
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert api.get("/credits").json()["remaining_credits"] == before - 2
    conflict = api.post("/images/generations", json={**IMAGE, "prompt": "other"}, headers=headers)
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "idempotency_mismatch"


def test_credits_are_priced_reserved_and_refunded_on_failure(api, sandbox):
    before = api.get("/credits").json()["remaining_credits"]
    created = api.post("/videos/generations", json={"prompt": "waves", "duration": 6, "generate_audio": True,
                                                     "resolution": "720p"}).json()
    assert created["required_credits"] == 6 * 3 + 4
    assert api.get("/credits").json()["remaining_credits"] == before - 22
    sandbox.add_job_fault("failed", type="image_generation", code="content_policy", message="Refused.")
    failed_id = api.post("/images/generations", json={**IMAGE, "quality": "high"}).json()["job_id"]
    assert api.get("/credits").json()["remaining_credits"] == before - 22 - 4
    failed = wait_for_status(api, failed_id)
    assert failed["status"] == "failed"
    assert failed["error"] == {"code": "content_policy", "message": "Refused."}
    wait_for_status(api, created["job_id"])
    assert api.get("/credits").json()["remaining_credits"] == before - 22


def test_insufficient_credits_is_402_and_creates_nothing(sandbox):
    with client_for(sandbox, "poor") as poor:
        remaining = poor.get("/credits").json()["remaining_credits"]
        response = poor.post("/videos/generations", json={"prompt": "waves", "duration": 10})
        assert response.status_code == 402
        assert response.json()["error"]["code"] == "insufficient_credits"
        assert poor.get("/credits").json()["remaining_credits"] == remaining
        assert poor.get("/jobs").json()["data"] == []


def test_active_generation_limit_is_429_with_retry_after(tmp_path):
    with start_sandbox(data_dir=tmp_path, time_scale=1.0) as box, client_for(box) as api:
        box.configure(max_active_generations=2)
        for _ in range(2):
            assert api.post("/images/generations", json=IMAGE).status_code == 202
        credits = api.get("/credits").json()
        assert credits["active_generations"] == 2 and credits["max_active_generations"] == 2
        refused = api.post("/images/generations", json=IMAGE)
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "active_generation_limit"
        assert 1 <= int(refused.headers["retry-after"]) <= 6
        assert api.get("/credits").json()["remaining_credits"] == credits["remaining_credits"]


def test_request_rate_limit_is_429_rate_limited(tmp_path):
    with start_sandbox(data_dir=tmp_path, time_scale=FAST) as box, client_for(box) as api:
        box.configure(rate_limit_per_second=1, rate_limit_burst=3)
        statuses = [api.get("/credits") for _ in range(5)]
        limited = [r for r in statuses if r.status_code == 429]
        assert [r.status_code for r in statuses[:3]] == [200, 200, 200] and limited
        assert limited[0].json()["error"]["code"] == "rate_limited"
        assert int(limited[0].headers["retry-after"]) >= 1
        with client_for(box, "other") as other:  # the limit is per key
            assert other.get("/credits").status_code == 200


def test_reference_analysis_result_is_deterministic_per_url(api):
    url = "https://www.tiktok.com/@brewhaus/video/7301234567890123456"
    created = api.post("/reference-analysis", json={"url": url}).json()
    assert created["object"] == "reference_analysis" and created["required_credits"] == 5
    assert wait_for_status(api, created["job_id"])["status"] == "completed"
    first = api.get(f"/jobs/{created['job_id']}/result").json()["result"]
    second_id = api.post("/reference-analysis", json={"url": url}).json()["job_id"]
    wait_for_status(api, second_id)
    assert api.get(f"/jobs/{second_id}/result").json()["result"] == first
    assert first["source_url"] == url and first["platform"] == "tiktok"
    assert 5 <= len(first["scenes"]) <= 25 and first["transcript"]
    for key in ("summary", "hook", "cta", "audio", "pacing", "tags", "duration_seconds"):
        assert key in first


def test_unknown_job_is_404(api):
    response = api.get("/jobs/job_doesnotexist")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_request_ids_differ_per_request(api):
    ids = {api.get("/credits").headers["x-request-id"] for _ in range(5)}
    assert len(ids) == 5


def test_works_through_asgi_transport(sandbox):
    async def run() -> int:
        transport = httpx.ASGITransport(app=sandbox.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1/api/v1",
                                     headers={"Authorization": f"Bearer {sandbox.api_key}"}) as client:
            return (await client.get("/credits")).status_code

    import asyncio

    assert asyncio.run(run()) == 200

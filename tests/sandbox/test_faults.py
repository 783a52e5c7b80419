"""Injected faults and the admin API: every way a test can break the sandbox on purpose, and its controls.

Each control is exercised twice where it exists twice: through the Python handle and through the admin
HTTP API under /_sandbox/ (which needs the admin token, never an API key).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest

from .conftest import wait_for_status

# The contract's example code for each status a fault can inject.
CONTRACT_CODES = {
    400: "invalid_request", 401: "invalid_api_key", 402: "insufficient_credits", 403: "forbidden",
    404: "not_found", 409: "conflict", 413: "payload_too_large", 429: "rate_limited",
    500: "internal_error", 502: "upstream_error", 503: "provider_unavailable",
}
CHANNELS = ("handle", "http")
IMAGE = {"prompt": "Fault injection test image"}


@pytest.fixture
def admin(sandbox) -> Iterator[httpx.Client]:
    """An httpx client on the admin API, with the admin token."""
    with httpx.Client(base_url=sandbox.origin, headers={"Authorization": f"Bearer {sandbox.admin_token}"},
                      timeout=30) as client:
        yield client


class Controls:
    """The same sandbox controls through the handle or through the admin HTTP API."""

    def __init__(self, channel: str, sandbox, admin: httpx.Client) -> None:
        self.channel, self.sandbox, self.admin = channel, sandbox, admin

    def _post(self, path: str, body: dict | None = None) -> dict:
        response = self.admin.post(path, json=body or {})
        assert response.status_code == 200, response.text
        return response.json()

    def add_fault(self, route: str, **options: object) -> dict:
        if self.channel == "handle":
            return self.sandbox.add_fault(route, **options)
        return self._post("/_sandbox/faults", {"route": route, **options})

    def add_job_fault(self, outcome: str, **options: object) -> dict:
        if self.channel == "handle":
            return self.sandbox.add_job_fault(outcome, **options)
        return self._post("/_sandbox/job-faults", {"outcome": outcome, **options})

    def configure(self, **options: object) -> dict:
        if self.channel == "handle":
            return self.sandbox.configure(**options)
        return self._post("/_sandbox/config", options)

    def reset(self) -> None:
        if self.channel == "handle":
            self.sandbox.reset()
        else:
            assert self._post("/_sandbox/reset") == {"reset": True}

    def stats(self) -> dict:
        if self.channel == "handle":
            return self.sandbox.stats()
        return self.admin.get("/_sandbox/stats").json()

    def timeline(self, job_id: str) -> dict:
        if self.channel == "handle":
            return self.sandbox.job_timeline(job_id)
        return self.admin.get(f"/_sandbox/jobs/{job_id}/timeline").json()


@pytest.fixture(params=CHANNELS)
def controls(request, sandbox, admin) -> Controls:
    return Controls(request.param, sandbox, admin)


def pending(admin: httpx.Client) -> dict:
    response = admin.get("/_sandbox/faults")
    assert response.status_code == 200
    return response.json()


def credits(api: httpx.Client) -> int:
    return api.get("/credits").json()["remaining_credits"]


def create(api: httpx.Client, path: str = "/images/generations", body: dict | None = None) -> str:
    response = api.post(path, json=body or IMAGE)
    assert response.status_code == 202, response.text
    return response.json()["job_id"]


def assert_contract_error(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert isinstance(error["type"], str) and error["type"]
    assert isinstance(error["message"], str) and error["message"]
    assert error["request_id"].startswith("req_")
    assert response.headers["x-request-id"] == error["request_id"]
    return error


# --- the admin API's own guard ---------------------------------------------------------------------

ADMIN_CALLS = [
    ("GET", "/_sandbox/config"), ("POST", "/_sandbox/config"), ("GET", "/_sandbox/faults"),
    ("POST", "/_sandbox/faults"), ("POST", "/_sandbox/job-faults"), ("POST", "/_sandbox/jobs/job_x/cancel"),
    ("GET", "/_sandbox/jobs/job_x/timeline"), ("POST", "/_sandbox/reset"), ("GET", "/_sandbox/stats"),
]


@pytest.mark.parametrize(("method", "path"), ADMIN_CALLS)
def test_admin_api_needs_the_admin_token_not_an_api_key(sandbox, admin, method, path):
    body = {"route": "GET /api/v1/credits", "status": 500} if path.endswith("/faults") else {}
    for headers in ({}, {"Authorization": f"Bearer {sandbox.api_key}"}, {"X-Api-Key": sandbox.admin_token},
                    {"Authorization": "Bearer sbx_admin_wrong"}):
        response = httpx.request(method, f"{sandbox.origin}{path}", headers=headers, json=body)
        assert_contract_error(response, 401, "invalid_admin_token")
    assert pending(admin) == {"faults": [], "job_faults": []}, "a refused call changes nothing"


def test_the_admin_token_is_not_an_api_key(sandbox):
    response = httpx.get(f"{sandbox.url}/credits", headers={"Authorization": f"Bearer {sandbox.admin_token}"})
    assert_contract_error(response, 401, "invalid_api_key")


# --- HTTP faults -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", sorted(CONTRACT_CODES))
def test_a_status_fault_breaks_the_next_n_matching_requests_only(api, admin, controls, status):
    added = controls.add_fault("GET /api/v1/credits", status=status, count=2)
    assert added["status"] == status and added["count"] == 2
    assert len(pending(admin)["faults"]) == 1
    assert api.get("/me").status_code == 200, "another route is untouched"
    assert api.post("/images/generations", json={"prompt": ""}).status_code == 400, "the real 400, not the fault"
    for _ in range(2):
        response = api.get("/credits")
        assert_contract_error(response, status, CONTRACT_CODES[status])
        if status == 429:
            assert float(response.headers["retry-after"]) > 0
        else:
            assert "retry-after" not in response.headers
    assert api.get("/credits").status_code == 200
    assert pending(admin)["faults"] == []


def test_a_fault_carries_a_custom_code_message_and_retry_after(api, controls):
    controls.add_fault("GET /api/v1/credits", status=503, code="provider_overloaded",
                       message="The provider is overloaded.", retry_after=7)
    response = api.get("/credits")
    error = assert_contract_error(response, 503, "provider_overloaded")
    assert error["message"] == "The provider is overloaded."
    assert response.headers["retry-after"] == "7"


def test_fault_routes_are_globs_with_an_optional_method(api, sandbox):
    sandbox.add_fault("POST /api/v1/images/*", status=502)
    sandbox.add_fault("/api/v1/jobs/*", status=404, count=2)
    assert api.get("/jobs").status_code == 200, "/jobs does not match /jobs/*"
    assert api.post("/videos/generations", json={"prompt": "x", "duration": 4}).status_code == 202
    assert api.post("/images/generations", json=IMAGE).status_code == 502
    assert api.get("/jobs/job_anything").status_code == 404
    assert api.post("/jobs/job_anything").status_code == 404, "no method in the pattern: any method"
    assert api.get("/jobs/job_anything").json()["error"]["message"].startswith("No job")


def test_faults_never_touch_the_admin_api(api, sandbox, admin):
    sandbox.add_fault("*", status=500)
    assert admin.get("/_sandbox/stats").status_code == 200
    assert admin.get("/_sandbox/config").status_code == 200
    assert api.get("/me").status_code == 500
    assert api.get("/me").status_code == 200


@pytest.mark.parametrize(
    "options",
    [{"status": 418}, {"kind": "explode"}, {"count": 0}, {"colour": "red"}, {}],
)
def test_bad_fault_options_are_400_on_the_admin_api(admin, sandbox, options):
    body = {"route": "GET /api/v1/credits", **options} if options else {"status": 500}
    response = admin.post("/_sandbox/faults", json=body)
    assert_contract_error(response, 400, "invalid_request")
    assert admin.post("/_sandbox/faults", content=b"{not json").status_code == 400
    assert pending(admin)["faults"] == []
    if options and "colour" not in options:
        with pytest.raises(ValueError):
            sandbox.add_fault("GET /api/v1/credits", **options)


def test_latency_delays_the_response(api, controls):
    controls.add_fault("GET /api/v1/credits", kind="latency", latency=0.3)
    started = time.monotonic()
    response = api.get("/credits")
    assert time.monotonic() - started >= 0.3
    assert response.status_code == 200 and response.json()["object"] == "credits"


def test_a_dropped_connection_is_a_transport_error(api, controls):
    controls.add_fault("GET /api/v1/credits", kind="drop")
    with pytest.raises(httpx.TransportError):
        api.get("/credits")
    assert api.get("/credits").status_code == 200


def test_malformed_json_is_a_200_whose_body_does_not_parse(api, controls):
    controls.add_fault("GET /api/v1/jobs/*", kind="malformed_json")
    job_id = create(api)
    response = api.get(f"/jobs/{job_id}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    assert api.get(f"/jobs/{job_id}").json()["id"] == job_id


def test_a_truncated_media_download_is_short_or_fails(api, controls):
    job_id = create(api, body={"prompt": "Truncated download", "resolution": "1k"})
    assert wait_for_status(api, job_id)["status"] == "completed"
    url = api.get(f"/jobs/{job_id}/result").json()["result"]["images"][0]["url"]
    full = httpx.get(url).content
    controls.add_fault("GET /media/jobs/*", kind="truncate")
    received = b""
    with pytest.raises(httpx.TransportError), httpx.stream("GET", url) as response:
        assert response.status_code == 200
        assert int(response.headers["content-length"]) == len(full)
        for chunk in response.iter_raw():
            received += chunk
    assert len(received) < len(full)
    assert httpx.get(url).content == full


# --- job faults ------------------------------------------------------------------------------------


def test_a_failed_job_reports_the_given_error_and_refunds_its_credits(api, controls):
    controls.add_job_fault("failed", code="content_policy", message="The prompt was refused.")
    before = credits(api)
    job_id = create(api, body={"prompt": "Refused image", "quality": "high"})
    assert credits(api) == before - 4, "credits are reserved at create"
    job = wait_for_status(api, job_id)
    assert job["status"] == "failed"
    assert job["error"] == {"code": "content_policy", "message": "The prompt was refused."}
    assert credits(api) == before, "a failed job is refunded"
    assert_contract_error(api.get(f"/jobs/{job_id}/result"), 409, "job_not_completed")


@pytest.mark.parametrize(("outcome", "code"), [("expired", "job_expired"), ("canceled", "job_canceled")])
def test_expired_and_canceled_jobs_are_refunded(api, controls, outcome, code):
    controls.add_job_fault(outcome)
    before = credits(api)
    job = wait_for_status(api, create(api))
    assert job["status"] == outcome
    assert job["error"]["code"] == code and job["error"]["message"]
    assert job["completed_at"] is None
    assert credits(api) == before


def test_no_progress_jobs_never_report_progress(api, controls):
    controls.add_job_fault("no_progress", type="video_generation")
    job_id = create(api, "/videos/generations", {"prompt": "Progress-less video", "duration": 4})
    seen = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        job = api.get(f"/jobs/{job_id}").json()
        seen.append(job)
        if job["status"] == "completed":
            break
        time.sleep(0.005)
    assert seen[-1]["status"] == "completed"
    assert "running" in {job["status"] for job in seen}
    assert all("progress" not in job for job in seen)
    normal = wait_for_status(api, create(api, "/videos/generations", {"prompt": "Normal video", "duration": 4}))
    assert normal["progress"] == 1.0


def test_job_faults_count_and_type(api, controls):
    controls.add_job_fault("failed", count=2, type="video_generation")
    video = {"prompt": "Counted video fault", "duration": 4, "resolution": "480p"}
    image_id = create(api)
    video_ids = [create(api, "/videos/generations", video) for _ in range(3)]
    assert wait_for_status(api, image_id)["status"] == "completed", "another type is untouched"
    assert [wait_for_status(api, job_id)["status"] for job_id in video_ids] == ["failed", "failed", "completed"]


@pytest.mark.parametrize("body", [{"outcome": "exploded"}, {"outcome": "failed", "type": "poem"},
                                  {"outcome": "failed", "count": 0}, {"outcome": "failed", "colour": 1}])
def test_bad_job_fault_options_are_400(admin, body):
    assert_contract_error(admin.post("/_sandbox/job-faults", json=body), 400, "invalid_request")
    assert pending(admin)["job_faults"] == []


def test_pending_faults_are_listed(sandbox, admin):
    sandbox.add_fault("GET /api/v1/me", status=503, count=3)
    sandbox.add_job_fault("expired", type="face_swap")
    listed = pending(admin)
    assert [(f["route"], f["status"], f["count"]) for f in listed["faults"]] == [("GET /api/v1/me", 503, 3)]
    assert [(f["outcome"], f["type"]) for f in listed["job_faults"]] == [("expired", "face_swap")]


# --- admin cancel, timelines, time scale, reset, stats ---------------------------------------------


def test_admin_cancel_ends_a_running_job_and_refunds(api, sandbox, admin):
    sandbox.configure(time_scale=0.5)
    try:
        before = credits(api)
        job_id = create(api, "/videos/generations", {"prompt": "Canceled by an admin", "duration": 4})
    finally:
        sandbox.configure(time_scale=0.02)
    assert credits(api) < before
    response = admin.post(f"/_sandbox/jobs/{job_id}/cancel")
    assert response.status_code == 200 and response.json() == {"id": job_id, "canceled": True}
    job = api.get(f"/jobs/{job_id}").json()
    assert job["status"] == "canceled" and job["error"]["code"] == "job_canceled"
    assert credits(api) == before
    assert sandbox.job_timeline(job_id)["outcome"] == "canceled"
    assert_contract_error(admin.post(f"/_sandbox/jobs/{job_id}/cancel"), 409, "conflict")
    assert_contract_error(admin.post("/_sandbox/jobs/job_missing/cancel"), 404, "not_found")


def test_admin_cancel_of_a_completed_job_is_a_conflict(api, admin):
    job_id = create(api)
    time.sleep(0.3)  # ended, and not yet settled: no API request since
    assert_contract_error(admin.post(f"/_sandbox/jobs/{job_id}/cancel"), 409, "conflict")
    job = api.get(f"/jobs/{job_id}").json()
    assert job["status"] == "completed"
    assert_contract_error(admin.post(f"/_sandbox/jobs/{job_id}/cancel"), 409, "conflict")
    assert api.get(f"/jobs/{job_id}").json()["status"] == "completed"


def test_job_timelines(api, controls, admin, sandbox):
    job_id = create(api)
    timeline = controls.timeline(job_id)
    assert set(timeline) == {"created_at", "started_at", "ends_at", "outcome"}
    assert timeline["created_at"] <= timeline["started_at"] <= timeline["ends_at"]
    assert timeline["outcome"] == "completed"
    assert_contract_error(admin.get("/_sandbox/jobs/job_missing/timeline"), 404, "not_found")
    assert sandbox.job_timeline("job_missing") is None


def test_a_time_scale_change_applies_to_new_jobs(api, sandbox, admin, controls):
    old_job = create(api)
    try:
        settings = controls.configure(time_scale=0.25)
        assert settings["time_scale"] == 0.25
        assert settings["job_durations"]["image_generation"] == pytest.approx(1.0)
        assert admin.get("/_sandbox/config").json()["time_scale"] == 0.25
        new_job = create(api)
    finally:
        sandbox.configure(time_scale=0.02)
    old, new = controls.timeline(old_job), controls.timeline(new_job)
    assert old["ends_at"] - old["created_at"] == pytest.approx(4 * 0.02, rel=0.2)
    assert new["ends_at"] - new["created_at"] == pytest.approx(4 * 0.25, rel=0.2)
    assert admin.post(f"/_sandbox/jobs/{new_job}/cancel").status_code == 200  # free the slot now
    assert_contract_error(admin.post("/_sandbox/config", json={"time_scale": 0}), 400, "invalid_request")
    assert_contract_error(admin.post("/_sandbox/config", json={"speed": 2}), 400, "invalid_request")
    assert admin.get("/_sandbox/config").json()["time_scale"] == 0.02


def test_configure_credits_and_capacity_per_workspace(api, sandbox, admin):
    api.get("/credits")  # settles refunds owed by earlier tests' jobs first
    before = sandbox.configure()["workspaces"]["ws_sandbox_main"]
    try:
        response = admin.post("/_sandbox/config", json={"credits": 3, "workspace": "ws_sandbox_main"})
        assert response.json()["workspaces"]["ws_sandbox_main"]["remaining_credits"] == 3
        assert response.json()["workspaces"]["ws_sandbox_other"]["remaining_credits"] != 3
        assert_contract_error(api.post("/images/generations", json={**IMAGE, "quality": "high"}), 402,
                              "insufficient_credits")
        admin.post("/_sandbox/config", json={"max_active_generations": 1, "workspace": "ws_sandbox_main"})
        body = api.get("/credits").json()
        assert (body["remaining_credits"], body["max_active_generations"]) == (3, 1)
    finally:
        sandbox.configure(credits=before["remaining_credits"],
                          max_active_generations=before["max_active_generations"], workspace="ws_sandbox_main")
    assert api.get("/credits").json()["remaining_credits"] == before["remaining_credits"]


def test_reset_clears_pending_faults(api, admin, controls):
    controls.add_fault("GET /api/v1/credits", status=500, count=5)
    controls.add_job_fault("failed", count=5)
    controls.reset()
    assert pending(admin) == {"faults": [], "job_faults": []}
    assert api.get("/credits").status_code == 200
    assert wait_for_status(api, create(api))["status"] == "completed"


def test_stats_count_requests_by_route_template(api, controls, sandbox):
    job_id = create(api)
    controls.reset()
    for _ in range(3):
        api.get(f"/jobs/{job_id}")
    api.get("/jobs/job_missing")
    api.get("/credits")
    api.get("/credits")
    httpx.get(f"{sandbox.origin}/media/jobs/{job_id}/0.png")  # no token: 403
    controls.stats()  # admin calls are the harness's, not counted
    stats = controls.stats()
    assert stats["requests"] == {
        "GET /api/v1/jobs/{job_id}": 4, "GET /api/v1/credits": 2, "GET /media/{path}": 1,
    }
    assert stats["responses"] == {"200": 5, "404": 1, "403": 1}
    controls.reset()
    assert controls.stats() == {"requests": {}, "responses": {}}

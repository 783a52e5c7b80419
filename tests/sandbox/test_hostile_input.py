"""What a hostile client sends the sandbox, one class of input per test: every answer is the contract's JSON error
envelope with a request id and a 4xx naming what is wrong, never a 500, and nothing refused is charged or applied.

Each class once answered a plain-text 500, or was accepted and then broke a paid job or every job list.
"""

from __future__ import annotations

import base64
import sqlite3
from pathlib import Path

import httpx
import pytest

from sume_notebook.sandbox import SandboxHandle, start_sandbox
from tests.support import FAST

from .conftest import client_for, wait_for_status


def crafted_cursor(payload: bytes) -> str:
    """A cursor in the API's format (`cur_` + URL-safe base64 of JSON) around a payload of the attacker's choice."""
    return "cur_" + base64.urlsafe_b64encode(payload).decode().rstrip("=")


def assert_refused(response: httpx.Response, status: int = 400, field: str | None = None) -> dict:
    """The contract's error envelope: JSON, the status, a code, a message, the request id in body and header."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] and error["message"]
    assert error["request_id"] == response.headers["x-request-id"]
    if field is not None:
        assert field in {item["field"] for item in error.get("fields", [])}, error
    return error


def post_raw(api: httpx.Client, path: str, text: str) -> httpx.Response:
    """A body as a hostile client writes it by hand: JSON-like text no serializer of ours would produce."""
    return api.post(path, content=text.encode(), headers={"Content-Type": "application/json"})


def remaining_credits(api: httpx.Client) -> int:
    return api.get("/credits").json()["remaining_credits"]


@pytest.mark.parametrize(("path", "payload"), [
    ("/jobs", b"[[1], [2]]"),  # the keyset's parts as lists: once bound straight into SQL
    ("/jobs", b'"ab"'),  # a string of length 2 passed for a (time, id) pair
    ("/jobs", b"[NaN, \"job_x\"]"),
    ("/brand", b"[1]"),  # a list where an object was expected
    ("/avatars", b'{"offset": "x"}'),
    ("/avatars", b'{"offset": NaN}'),
    ("/brand", b'{"offset": -5}'),
    ("/assets", b"[" * 5000 + b"]" * 5000),  # nesting past Python's recursion limit
])
def test_a_crafted_cursor_is_a_400_envelope(api: httpx.Client, path: str, payload: bytes) -> None:
    assert_refused(api.get(path, params={"cursor": crafted_cursor(payload)}), field="cursor")


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "1" + "0" * 400])
def test_non_finite_numbers_in_a_json_body_are_refused_uncharged(api: httpx.Client, number: str) -> None:
    before = remaining_credits(api)
    error = assert_refused(post_raw(api, "/videos/generations", f'{{"prompt": "waves", "duration": {number}}}'))
    assert error["code"] == "invalid_request"
    assert remaining_credits(api) == before


def test_deeply_nested_json_is_refused(api: httpx.Client) -> None:
    depth = 200_000  # far past the interpreter's recursion limit, well under the 1 MiB body limit
    assert_refused(post_raw(api, "/images/generations", "[" * depth + "]" * depth))
    nested = '{"prompt": "x", "extra": ' + "[" * 40 + "]" * 40 + "}"  # past the sandbox's own bound of 32
    assert "nested deeper" in assert_refused(post_raw(api, "/images/generations", nested))["message"]


@pytest.mark.parametrize("url", ["https://[::1/", "https://[::1]:99999/a.png", "https://cdn.example.com:-1/",
                                 "https://[not-an-ip]/a.png"])
def test_malformed_urls_in_url_fields_are_field_errors(api: httpx.Client, url: str) -> None:
    images = api.post("/images/generations", json={"prompt": "x", "reference_image_urls": [url]})
    assert_refused(images, field="reference_image_urls")
    swap = api.post("/face-swap", json={"source_video_url": url, "avatar_ids": ["avt_mia"]})
    assert_refused(swap, field="source_video_url")
    assert_refused(api.post("/reference-analysis", json={"url": url}), field="url")


@pytest.mark.parametrize("score", ["nan", "NaN", "inf", "-Infinity"])
def test_a_non_finite_search_score_is_a_field_error(api: httpx.Client, score: str) -> None:
    asset_id = api.get("/assets", params={"limit": 1}).json()["data"][0]["id"]
    response = api.get(f"/assets/{asset_id}", params={"query": "serum", "search_score": score})
    assert_refused(response, field="search_score")


@pytest.mark.parametrize("limit", ["²", "٣", "1e1", " 5", ""])
def test_a_limit_that_is_not_plain_digits_is_a_field_error(api: httpx.Client, limit: str) -> None:
    for path in ("/jobs", "/avatars", "/assets"):
        assert_refused(api.get(path, params={"limit": limit}), field="limit")


def test_a_nan_ad_duration_is_refused_before_payment(api: httpx.Client) -> None:
    before = remaining_credits(api)
    body = '{"script": "Buy our serum today", "avatar_id": "avt_mia", "duration_seconds": NaN}'
    assert_refused(post_raw(api, "/ads/videos", body))
    assert remaining_credits(api) == before


def test_a_prompt_with_a_lone_surrogate_is_refused_before_payment(api: httpx.Client) -> None:
    before = remaining_credits(api)
    response = post_raw(api, "/images/generations", '{"prompt": "a cup of \\ud800 coffee"}')
    assert "surrogate" in assert_refused(response, field="prompt")["fields"][0]["message"]
    assert_refused(post_raw(api, "/images/generations", '{"prompt": "x", "\\udc00": 1}'))
    assert remaining_credits(api) == before


AD = {"script": "Buy our serum today", "avatar_id": "avt_mia"}


@pytest.mark.parametrize(("path", "body", "stored"), [
    ("/ads/videos", AD,
     '{"ad_format": "talking_heads", "avatar_id": "avt_mia", "duration_seconds": NaN, "script": "Buy it"}'),
    ("/images/generations", {"prompt": "a cup"}, '{"prompt": "a cup of \\ud800 coffee"}'),
])
def test_a_paid_job_stored_with_unreadable_values_stays_readable(sandbox: SandboxHandle, api: httpx.Client,
                                                                 path: str, body: dict, stored: str) -> None:
    """A data directory written before the refusals above may hold such a request; its job is paid for, so its
    status, result and media must still be readable (the values read back as null or with a replacement)."""
    job_id = api.post(path, json=body).json()["job_id"]
    with sqlite3.connect(sandbox.data_dir / "sandbox.sqlite3") as db:
        db.execute("UPDATE jobs SET request = ? WHERE id = ?", (stored, job_id))
    assert wait_for_status(api, job_id)["status"] == "completed"
    result = api.get(f"/jobs/{job_id}/result")
    assert result.status_code == 200, result.text
    for image in result.json()["result"].get("images", []):
        assert httpx.get(image["url"], timeout=30).status_code == 200
    for video in result.json()["result"].get("videos", []):
        assert video["duration_seconds"] > 0
    assert api.get("/jobs", params={"limit": 100}).status_code == 200


def test_an_unexpected_failure_is_a_json_500_with_a_request_id_and_logged(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A stored job whose request is not JSON at all (a data directory edited by hand) is beyond repair: it must
    still be answered in the contract's envelope, with a request id the log line carries too. A sandbox of its
    own, since that job breaks every list of its workspace."""
    with start_sandbox(port=0, data_dir=tmp_path, time_scale=FAST) as handle, client_for(handle) as api:
        job_id = api.post("/images/generations", json={"prompt": "a cup"}).json()["job_id"]
        with sqlite3.connect(handle.data_dir / "sandbox.sqlite3") as db:
            db.execute("UPDATE jobs SET request = '{not json' WHERE id = ?", (job_id,))
        with caplog.at_level("ERROR", logger="sume_notebook.sandbox"):
            response = api.get(f"/jobs/{job_id}")
    error = assert_refused(response, status=500)
    assert error["code"] == "internal_error"
    assert any(error["request_id"] in record.getMessage() for record in caplog.records)


def test_admin_values_are_checked_before_any_is_applied(sandbox: SandboxHandle, api: httpx.Client) -> None:
    admin = httpx.Client(base_url=f"{sandbox.origin}/_sandbox",
                         headers={"Authorization": f"Bearer {sandbox.admin_token}"}, timeout=30)
    before = admin.get("/config").json()
    assert_refused(post_raw(admin, "/config", '{"time_scale": NaN}'))
    refused = admin.post("/config", json={"rate_limit_burst": 7, "time_scale": -1})  # one good, one bad value
    assert "time_scale" in assert_refused(refused)["message"]
    with pytest.raises(ValueError, match="time_scale"):
        sandbox.configure(time_scale=float("nan"))
    after = admin.get("/config")
    assert after.status_code == 200
    assert (after.json()["time_scale"], after.json()["rate_limit_burst"]) == \
        (before["time_scale"], before["rate_limit_burst"])
    assert api.get("/jobs").status_code == 200
    assert_refused(admin.post("/faults", json={"route": "GET /api/v1/me", "kind": "latency", "latency": -1}))

"""Auth, workspace scope, /me, /credits, Brand DNA, avatars, OpenAPI and request ids."""

from __future__ import annotations

import httpx

from .conftest import client_for


def test_bearer_and_legacy_header_both_authenticate(sandbox):
    bearer = httpx.get(f"{sandbox.url}/me", headers={"Authorization": f"Bearer {sandbox.api_key}"})
    legacy = httpx.get(f"{sandbox.url}/me", headers={"X-Api-Key": sandbox.api_key})
    assert bearer.status_code == legacy.status_code == 200
    assert bearer.json()["workspace"] == legacy.json()["workspace"]


def test_missing_and_unknown_keys_are_401_with_request_id(sandbox):
    for headers in ({}, {"Authorization": "Bearer sume_test_not_a_key"}, {"X-Api-Key": "nope"}):
        response = httpx.get(f"{sandbox.url}/credits", headers=headers)
        assert response.status_code == 401
        error = response.json()["error"]
        assert error["code"] == "invalid_api_key"
        assert error["request_id"] == response.headers["x-request-id"]
        assert error["request_id"].startswith("req_")


def test_me_describes_the_key_without_its_secret(api, sandbox):
    body = api.get("/me").json()
    assert body["object"] == "account"
    assert body["workspace"]["id"] == "ws_sandbox_main"
    assert set(body["user"]) == {"id", "email", "name"}
    assert body["api_key"]["prefix"] == sandbox.api_key[:14]
    assert sandbox.api_key not in api.get("/me").text
    assert body["api_key"]["last_used_at"] is not None


def test_each_workspace_key_sees_its_own_workspace(sandbox):
    seen = set()
    for role in ("primary", "other", "poor"):
        with client_for(sandbox, role) as client:
            seen.add(client.get("/me").json()["workspace"]["id"])
    assert len(seen) == 3


def test_credits_report_plan_balance_and_capacity(api):
    body = api.get("/credits").json()
    assert body["object"] == "credits"
    assert body["remaining_credits"] == body["monthly_credits"] + body["bonus_credits"]
    assert body["active_generations"] == 0
    assert body["max_active_generations"] == 4


def test_brands_list_and_current_carry_reference_images(api):
    brands = api.get("/brand").json()
    assert brands["object"] == "list" and len(brands["data"]) >= 2 and brands["next_cursor"] is None
    current = api.get("/brand/current").json()
    assert current["object"] == "brand" and current["id"] == brands["data"][0]["id"]
    image = current["images"][0]
    assert image["reference_url"].startswith("http://127.0.0.1") and "token=" in image["reference_url"]
    assert httpx.get(image["reference_url"]).headers["content-type"] == "image/png"


def test_avatars_are_public_and_workspace_with_capabilities(api, sandbox):
    avatars = api.get("/avatars").json()["data"]
    assert len(avatars) >= 8
    assert {a["visibility"] for a in avatars} == {"public", "workspace"}
    assert {tuple(sorted(a["capabilities"].items())) for a in avatars}.__len__() >= 3
    one = api.get(f"/avatars/{avatars[0]['id']}").json()
    assert one == avatars[0]
    assert api.get(f"/avatars/{avatars[0]['slug']}").json()["id"] == avatars[0]["id"]
    workspace_only = next(a for a in avatars if a["visibility"] == "workspace")
    with client_for(sandbox, "other") as other:
        assert other.get(f"/avatars/{workspace_only['id']}").status_code == 404


def test_avatar_pages_follow_next_cursor(api):
    first = api.get("/avatars", params={"limit": 3}).json()
    assert first["has_more"] and first["next_cursor"]
    ids = [a["id"] for a in first["data"]]
    cursor = first["next_cursor"]
    while cursor:
        page = api.get("/avatars", params={"limit": 3, "cursor": cursor}).json()
        ids += [a["id"] for a in page["data"]]
        cursor = page["next_cursor"]
    assert ids == [a["id"] for a in api.get("/avatars", params={"limit": 100}).json()["data"]]


def test_unknown_avatar_and_route_are_404(api):
    assert api.get("/avatars/avt_nobody").json()["error"]["code"] == "not_found"
    response = api.get("/no/such/route")
    assert response.status_code == 404 and response.headers["x-request-id"]


def test_openapi_describes_every_route(sandbox):
    document = httpx.get(sandbox.origin + "/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    for path in ("/me", "/credits", "/brand", "/brand/current", "/avatars", "/avatars/{avatarId}", "/jobs",
                 "/jobs/{jobId}", "/jobs/{jobId}/result", "/images/generations", "/videos/generations",
                 "/ads/videos", "/face-swap", "/reference-analysis", "/uploads/presign", "/assets",
                 "/assets/{assetId}"):
        assert path in paths, path
    image_body = paths["/images/generations"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert image_body["properties"]["aspect_ratio"]["enum"] == ["1:1", "4:5", "9:16"]
    assert image_body["required"] == ["prompt"]


def test_every_response_has_a_request_id(api):
    for path in ("/me", "/credits", "/jobs", "/assets?limit=1", "/avatars/none"):
        assert api.get(path).headers["x-request-id"].startswith("req_")

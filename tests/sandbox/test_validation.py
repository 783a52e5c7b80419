"""Every constraint the seeds state answers 400 validation_error naming each bad field, before any charge."""

from __future__ import annotations

import pytest

from .conftest import client_for

GOOD_IMAGE = {"prompt": "A cup of coffee", "aspect_ratio": "1:1"}
HTTPS = "https://cdn.example.com/ref.png"

CASES = [
    ("/images/generations", {}, {"prompt"}),
    ("/images/generations", {"prompt": "  "}, {"prompt"}),
    ("/images/generations", {**GOOD_IMAGE, "aspect_ratio": "16:9"}, {"aspect_ratio"}),
    ("/images/generations", {**GOOD_IMAGE, "n": 0}, {"n"}),
    ("/images/generations", {**GOOD_IMAGE, "image_count": 1.5}, {"image_count"}),
    ("/images/generations", {**GOOD_IMAGE, "image_count": 1, "n": 2}, {"n"}),
    ("/images/generations", {**GOOD_IMAGE, "reference_image_urls": ["http://cdn.example.com/a.png"]},
     {"reference_image_urls"}),
    ("/images/generations", {**GOOD_IMAGE, "reference_image_urls": [HTTPS] * 10}, {"reference_image_urls"}),
    ("/images/generations", {**GOOD_IMAGE, "resolution": "8k", "quality": "ultra"}, {"resolution", "quality"}),
    ("/images/generations", {**GOOD_IMAGE, "workspace_id": "ws_x"}, {"workspace_id"}),
    ("/images/generations", {**GOOD_IMAGE, "colour": "red"}, {"colour"}),
    ("/videos/generations", {"prompt": "waves", "duration": 3}, {"duration"}),
    ("/videos/generations", {"prompt": "waves", "duration": 16}, {"duration"}),
    ("/videos/generations", {"prompt": "waves", "resolution": "1080p"}, {"resolution"}),
    ("/videos/generations", {"prompt": "waves", "generate_audio": "yes"}, {"generate_audio"}),
    ("/videos/generations", {"duration": 8}, {"prompt"}),
    ("/ads/videos", {"script": "hi", "avatar_id": "avt_mia"}, {"script"}),
    ("/ads/videos", {"script": "x" * 1801, "avatar_id": "avt_mia"}, {"script"}),
    ("/ads/videos", {"script": "Buy our serum today"}, {"avatar_id"}),
    ("/ads/videos", {"script": "Buy our serum today", "ad_format": "ugc_ads"}, {"avatar_id"}),
    ("/ads/videos", {"script": "Buy our serum today", "ad_format": "banner"}, {"ad_format"}),
    ("/ads/videos", {"script": "Buy our serum today", "avatar_id": "avt_mia", "locale": "fr"}, {"locale"}),
    ("/ads/videos", {"script": "Buy our serum today", "avatar_id": "avt_mia",
                     "reference_video_urls": ["https://cdn.example.com/v.mp4"]}, {"reference_video_urls"}),
    ("/ads/videos", {"script": "Buy our serum today", "ad_format": "video",
                     "reference_image_urls": [HTTPS] * 10}, {"reference_image_urls"}),
    ("/ads/videos", {"script": "Buy our serum today", "avatar_id": "avt_nobody"}, {"avatar_id"}),
    ("/ads/videos", {"script": "Buy our serum today", "ad_format": "ugc_ads", "avatar_id": "avt_leo"}, {"avatar_id"}),
    ("/face-swap", {"avatar_ids": ["avt_mia"]}, {"source_video_url"}),
    ("/face-swap", {"source_video_url": HTTPS, "avatar_ids": []}, {"avatar_ids"}),
    ("/face-swap", {"source_video_url": HTTPS, "avatar_ids": ["a", "b", "c", "d", "e", "f"]}, {"avatar_ids"}),
    ("/face-swap", {"source_video_url": HTTPS, "avatar_ids": ["avt_mia"], "duration_seconds": 16},
     {"duration_seconds"}),
    ("/face-swap", {"source_video_url": HTTPS, "avatar_ids": ["avt_mia"], "aspect_ratio": "2:1"}, {"aspect_ratio"}),
    ("/face-swap", {"source_video_url": HTTPS, "avatar_ids": ["avt_mia"], "trim_start_seconds": 5,
                    "trim_end_seconds": 2}, {"trim_end_seconds"}),
    ("/face-swap", {"source_video_url": HTTPS, "avatar_ids": ["avt_mia"]}, {"source_video_url"}),
    ("/reference-analysis", {"url": "https://www.youtube.com/watch?v=abc"}, {"url"}),
    ("/reference-analysis", {"url": "http://www.tiktok.com/@a/video/1234567890"}, {"url"}),
    ("/reference-analysis", {}, {"url"}),
    ("/uploads/presign", {"purpose": "avatar", "filename": "a.mp4", "content_type": "video/mp4", "size_bytes": 10},
     {"purpose"}),
    ("/uploads/presign", {"purpose": "asset_library_video", "filename": "a.txt", "content_type": "text/plain",
                          "size_bytes": 0}, {"content_type", "size_bytes"}),
]


@pytest.mark.parametrize(("path", "body", "fields"), CASES)
def test_bad_bodies_name_every_bad_field_and_spend_nothing(api, path, body, fields):
    before = api.get("/credits").json()["remaining_credits"]
    response = api.post(path, json=body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert {item["field"] for item in error["fields"]} == fields
    assert all(item["message"] for item in error["fields"])
    assert api.get("/credits").json()["remaining_credits"] == before


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"'])
def test_non_object_bodies_are_invalid_request(api, body):
    response = api.post("/images/generations", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"


@pytest.mark.parametrize("url", [
    "https://www.tiktok.com/@brewhaus/video/7301234567890123456",
    "https://vm.tiktok.com/ZMabc123/",
    "https://www.instagram.com/reel/C1a2b3c4d5/",
])
def test_accepted_reference_urls(api, url):
    assert api.post("/reference-analysis", json={"url": url}).status_code == 202


def test_restricted_key_is_forbidden_ads_and_face_swap_only(sandbox):
    with client_for(sandbox, "restricted") as restricted:
        ad = restricted.post("/ads/videos", json={"script": "Buy now please", "avatar_id": "avt_mia"})
        swap = restricted.post("/face-swap", json={"source_video_url": HTTPS, "avatar_ids": ["avt_mia"]})
        assert ad.status_code == swap.status_code == 403
        assert ad.json()["error"]["code"] == "forbidden"
        assert restricted.post("/images/generations", json=GOOD_IMAGE).status_code == 202


def test_list_query_validation(api):
    assert api.get("/jobs", params={"type": "poem"}).json()["error"]["fields"][0]["field"] == "type"
    assert api.get("/jobs", params={"status": "done"}).json()["error"]["fields"][0]["field"] == "status"
    assert api.get("/jobs", params={"limit": 0}).status_code == 400
    assert api.get("/jobs", params={"cursor": "garbage"}).status_code == 400
    assert api.get("/assets", params={"sort": "random"}).status_code == 400
    assert api.get("/assets", params={"source_type": "stock"}).status_code == 400
    assert api.get("/assets", params={"cta_present": "maybe"}).status_code == 400


@pytest.mark.parametrize(("path", "body", "said"), [
    ("/images/generations", {"prompt": "  "}, "prompt: must not be empty"),
    ("/ads/videos", {"script": "hi", "avatar_id": "avt_mia"}, "script: must be at least 3 characters"),
    ("/face-swap", {"source_video_url": HTTPS, "avatar_ids": []}, "avatar_ids: needs at least 1 entry"),
    ("/face-swap", {"source_video_url": HTTPS, "avatar_ids": ["a", "b", "c", "d", "e", "f"]},
     "avatar_ids: accepts at most 5 entries"),
])
def test_messages_read_as_english(api, path, body, said):
    fields = api.post(path, json=body).json()["error"]["fields"]
    assert said in [f"{item['field']}: {item['message']}" for item in fields]

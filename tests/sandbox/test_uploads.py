"""Uploads end to end: presign, the storage PUT, finalize into the Asset Library, and face-swap sources."""

from __future__ import annotations

import io
import pathlib
from collections.abc import Iterator
from datetime import datetime, timezone

import av
import httpx
import pytest
from PIL import Image

from sume_notebook.sandbox._media import MediaRenderer, VideoSpec

from .conftest import client_for, wait_for_status

VIDEO_SECONDS = 5.0
CHUNK = 16 * 1024


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """A small real MP4 (320x180, 5 s, with audio) to upload."""
    renderer = MediaRenderer(tmp_path_factory.mktemp("upload-media"))
    return renderer.video_mp4(VideoSpec("Lumen Serum honest review", 320, 180, VIDEO_SECONDS, True, "upload"))


def presign_body(video: pathlib.Path | None = None, **overrides: object) -> dict:
    body = {"purpose": "asset_library_video", "filename": "lumen serum review.mp4", "content_type": "video/mp4",
            "size_bytes": video.stat().st_size if video else 1000}
    body.update(overrides)
    return body


def presign(api: httpx.Client, video: pathlib.Path | None = None, **overrides: object) -> dict:
    response = api.post("/uploads/presign", json=presign_body(video, **overrides))
    assert response.status_code == 200, response.text
    return response.json()


def chunks(data: bytes, size: int = CHUNK) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


def put(upload: dict, data: bytes, headers: dict | None = None, url: str | None = None) -> httpx.Response:
    """PUT to storage the way the seed says: the signed URL and only the required headers (streamed)."""
    return httpx.put(url or upload["upload_url"], content=chunks(data),
                     headers=upload["required_headers"] if headers is None else headers, timeout=30)


def uploaded(api: httpx.Client, video: pathlib.Path, **overrides: object) -> dict:
    upload = presign(api, video, **overrides)
    response = put(upload, video.read_bytes())
    assert response.status_code == 200, response.text
    return upload


def all_scenes(client: httpx.Client, **params: object) -> list[dict]:
    """Every scene of a search, following next_cursor."""
    scenes: list[dict] = []
    query = {"limit": 100, **params}
    while True:
        page = client.get("/assets", params=query)
        assert page.status_code == 200, page.text
        body = page.json()
        scenes += body["data"]
        if not body["next_cursor"]:
            return scenes
        query["cursor"] = body["next_cursor"]


def assert_storage_error(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/xml")
    assert "<Error>" in response.text


def assert_mp4(data: bytes, tmp_path: pathlib.Path, duration: float, *, size: tuple[int, int] | None = None,
               tolerance: float = 0.2) -> None:
    path = tmp_path / f"check-{len(data)}.mp4"
    path.write_bytes(data)
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        if size is not None:
            assert (stream.codec_context.width, stream.codec_context.height) == size
        assert container.duration / av.time_base == pytest.approx(duration, abs=tolerance)


# --- presign ---------------------------------------------------------------------------------------


def test_presign_answers_the_contract_shape(api, video):
    upload = presign(api, video)
    assert upload["object"] == "upload"
    for name in ("upload_url", "required_headers", "object_key", "media_url", "expires_at"):
        assert upload[name], name
    assert upload["upload_url"].startswith("http://127.0.0.1")
    assert upload["object_key"] in upload["upload_url"]
    assert isinstance(upload["required_headers"], dict)
    assert upload["required_headers"]["Content-Type"] == "video/mp4"
    assert "Authorization" not in upload["required_headers"]
    assert "token=" in upload["media_url"]
    expires = datetime.fromisoformat(upload["expires_at"].replace("Z", "+00:00"))
    assert expires > datetime.now(timezone.utc)


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"purpose": "avatar_photo"}, {"purpose"}),
        ({"content_type": "image/png"}, {"content_type"}),
        ({"purpose": "nope", "content_type": "text/plain"}, {"purpose", "content_type"}),
        ({"size_bytes": 0}, {"size_bytes"}),
        ({"size_bytes": "big"}, {"size_bytes"}),
        ({"workspace_id": "ws_sandbox_other"}, {"workspace_id"}),
    ],
)
def test_presign_validation_is_400_with_fields(api, overrides, fields):
    response = api.post("/uploads/presign", json=presign_body(**overrides))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert {item["field"] for item in error["fields"]} == fields
    assert error["request_id"] == response.headers["x-request-id"]


def test_presign_reports_every_missing_field(api):
    response = api.post("/uploads/presign", json={})
    assert response.status_code == 400
    fields = {item["field"] for item in response.json()["error"]["fields"]}
    assert fields == {"purpose", "filename", "content_type", "size_bytes"}
    assert api.post("/uploads/presign", content=b"not json").status_code == 400


def test_presign_needs_an_api_key(sandbox):
    response = httpx.post(f"{sandbox.url}/uploads/presign", json=presign_body())
    assert response.status_code == 401


def test_presign_over_the_size_cap_is_413(api, sandbox):
    previous = sandbox.configure()["max_upload_bytes"]
    sandbox.configure(max_upload_bytes=10_000)
    try:
        response = api.post("/uploads/presign", json=presign_body(size_bytes=10_001))
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "payload_too_large"
        assert api.post("/uploads/presign", json=presign_body(size_bytes=10_000)).status_code == 200
    finally:
        sandbox.configure(max_upload_bytes=previous)
    assert api.post("/uploads/presign", json=presign_body(size_bytes=10_001)).status_code == 200


# --- the storage PUT -------------------------------------------------------------------------------


def test_storage_put_streams_the_body_with_exactly_the_required_headers(api, video):
    upload = presign(api, video)
    data = video.read_bytes()
    sent: list[int] = []

    def counted() -> Iterator[bytes]:
        for chunk in chunks(data):
            sent.append(len(chunk))
            yield chunk

    response = httpx.put(upload["upload_url"], content=counted(), headers=upload["required_headers"])
    assert response.status_code == 200, response.text
    assert len(sent) > 1 and sum(sent) == len(data)
    served = httpx.get(upload["media_url"])
    assert served.status_code == 200 and served.content == data


def test_storage_refuses_the_sume_authorization_header(api, sandbox, video):
    upload = presign(api, video)
    headers = {**upload["required_headers"], "Authorization": f"Bearer {sandbox.api_key}"}
    assert_storage_error(put(upload, video.read_bytes(), headers), 400)
    assert put(upload, video.read_bytes()).status_code == 200


def test_storage_403_on_a_bad_signature(api, video):
    upload = presign(api, video)
    url = upload["upload_url"]
    signature = url.rsplit("signature=", 1)[1]
    forged = url.replace(signature, ("0" if signature[0] != "0" else "1") + signature[1:])
    assert_storage_error(put(upload, video.read_bytes(), url=forged), 403)
    assert_storage_error(put(upload, video.read_bytes(), url=url.split("?")[0]), 403)
    later = url.replace("expires=", "expires=9")  # a longer life needs a new signature
    assert_storage_error(put(upload, video.read_bytes(), url=later), 403)
    assert put(upload, video.read_bytes()).status_code == 200


@pytest.mark.parametrize("header", ["Content-Type", "X-Sume-Upload-Token"])
def test_storage_403_on_a_missing_or_wrong_required_header(api, video, header):
    upload = presign(api, video)
    assert header in upload["required_headers"]
    missing = {k: v for k, v in upload["required_headers"].items() if k != header}
    if header == "Content-Type":
        missing["Content-Type"] = ""
    assert_storage_error(put(upload, video.read_bytes(), missing), 403)
    wrong = {**upload["required_headers"], header: "video/webm" if header == "Content-Type" else "f" * 32}
    assert_storage_error(put(upload, video.read_bytes(), wrong), 403)
    assert put(upload, video.read_bytes()).status_code == 200


def test_storage_403_on_an_expired_url(api, sandbox, video):
    previous = sandbox.configure()["upload_url_ttl"]
    sandbox.configure(upload_url_ttl=0)
    try:
        upload = presign(api, video)
    finally:
        sandbox.configure(upload_url_ttl=previous)
    assert_storage_error(put(upload, video.read_bytes()), 403)
    assert "expired" in httpx.put(upload["upload_url"], content=b"x", headers=upload["required_headers"]).text


def test_storage_413_when_the_body_is_larger_than_presigned(api, video):
    data = video.read_bytes()
    upload = presign(api, video, size_bytes=len(data) - 1)
    assert_storage_error(put(upload, data), 413)
    finalized = api.post("/assets", json={"object_key": upload["object_key"]})
    assert finalized.status_code == 409, "nothing was stored, so there is nothing to finalize"


# --- finalize --------------------------------------------------------------------------------------


def test_finalize_unknown_key_is_404(api):
    response = api.post("/assets", json={"object_key": "uploads/0000/none.mp4", "title": "x"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_finalize_validates_its_body(api):
    response = api.post("/assets", json={"title": 5})
    assert response.status_code == 400
    assert {f["field"] for f in response.json()["error"]["fields"]} == {"object_key", "title"}


def test_finalize_before_the_put_is_409(api, video):
    upload = presign(api, video)
    response = api.post("/assets", json={"object_key": upload["object_key"], "title": "too early"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_finalize_of_a_face_swap_upload_is_400(api, video):
    upload = uploaded(api, video, purpose="face_swap_source_video")
    response = api.post("/assets", json={"object_key": upload["object_key"]})
    assert response.status_code == 400
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["object_key"]


def test_finalize_of_a_file_that_is_not_a_video_is_400(api):
    data = b"this is a text file, not a video\n" * 200
    upload = presign(api, size_bytes=len(data))
    assert put(upload, data).status_code == 200
    response = api.post("/assets", json={"object_key": upload["object_key"]})
    assert response.status_code == 400
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["object_key"]


def test_finalized_upload_becomes_searchable_scenes_with_real_clips(api, video, tmp_path):
    upload = uploaded(api, video)
    response = api.post("/assets", json={"object_key": upload["object_key"], "title": "Lumen Serum review"})
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["object"] == "asset_upload" and body["status"] == "processing" and body["job_id"]
    again = api.post("/assets", json={"object_key": upload["object_key"]})
    assert again.status_code == 409, "one upload is finalized once"

    job = wait_for_status(api, body["job_id"])
    assert job["type"] == "asset_upload" and job["status"] == "completed"
    result = api.get(f"/jobs/{body['job_id']}/result").json()["result"]
    source_id = result["source_video_id"]

    scenes = [s for s in all_scenes(api, source_type="upload") if s["source_video"]["id"] == source_id]
    assert scenes, "the new video's scenes are in the library"
    scenes.sort(key=lambda s: s["start_seconds"])
    assert all(s["source_type"] == "upload" for s in scenes)
    assert scenes[0]["start_seconds"] == 0
    assert sum(s["duration_seconds"] for s in scenes) == pytest.approx(VIDEO_SECONDS, abs=0.1)
    assert scenes[0]["source_video"]["duration_seconds"] == pytest.approx(VIDEO_SECONDS, abs=0.1)
    assert scenes[0]["source_video"]["title"] == "Lumen Serum review"

    for scene in scenes:
        clip = httpx.get(scene["clip_url"], timeout=60)
        assert clip.status_code == 200 and clip.headers["content-type"] == "video/mp4"
        assert_mp4(clip.content, tmp_path, scene["duration_seconds"], size=(320, 180))
    thumb = httpx.get(scenes[0]["thumbnail_url"])
    assert thumb.status_code == 200
    with Image.open(io.BytesIO(thumb.content)) as image:
        assert image.format == "JPEG"
    source = httpx.get(scenes[0]["source_video"]["media_url"])
    assert source.status_code == 200 and source.content == video.read_bytes()

    found = api.get(f"/assets/{scenes[0]['id']}").json()
    assert found["id"] == scenes[0]["id"] and found["source_video"]["id"] == source_id
    searched = api.get("/assets", params={"q": "lumen serum review", "source_type": "upload", "limit": 100}).json()
    assert scenes[0]["id"] in {s["id"] for s in searched["data"]}


def test_another_workspace_cannot_finalize_or_see_the_upload(api, sandbox, video):
    upload = uploaded(api, video)
    with client_for(sandbox, "other") as other:
        stolen = other.post("/assets", json={"object_key": upload["object_key"]})
        assert stolen.status_code == 404
        body = api.post("/assets", json={"object_key": upload["object_key"], "title": "mine only"}).json()
        assert wait_for_status(api, body["job_id"])["status"] == "completed"
        source_id = body["source_video_id"]
        mine = [s for s in all_scenes(api, source_type="upload") if s["source_video"]["id"] == source_id]
        assert mine
        theirs = all_scenes(other, source_type="upload")
        assert source_id not in {s["source_video"]["id"] for s in theirs}
        assert not {s["id"] for s in mine} & {s["id"] for s in theirs}
        assert other.get(f"/assets/{mine[0]['id']}").status_code == 404
        assert other.get(f"/jobs/{body['job_id']}").status_code == 404


# --- face swap sources -----------------------------------------------------------------------------


def test_face_swap_accepts_a_face_swap_upload_and_makes_one_job_per_avatar(api, video, tmp_path):
    upload = uploaded(api, video, purpose="face_swap_source_video")
    before = api.get("/credits").json()["remaining_credits"]
    response = api.post("/face-swap", json={"source_video_url": upload["media_url"],
                                            "avatar_ids": ["avt_mia", "avt_leo"],
                                            "duration_seconds": 4, "aspect_ratio": "16:9"})
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["object"] == "face_swap"
    assert len(body["jobs"]) == 2
    assert body["job_id"] == body["jobs"][0]["id"]
    assert [job["avatar_id"] for job in body["jobs"]] == ["avt_mia", "avt_leo"]
    assert len({job["id"] for job in body["jobs"]}) == 2
    assert api.get("/credits").json()["remaining_credits"] == before - body["required_credits"]

    for entry in body["jobs"]:
        job = wait_for_status(api, entry["id"])
        assert job["status"] == "completed" and job["type"] == "face_swap"
        video_out = api.get(f"/jobs/{entry['id']}/result").json()["result"]["videos"][0]
        assert video_out["duration_seconds"] == 4
        assert video_out["width"] * 9 == video_out["height"] * 16
        data = httpx.get(video_out["url"], timeout=60).content
        assert_mp4(data, tmp_path, 4.0, size=(video_out["width"], video_out["height"]))


def test_face_swap_rejects_a_url_that_is_not_a_face_swap_upload(api, sandbox, video):
    library_upload = uploaded(api, video)
    swap_upload = uploaded(api, video, purpose="face_swap_source_video")
    not_put = presign(api, video, purpose="face_swap_source_video")
    tampered = swap_upload["media_url"].rsplit("token=", 1)[0] + "token=" + "0" * 32
    candidates = [library_upload["media_url"], tampered, not_put["media_url"],
                  "https://cdn.example.com/video.mp4", "not a url"]
    for url in candidates:
        response = api.post("/face-swap", json={"source_video_url": url, "avatar_ids": ["avt_mia"]})
        assert response.status_code == 400, url
        assert [f["field"] for f in response.json()["error"]["fields"]] == ["source_video_url"]
    with client_for(sandbox, "other") as other:
        response = other.post("/face-swap", json={"source_video_url": swap_upload["media_url"],
                                                  "avatar_ids": ["avt_mia"]})
        assert response.status_code == 400, "another workspace's upload is not a source here"


def test_face_swap_is_forbidden_to_the_restricted_key(api, sandbox, video):
    upload = uploaded(api, video, purpose="face_swap_source_video")
    with client_for(sandbox, "restricted") as restricted:
        response = restricted.post("/face-swap", json={"source_video_url": upload["media_url"],
                                                       "avatar_ids": ["avt_mia"]})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"

"""The media behind every URL the API hands out: real PNG/JPEG/MP4 bytes, signed, ranged, rendered lazily."""

from __future__ import annotations

import io
import pathlib
from urllib.parse import urlsplit

import av
import httpx
import pytest
from PIL import Image

from .conftest import wait_for_status

# The resolution names an image's longest edge and a video's shortest edge (the sandbox's documented sizes).
IMAGE_EDGES = {"512": 512, "1k": 1024, "2k": 2048}
VIDEO_EDGES = {"480p": 480, "720p": 720}


def ratio_of(aspect_ratio: str) -> float:
    width, height = aspect_ratio.split(":")
    return int(width) / int(height)


def completed_result(api: httpx.Client, path: str, body: dict) -> dict:
    response = api.post(path, json=body)
    assert response.status_code == 202, response.text
    job_id = response.json()["job_id"]
    job = wait_for_status(api, job_id)
    assert job["status"] == "completed", job
    result = api.get(f"/jobs/{job_id}/result")
    assert result.status_code == 200, result.text
    return result.json()


def fetch(url: str, **kwargs: object) -> httpx.Response:
    return httpx.get(url, timeout=60, **kwargs)


def open_mp4(data: bytes, tmp_path: pathlib.Path) -> av.container.InputContainer:
    path = tmp_path / f"video-{len(data)}.mp4"
    path.write_bytes(data)
    return av.open(str(path))


def path_only(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture(scope="module")
def video_result(sandbox) -> dict:
    """One completed 4 s 480p video with audio, shared by the range, token and thumbnail checks."""
    with httpx.Client(base_url=sandbox.url, headers={"Authorization": f"Bearer {sandbox.api_key}"}) as api:
        body = {"prompt": "Ranged sneaker spin", "duration": 4, "resolution": "480p", "aspect_ratio": "16:9",
                "generate_audio": True}
        return completed_result(api, "/videos/generations", body)["result"]["videos"][0]


@pytest.mark.parametrize("resolution", ["512", "1k", "2k"])
@pytest.mark.parametrize("aspect_ratio", ["1:1", "4:5", "9:16"])
def test_image_results_are_pngs_of_the_requested_size(api, aspect_ratio, resolution):
    body = {"prompt": f"Lumen serum bottle {aspect_ratio} {resolution}", "aspect_ratio": aspect_ratio,
            "resolution": resolution}
    image = completed_result(api, "/images/generations", body)["result"]["images"][0]
    assert image["content_type"] == "image/png"
    response = fetch(image["url"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as png:
        assert png.format == "PNG"
        assert png.size == (image["width"], image["height"])
    assert max(image["width"], image["height"]) == IMAGE_EDGES[resolution]
    assert image["width"] / image["height"] == pytest.approx(ratio_of(aspect_ratio), abs=0.01)


@pytest.mark.parametrize(
    ("resolution", "aspect_ratio", "duration", "audio"),
    [
        ("480p", "16:9", 4, False),
        ("720p", "9:16", 5, True),
        ("480p", "1:1", 6, True),
        ("720p", "4:5", 4, False),
    ],
)
def test_video_results_are_h264_mp4s_of_the_requested_shape(api, tmp_path, resolution, aspect_ratio,
                                                             duration, audio):
    body = {"prompt": f"Cold brew pour {resolution} {aspect_ratio}", "resolution": resolution,
            "aspect_ratio": aspect_ratio, "duration": duration, "generate_audio": audio}
    video = completed_result(api, "/videos/generations", body)["result"]["videos"][0]
    assert video["content_type"] == "video/mp4" and video["duration_seconds"] == duration
    response = fetch(video["url"])
    assert response.status_code == 200 and response.headers["content-type"] == "video/mp4"
    assert int(response.headers["content-length"]) == len(response.content)
    with open_mp4(response.content, tmp_path) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        width, height = stream.codec_context.width, stream.codec_context.height
        assert (width, height) == (video["width"], video["height"])
        assert min(width, height) == VIDEO_EDGES[resolution]
        assert width / height == pytest.approx(ratio_of(aspect_ratio), abs=0.01)
        assert container.duration / av.time_base == pytest.approx(duration, abs=0.2)
        assert len(container.streams.audio) == (1 if audio else 0)


def test_video_thumbnails_are_jpegs(video_result):
    response = fetch(video_result["thumbnail_url"])
    assert response.status_code == 200 and response.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(response.content)) as thumb:
        assert thumb.format == "JPEG"
        assert max(thumb.size) <= 512
        assert thumb.size[0] / thumb.size[1] == pytest.approx(16 / 9, abs=0.05)


def test_range_requests_answer_206_with_the_right_bytes(video_result):
    full = fetch(video_result["url"])
    size = len(full.content)
    assert full.headers.get("accept-ranges") == "bytes"
    for header, start, end in [("bytes=0-99", 0, 99), ("bytes=1000-4999", 1000, 4999),
                               (f"bytes={size - 10}-", size - 10, size - 1), ("bytes=-64", size - 64, size - 1)]:
        part = fetch(video_result["url"], headers={"Range": header})
        assert part.status_code == 206, header
        assert part.headers["content-range"] == f"bytes {start}-{end}/{size}"
        assert int(part.headers["content-length"]) == end - start + 1
        assert part.content == full.content[start:end + 1]
    beyond = fetch(video_result["url"], headers={"Range": f"bytes={size + 10}-{size + 20}"})
    assert beyond.status_code == 416


def test_media_urls_need_their_own_token(sandbox, video_result):
    url = video_result["url"]
    bare = url.split("?")[0]
    for candidate in (bare, bare + "?token=", bare + "?token=" + "0" * 32):
        response = fetch(candidate)
        assert response.status_code == 403, candidate
        assert response.json()["error"]["code"] == "forbidden"
    token = url.split("token=")[1]
    other_path = video_result["thumbnail_url"].split("?")[0]
    assert fetch(f"{other_path}?token={token}").status_code == 403, "a token signs one path only"


def test_media_of_a_job_that_is_not_completed_is_404(api, sandbox):
    sandbox.configure(time_scale=1.0)
    try:
        running = api.post("/videos/generations", json={"prompt": "slow", "duration": 4}).json()["job_id"]
    finally:
        sandbox.configure(time_scale=0.02)
    sandbox.add_job_fault("failed", type="image_generation")
    failed = api.post("/images/generations", json={"prompt": "doomed"}).json()["job_id"]
    assert wait_for_status(api, failed)["status"] == "failed"
    for job_id, extension in ((running, "mp4"), (running, "jpg"), (failed, "png"), ("job_missing", "png")):
        path = f"/media/jobs/{job_id}/0.{extension}"
        response = fetch(f"{sandbox.origin}{path}?token={sandbox.sandbox.sign(path)}")
        assert response.status_code == 404, path
    assert api.get(f"/jobs/{running}/result").status_code == 409
    canceled = httpx.post(f"{sandbox.origin}/_sandbox/jobs/{running}/cancel",
                          headers={"Authorization": f"Bearer {sandbox.admin_token}"})
    assert canceled.status_code == 200, "frees the active-generation slot"


def test_brand_reference_images_and_avatar_previews_serve(api, tmp_path):
    for brand in api.get("/brand").json()["data"]:
        for image in brand["images"]:
            response = fetch(image["reference_url"])
            assert response.status_code == 200 and response.headers["content-type"] == "image/png"
            with Image.open(io.BytesIO(response.content)) as png:
                assert png.format == "PNG" and png.size[0] > 0
    avatar = api.get("/avatars/avt_mia").json()
    preview = fetch(avatar["preview_image_url"])
    assert preview.status_code == 200
    with Image.open(io.BytesIO(preview.content)) as jpeg:
        assert jpeg.format == "JPEG"
    clip = fetch(avatar["preview_video_url"])
    assert clip.status_code == 200 and clip.headers["content-type"] == "video/mp4"
    with open_mp4(clip.content, tmp_path) as container:
        assert container.streams.video[0].codec_context.name == "h264"
        assert container.duration / av.time_base > 1


def test_a_seeded_scene_serves_its_clip_thumbnail_and_source(api, tmp_path):
    scenes = api.get("/assets", params={"source_type": "generated", "max_duration": 3, "limit": 100}).json()["data"]
    with_clip = [s for s in scenes if s["clip_url"]]
    assert with_clip
    scene = min(with_clip, key=lambda s: s["source_video"]["duration_seconds"])
    assert scene["media_url"] == scene["clip_url"]

    clip = fetch(scene["clip_url"])
    assert clip.status_code == 200 and clip.headers["content-type"] == "video/mp4"
    with open_mp4(clip.content, tmp_path) as container:
        assert container.streams.video[0].codec_context.name == "h264"
        assert container.duration / av.time_base == pytest.approx(scene["duration_seconds"], abs=0.2)
    thumb = fetch(scene["thumbnail_url"])
    assert thumb.status_code == 200
    with Image.open(io.BytesIO(thumb.content)) as jpeg:
        assert jpeg.format == "JPEG"
    source = fetch(scene["source_video"]["media_url"])
    assert source.status_code == 200
    assert scene["source_media_url"] == scene["source_video"]["media_url"]
    with open_mp4(source.content, tmp_path) as container:
        assert container.duration / av.time_base == pytest.approx(scene["source_video"]["duration_seconds"],
                                                                  abs=0.2)


def test_a_scene_without_a_clip_has_no_clip_url(api):
    scenes = api.get("/assets", params={"limit": 100}).json()["data"]
    clipless = [s for s in scenes if s["clip_url"] is None]
    assert clipless, "the seeded library has scenes without a clip (10%)"
    assert clipless[0]["media_url"] is None
    assert clipless[0]["source_media_url"] and clipless[0]["thumbnail_url"]


def test_media_is_rendered_on_first_fetch_only(api, sandbox):
    cache = pathlib.Path(sandbox.data_dir) / "media"
    before = set(cache.iterdir())
    image = completed_result(api, "/images/generations", {"prompt": "Lazy render check"})["result"]["images"][0]
    video = completed_result(api, "/videos/generations",
                             {"prompt": "Lazy render video", "duration": 4, "resolution": "480p"})["result"]
    assert set(cache.iterdir()) == before, "creating and completing jobs renders nothing"
    assert fetch(image["url"]).status_code == 200
    after_image = set(cache.iterdir())
    assert len(after_image - before) == 1
    assert fetch(image["url"]).status_code == 200
    assert set(cache.iterdir()) == after_image, "a second fetch is served from the cache"
    assert fetch(video["videos"][0]["url"]).status_code == 200
    assert len(set(cache.iterdir()) - after_image) == 1

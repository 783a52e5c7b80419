"""The sandbox's media must be real: decodable PNG/JPEG, H.264 MP4s with the promised shape."""

from __future__ import annotations

import pathlib
import threading
from concurrent.futures import ThreadPoolExecutor

import av
import pytest
from PIL import Image, ImageChops, ImageStat

from sume_notebook.sandbox._media import ImageSpec, MediaError, MediaRenderer, VideoSpec

PROMPT = "a red fox jumping over a lazy dog in a misty autumn forest"


@pytest.fixture
def renderer(tmp_path: pathlib.Path) -> MediaRenderer:
    return MediaRenderer(tmp_path / "cache")


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> MediaRenderer:
    """One renderer for the read-only video checks, so each small video is encoded once."""
    return MediaRenderer(tmp_path_factory.mktemp("media"))


def _difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute per-channel difference, 0..255."""
    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean) / 3


def _frame_at(path: pathlib.Path, seconds: float) -> Image.Image:
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            if frame.time >= seconds:
                return frame.to_image()
    raise AssertionError(f"no frame at {seconds}s")


def _assert_video(path: pathlib.Path, width: int, height: int, duration: float, audio: bool) -> None:
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        assert video.codec_context.name == "h264"
        assert video.codec_context.pix_fmt == "yuv420p"
        assert (video.codec_context.width, video.codec_context.height) == (width, height)
        assert container.duration / av.time_base == pytest.approx(duration, abs=0.15)
        assert len(container.streams.audio) == (1 if audio else 0)
        if audio:
            assert container.streams.audio[0].codec_context.name == "aac"


def test_image_png_is_exact_size_and_differs_by_text(renderer: MediaRenderer) -> None:
    fox = renderer.image_png(ImageSpec(PROMPT, 320, 180))
    cat = renderer.image_png(ImageSpec("a sleeping cat", 320, 180))
    with Image.open(fox) as a, Image.open(cat) as b:
        assert a.format == b.format == "PNG"
        assert a.size == b.size == (320, 180)
        assert _difference(a, b) > 10


def test_seed_changes_the_image(renderer: MediaRenderer) -> None:
    first = renderer.image_png(ImageSpec(PROMPT, 200, 200, seed="job-1"))
    second = renderer.image_png(ImageSpec(PROMPT, 200, 200, seed="job-2"))
    with Image.open(first) as a, Image.open(second) as b:
        assert _difference(a, b) > 5


@pytest.mark.parametrize(
    "text",
    ["", "x", " ".join(f"word{i}" for i in range(500)), "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3],
)
def test_any_text_renders(renderer: MediaRenderer, text: str) -> None:
    with Image.open(renderer.image_png(ImageSpec(text, 97, 61))) as image:
        assert image.size == (97, 61)


def test_image_png_is_cached(renderer: MediaRenderer) -> None:
    spec = ImageSpec(PROMPT, 160, 90)
    first = renderer.image_png(spec)
    mtime = first.stat().st_mtime_ns
    second = renderer.image_png(spec)
    assert second == first and second.stat().st_mtime_ns == mtime
    assert MediaRenderer(renderer.cache_dir).image_png(spec) == first
    assert [p.name for p in renderer.cache_dir.iterdir()] == [first.name]


@pytest.mark.parametrize(
    ("spec", "max_edge", "size"),
    [
        (ImageSpec(PROMPT, 1024, 512), 320, (320, 160)),
        (ImageSpec(PROMPT, 300, 900), 120, (40, 120)),
        (ImageSpec(PROMPT, 100, 50), 320, (100, 50)),
        (VideoSpec(PROMPT, 1280, 720, 4.0), 320, (320, 180)),
    ],
)
def test_thumbnail_jpeg(
    renderer: MediaRenderer, spec: ImageSpec | VideoSpec, max_edge: int, size: tuple[int, int]
) -> None:
    with Image.open(renderer.thumbnail_jpeg(spec, max_edge=max_edge)) as thumb:
        assert thumb.format == "JPEG"
        assert thumb.size == size


@pytest.mark.parametrize("audio", [False, True])
def test_video_mp4_shape_and_motion(shared: MediaRenderer, audio: bool) -> None:
    path = shared.video_mp4(VideoSpec(PROMPT, 320, 180, 3.0, audio=audio))
    _assert_video(path, 320, 180, 3.0, audio)
    assert _difference(_frame_at(path, 0.5), _frame_at(path, 2.0)) > 0.5
    data = path.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat"), "faststart puts the index first"


@pytest.mark.parametrize("audio", [False, True])
def test_probe_agrees_with_pyav(shared: MediaRenderer, audio: bool) -> None:
    path = shared.video_mp4(VideoSpec(PROMPT, 320, 180, 3.0, audio=audio))
    info = shared.probe(path)
    with av.open(str(path)) as container:
        assert info["duration_seconds"] == pytest.approx(container.duration / av.time_base, abs=0.05)
        assert info["has_audio"] is bool(container.streams.audio)
    assert (info["width"], info["height"], info["video_codec"]) == (320, 180, "h264")


def test_video_720p_with_audio(shared: MediaRenderer) -> None:
    path = shared.video_mp4(VideoSpec(PROMPT, 1280, 720, 4.0, audio=True))
    _assert_video(path, 1280, 720, 4.0, audio=True)


def test_video_rounds_odd_size_up_to_even(shared: MediaRenderer) -> None:
    path = shared.video_mp4(VideoSpec("odd", 161, 91, 1.0, fps=12))
    _assert_video(path, 162, 92, 1.0, audio=False)


def test_video_mp4_is_cached(renderer: MediaRenderer) -> None:
    spec = VideoSpec(PROMPT, 160, 90, 1.0)
    first = renderer.video_mp4(spec)
    mtime = first.stat().st_mtime_ns
    assert renderer.video_mp4(spec) == first and first.stat().st_mtime_ns == mtime
    assert renderer.video_mp4(VideoSpec(PROMPT, 160, 90, 1.0, audio=True)) != first


def test_probe_of_png_and_non_media(renderer: MediaRenderer, tmp_path: pathlib.Path) -> None:
    png = renderer.probe(renderer.image_png(ImageSpec(PROMPT, 64, 48)))
    assert (png["width"], png["height"], png["has_audio"]) == (64, 48, False)
    text = tmp_path / "notes.mp4"
    text.write_text("this is not a video\n" * 50)
    with pytest.raises(MediaError, match="not a readable media file"):
        renderer.probe(text)
    with pytest.raises(MediaError):
        renderer.probe(tmp_path / "missing.mp4")


@pytest.mark.parametrize("audio", [False, True])
def test_clip_mp4(shared: MediaRenderer, audio: bool) -> None:
    source = shared.video_mp4(VideoSpec(PROMPT, 320, 180, 3.0, audio=audio))
    clip = shared.clip_mp4(source, 0.5, 2.0, key=f"upload-{audio}")
    _assert_video(clip, 320, 180, 1.5, audio)
    assert shared.probe(clip)["duration_seconds"] == pytest.approx(1.5, abs=0.15)
    mtime = clip.stat().st_mtime_ns
    assert shared.clip_mp4(source, 0.5, 2.0, key=f"upload-{audio}") == clip
    assert clip.stat().st_mtime_ns == mtime


def test_clip_mp4_rejects_bad_ranges(shared: MediaRenderer, tmp_path: pathlib.Path) -> None:
    source = shared.video_mp4(VideoSpec(PROMPT, 320, 180, 3.0))
    with pytest.raises(MediaError):
        shared.clip_mp4(source, 2.0, 1.0, key="backwards")
    with pytest.raises(MediaError):
        shared.clip_mp4(source, 10.0, 12.0, key="past-the-end")
    with pytest.raises(MediaError):
        shared.clip_mp4(tmp_path / "missing.mp4", 0.0, 1.0, key="missing")


def test_frame_jpeg(shared: MediaRenderer) -> None:
    source = shared.video_mp4(VideoSpec(PROMPT, 320, 180, 3.0))
    early = shared.frame_jpeg(source, 0.5, key="early", max_edge=160)
    late = shared.frame_jpeg(source, 2.0, key="late", max_edge=160)
    with Image.open(early) as a, Image.open(late) as b:
        assert a.format == b.format == "JPEG"
        assert a.size == b.size == (160, 90)
        assert _difference(a, b) > 0.5
    mtime = early.stat().st_mtime_ns
    assert shared.frame_jpeg(source, 0.5, key="early", max_edge=160) == early
    assert early.stat().st_mtime_ns == mtime
    with pytest.raises(MediaError):
        shared.frame_jpeg(source, 30.0, key="past-the-end")


def test_concurrent_requests_render_once(renderer: MediaRenderer, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, ...]] = []
    real_ffmpeg = MediaRenderer._ffmpeg

    def counting_ffmpeg(self: MediaRenderer, *args: str) -> bytes:
        calls.append(args)
        return real_ffmpeg(self, *args)

    monkeypatch.setattr(MediaRenderer, "_ffmpeg", counting_ffmpeg)
    spec = VideoSpec(PROMPT, 160, 90, 1.0)
    start = threading.Barrier(8)

    def request() -> pathlib.Path:
        start.wait()
        return renderer.video_mp4(spec)

    with ThreadPoolExecutor(8) as pool:
        paths = list(pool.map(lambda _: request(), range(8)))
    assert len(set(paths)) == 1 and len(calls) == 1
    assert [p.name for p in renderer.cache_dir.iterdir()] == [paths[0].name]


def test_failed_render_leaves_no_file(renderer: MediaRenderer, monkeypatch: pytest.MonkeyPatch) -> None:
    def crashing_ffmpeg(self: MediaRenderer, *args: str) -> bytes:
        pathlib.Path(args[-1]).write_bytes(b"half an mp4")
        raise MediaError("boom")

    monkeypatch.setattr(MediaRenderer, "_ffmpeg", crashing_ffmpeg)
    with pytest.raises(MediaError, match="boom"):
        renderer.video_mp4(VideoSpec(PROMPT, 160, 90, 1.0))
    assert list(renderer.cache_dir.iterdir()) == []


def test_ffmpeg_failure_is_a_short_media_error(renderer: MediaRenderer, tmp_path: pathlib.Path) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00" * 1000)
    with pytest.raises(MediaError, match="ffmpeg failed") as caught:
        renderer.frame_jpeg(broken, 0.0, key="broken")
    assert len(str(caught.value)) < 600
    assert list(renderer.cache_dir.iterdir()) == []

"""`JobView` against the sandbox: live states, real previews, every way a job can end, the throttle, the snapshot."""

from __future__ import annotations

import base64
import io
import re
import threading
from pathlib import Path
from typing import Any

import ipywidgets
import pytest
from PIL import Image

from sume_notebook import PollSchedule, Sume
from sume_notebook.notebook.widgets._progress import ESTIMATE_CEILING, estimate
from sume_notebook.notebook.widgets.job_view import JobView
from sume_notebook.sandbox import SandboxHandle

from .conftest import Sent, decode_video

WAIT = 30


def _phases(view: JobView) -> list[str]:
    """The pill's successive values, recorded from the view's own change notifications."""
    seen = [view.phase]
    view.on_change(lambda v: seen.append(v.phase) if seen[-1] != v.phase else None)
    return seen


def _row(view: JobView) -> dict[str, Any]:
    """The view's status row as the browser last received it (on the view's live board)."""
    return view._board.cells[view._live.key]


def _preview(view: JobView) -> ipywidgets.Widget:
    (widget,) = view._media.children
    return widget


def test_image_goes_queued_running_completed_with_a_real_preview(sume: Sume, sb: SandboxHandle) -> None:
    sb.configure(time_scale=0.3)  # about 1.2 s: long enough to see every status
    view = JobView(sume.images.generate("a lighthouse at dusk", aspect_ratio="4:5"), label="lighthouse")
    phases = _phases(view)
    job = view.done.result(timeout=WAIT)
    assert job.status == "completed" and view.phase == "completed"
    assert phases[0] == "queued" and "running" in phases and phases[-1] == "completed"
    assert _row(view)["completed"] and _row(view)["style"] == "success" and _row(view)["phase"] == "completed"
    image = _preview(view)
    assert isinstance(image, ipywidgets.Image)
    decoded = Image.open(io.BytesIO(image.value))
    assert max(decoded.size) == 512 and decoded.size[0] < decoded.size[1]  # 4:5, downscaled from 1024
    low, high = decoded.convert("L").getextrema()
    assert high - low > 50  # a real picture, not a blank
    assert not view._download.disabled and view._actions in view.children


def test_video_preview_is_a_playable_mp4(sume: Sume) -> None:
    view = JobView(sume.videos.generate("waves on a beach", duration=4, aspect_ratio="9:16"))
    view.done.result(timeout=WAIT)
    video = _preview(view)
    assert isinstance(video, ipywidgets.Video) and video.format == "mp4" and not video.autoplay
    frames, duration = decode_video(video.value)
    assert frames > 10 and duration == pytest.approx(4.0, abs=0.5)
    assert (int(video.width), int(video.height)) == (288, 512)  # 720x1280 shown within 512 px


def test_a_video_over_the_cap_shows_its_thumbnail_and_says_so(sume: Sume) -> None:
    view = JobView(sume.videos.generate("city timelapse", duration=4), max_video_bytes=10_000)
    view.done.result(timeout=WAIT)
    assert isinstance(_preview(view), ipywidgets.Image)
    assert "preview cap" in view._note_html.value and "Download" in view._note_html.value


@pytest.mark.parametrize(
    ("outcome", "code", "advice"),
    [("failed", "provider_error", "generate again"), ("expired", "job_expired", "gave up"),
     ("canceled", "job_canceled", "canceled on the service")],
)
def test_a_job_that_ends_without_output_shows_the_error_box(
    sume: Sume, sb: SandboxHandle, outcome: str, code: str, advice: str
) -> None:
    sb.add_job_fault(outcome, type="image_generation")
    view = JobView(sume.images.generate("a storm"))
    job = view.done.result(timeout=WAIT)
    assert job.status == outcome and view.phase == outcome
    box = view._problem_html.value
    assert f"Job {outcome}" in box and code in box and advice in box
    assert view._problem_html in view.children and view._actions not in view.children
    assert not _row(view)["completed"] and _row(view)["style"] in ("danger", "warning")
    assert _row(view)["elapsed"] is not None  # the clock stopped where the job ended


def test_a_failure_names_its_code_message_and_request(sume: Sume, sb: SandboxHandle) -> None:
    sb.add_job_fault("failed", type="image_generation", code="content_policy", message="The prompt was refused.")
    view = JobView(sume.images.generate("something refused"))
    view.done.result(timeout=WAIT)
    box = view._problem_html.value
    assert "content_policy" in box and "The prompt was refused." in box and "req_" in box


def test_a_timeout_shorter_than_the_job_stops_watching_and_watch_resumes(sume: Sume, sb: SandboxHandle) -> None:
    sb.configure(time_scale=0.5)  # about 2 s
    view = JobView(sume.images.generate("a slow sunrise"), timeout=0.3)
    job = view.done.result(timeout=WAIT)
    assert not job.is_terminal and view.phase == "timed out"
    assert "stopped waiting after 0.3 s" in view._problem_html.value and ".watch()" in view._problem_html.value
    assert view.watch().result(timeout=WAIT).status == "completed"
    assert view.phase == "completed" and view._problem_html not in view.children
    assert isinstance(_preview(view), ipywidgets.Image)


def test_without_reported_progress_the_kernel_sends_what_the_browser_estimates_from(
    sume: Sume, sb: SandboxHandle, messages: list[Sent]
) -> None:
    """A start and a typical duration, sent once, never the estimate itself: the browser moves the bar (the browser
    test watches it move); the kernel's own estimate, for the static copy, stays below the ceiling until done."""
    sb.configure(time_scale=0.4)  # about 1.6 s
    sb.add_job_fault("no_progress", type="image_generation")
    view = JobView(sume.images.generate("fog over hills"))
    view.done.result(timeout=WAIT)
    rows = [m.state["cells"][view._live.key] for m in messages if m.widget is view._board and "cells" in m.state]
    running, final = [r for r in rows if not r["completed"]], rows[-1]
    assert running and all(r["reported"] is None and r["elapsed"] is None for r in running)
    assert len({(r["started"], r["typical"]) for r in rows}) == 1 and rows[0]["typical"] > 0
    assert len(rows) <= 5  # queued, running, completed, loading the preview, done: real changes only, no ticks
    assert final["completed"] and final["elapsed"] > 0 and final["activity"] == ""
    assert 0 < estimate(final["elapsed"], "image_generation") < ESTIMATE_CEILING


def test_updates_are_throttled_to_about_ten_messages_a_second(sb: SandboxHandle, messages: list[Sent]) -> None:
    sb.configure(time_scale=0.5)  # about 2 s, reporting progress on every poll
    eager = PollSchedule(first=0.005, factor=1.0, cap=0.005, jitter=0.0)
    with Sume(api_key=sb.api_key, base_url=sb.url, poll_schedule=eager) as sume:
        view = JobView(sume.images.generate("a busy market"))
        changes: list[float] = []
        view.on_change(lambda v: changes.append(v._fraction))
        view.done.result(timeout=WAIT)
    lifetime = messages[-1].at - messages[0].at
    per_widget: dict[int, list[float]] = {}
    for m in messages:
        per_widget.setdefault(id(m.widget), []).append(m.at)
    busiest = max(len(times) for times in per_widget.values())
    assert len(changes) > 30  # many more changes than messages: the throttle was exercised
    assert busiest <= 10 * lifetime + 3
    for times in per_widget.values():  # never a burst: at most 2 messages in any 100 ms (a final flush may follow)
        assert all(b - a > 0.09 for a, b in zip(times, times[2:]))


def test_a_live_view_carries_the_widget_and_a_thumbnail_snapshot(sume: Sume, sb: SandboxHandle) -> None:
    sb.configure(time_scale=0.3)
    view = JobView(sume.images.generate("a red bicycle"), label="red bicycle")
    bundle = view._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.model_id
    assert "red bicycle" in bundle["text/plain"] and "red bicycle" in bundle["text/html"]
    assert repr(view) == bundle["text/plain"] and not view.is_final


def test_a_final_view_is_static_html_with_its_preview_and_a_browser_download(sume: Sume, tmp_path: Path) -> None:
    """Once the job ended, the bundle holds no widget view: a reopened notebook shows it without a kernel."""
    view = JobView(sume.images.generate("a red bicycle"), label="red bicycle", download_dir=tmp_path / "out")
    view.done.result(timeout=WAIT)
    bundle = view._repr_mimebundle_()
    assert view.is_final and set(bundle) == {"text/plain", "text/html"}
    assert "completed" in bundle["text/plain"] and "red bicycle" in bundle["text/plain"]
    html = bundle["text/html"]
    assert "completed" in html and "red bicycle" in html and "job_" in html
    (preview,) = re.findall(r'<img src="data:image/jpeg;base64,([^"]+)"', html)
    assert max(Image.open(io.BytesIO(base64.b64decode(preview))).size) == 512  # the preview, not a thumbnail
    (name, full) = re.search(r'<a download="([^"]+)" href="data:image/png;base64,([^"]+)"', html).groups()
    assert name == f"a-red-bicycle-{view.job.id[:12]}-0.png"
    assert Image.open(io.BytesIO(base64.b64decode(full))).size == (1024, 1024)  # the full image
    assert not (tmp_path / "out").exists()  # an image that fits inline is not saved unasked
    assert repr(view) == bundle["text/plain"]


def test_a_final_video_plays_inline_under_the_cap_and_links_its_saved_file(
    sume: Sume, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the kernel's cwd is the notebook's folder: links are relative to it
    view = JobView(sume.videos.generate("waves", duration=4), download_dir="clips")
    view.done.result(timeout=WAIT)
    html = view._repr_mimebundle_()["text/html"]
    (clip,) = re.findall(r'<video [^>]*src="data:video/mp4;base64,([^"]+)"', html)
    assert decode_video(base64.b64decode(clip))[0] > 10
    (saved,) = (tmp_path / "clips").iterdir()
    assert saved.name == f"waves-{view.job.id[:12]}-0.mp4"
    assert f'<a download="{saved.name}" href="clips/{saved.name}"' in html

    small = JobView(view.job.id, client=sume, static_video_bytes=1000, download_dir="clips")
    small.done.result(timeout=WAIT)
    html = small._repr_mimebundle_()["text/html"]
    assert "<video" not in html and 'src="data:image/jpeg;base64,' in html  # the poster frame
    assert f'href="clips/video-generation-{view.job.id[:12]}-0.mp4"' in html  # attached by id: named by type


def test_download_saves_the_full_files_and_shows_the_path(sume: Sume, tmp_path: Path) -> None:
    view = JobView(sume.images.generate("a paper boat"), download_dir=tmp_path)
    view.done.result(timeout=WAIT)
    view._download.click()
    (path,) = view.saved.result(timeout=WAIT)
    assert path.parent == tmp_path and Image.open(path).size == (1024, 1024)
    view._throttle.flush()
    assert str(path) in view._saved_html.value


def test_async_jobs_and_job_ids_are_watched_too(sume: Sume) -> None:
    job = sume.images.generate("two owls")
    from_async = JobView(job.__wrapped__)
    assert from_async.done.result(timeout=WAIT) is job.__wrapped__
    by_id = JobView(job.id, client=sume)
    assert by_id.done.result(timeout=WAIT).status == "completed" and isinstance(_preview(by_id), ipywidgets.Image)


def test_the_wait_runs_on_the_library_loop_and_never_blocks_the_caller(sume: Sume, sb: SandboxHandle) -> None:
    sb.configure(time_scale=0.5)
    view = JobView(sume.images.generate("a quiet harbour"))
    assert not view.done.done()  # returned at once
    threads: list[str] = []
    view.on_change(lambda _: threads.append(threading.current_thread().name))
    view.done.result(timeout=WAIT)
    assert "sume-notebook-loop" in threads and threading.current_thread().name not in threads


def test_face_swap_jobs_show_one_view_per_avatar(sume: Sume, sample_video: Path) -> None:
    from sume_notebook.widgets import JobGrid

    avatars = [a.id for a in sume.avatars.list() if a.can("face_swap")][:2]
    upload = sume.uploads.upload_file(sample_video, "face_swap_source_video")
    jobs = sume.face_swap.create(upload, avatars, duration_seconds=2)
    grid = JobGrid(jobs)
    grid.done.result(timeout=WAIT)
    assert [v.phase for v in grid.views] == ["completed", "completed"]
    assert all(v._label and v._label.startswith("avatar=") for v in grid.views)
    assert all(isinstance(_preview(v), ipywidgets.Video) for v in grid.views)


def test_a_view_saves_into_the_folder_it_was_made_in(sume: Sume, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A job that ends after the kernel's directory changed (another notebook's test, a `%cd`) still saves its
    video next to the notebook that made the view."""
    made_in, later = tmp_path / "made-in", tmp_path / "later"
    made_in.mkdir()
    later.mkdir()
    monkeypatch.chdir(made_in)
    view = JobView(sume.videos.generate("a moving folder", duration=4))
    monkeypatch.chdir(later)
    view.done.result(timeout=WAIT)
    assert [p.suffix for p in (made_in / "sume-downloads").iterdir()] == [".mp4"]
    assert not (later / "sume-downloads").exists()

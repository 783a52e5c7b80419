"""Live job rows move in the browser while the kernel sends nothing: JupyterLab 4 and Notebook 7 in chromium.

A grid of four long image jobs that report no progress (elapsed time and an estimated bar only) runs in a real
kernel. Once every row reads `running`, the test reads the rows twice, seconds apart, while it counts the comm
messages arriving on the page's kernel websocket: the clocks and bars must have advanced with none arriving.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, WebSocket, expect, sync_playwright

from sume_notebook.demo import free_port, lab_command
from sume_notebook.sandbox import SandboxHandle, start_sandbox

from .chromium import SCREENSHOTS, accept_kernel_choice, launch, new_page, requires_chromium, run_all_cells
from .jupyter_server import jupyter_env, notebook7_command, serving, write_notebook

pytestmark = requires_chromium

TIME_SCALE = 8.0  # image jobs of about 32 s: running through the whole quiet window
JOBS = 4
WAIT_MS = 120_000
QUIET_SECONDS = 4.0
CELLS = [
    "from sume_notebook.widgets import JobGrid\nfrom sume_notebook import Sume\nsume = Sume()",
    f'JobGrid([sume.images.generate(f"Product shot {{i}} on a marble counter") for i in range({JOBS})],\n'
    f'        labels=[f"shot {{i}}" for i in range({JOBS})], columns=2)',
]
# Each live row: its status, its clock and percent as shown, and its bar's width (percent of the track).
ROWS = """() => [...document.querySelectorAll('.jp-Notebook .sume-live')].map(row => ({
  phase: row.dataset.phase || '',
  info: row.querySelector('.sume-live-info').textContent,
  width: parseFloat(row.querySelector('.sume-live-bar').style.width) || 0,
}))"""
INFO = re.compile(r"^(\d+):(\d\d) · (~?)(\d+)%$")


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxHandle]:
    with start_sandbox(data_dir=tmp_path / "sandbox", time_scale=TIME_SCALE) as handle:
        handle.add_job_fault("no_progress", count=JOBS, type="image_generation")
        yield handle


FRONTENDS = {
    "lab": (lab_command, "lab/tree/live.ipynb", "live-jobs-lab.png"),
    "nb7": (notebook7_command, "notebooks/live.ipynb", "live-jobs-nb7.png"),
}


def parsed(row: dict[str, Any]) -> tuple[int, bool, int]:
    """(elapsed seconds, estimated, percent) from a row's `m:ss · ~p%`."""
    match = INFO.match(row["info"])
    assert match, f"unexpected row text {row['info']!r}"
    minutes, seconds, tilde, percent = match.groups()
    return int(minutes) * 60 + int(seconds), tilde == "~", int(percent)


def comm_messages(frames: list[tuple[float, bytes]], since: float, until: float) -> int:
    return sum(1 for at, payload in frames if since <= at <= until and b"comm_msg" in payload)


def watch_frames(page: Page, frames: list[tuple[float, bytes]]) -> None:
    """Record every websocket frame the page receives (the kernel's channels), with when it arrived."""

    def on_socket(socket: WebSocket) -> None:
        socket.on("framereceived", lambda payload: frames.append(
            (time.monotonic(), payload if isinstance(payload, bytes) else payload.encode())))

    page.on("websocket", on_socket)


@pytest.mark.parametrize("frontend", list(FRONTENDS))
def test_running_jobs_advance_in_the_browser_while_the_kernel_sends_nothing(
    frontend: str, tmp_path: Path, sandbox: SandboxHandle, capsys: pytest.CaptureFixture[str]
) -> None:
    command, path, screenshot = FRONTENDS[frontend]
    root = tmp_path / "root"
    root.mkdir()
    write_notebook(root / "live.ipynb", CELLS)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    frames: list[tuple[float, bytes]] = []
    port = free_port()
    with serving(command(root, port), jupyter_env(tmp_path, sandbox), port, tmp_path / "jupyter.log") as origin, \
            sync_playwright() as playwright:
        browser = launch(playwright)
        page = new_page(browser, 1280, 800, wait_ms=WAIT_MS)
        try:
            watch_frames(page, frames)
            page.goto(f"{origin}/{path}")
            expect(page.locator(".jp-Notebook .jp-Cell")).to_have_count(len(CELLS))
            accept_kernel_choice(page)
            run_all_cells(page)
            page.wait_for_function(f"() => ({ROWS})().filter(r => r.phase === 'running').length === {JOBS}")
            time.sleep(1.5)  # one more poll of each job: the change to running is behind us

            started = time.monotonic()
            before = page.evaluate(ROWS)
            time.sleep(QUIET_SECONDS)
            after = page.evaluate(ROWS)
            ended = time.monotonic()
            page.screenshot(path=str(SCREENSHOTS / screenshot))
        except Exception:
            page.screenshot(path=str(SCREENSHOTS / screenshot.replace(".png", "-failure.png")))
            raise
        finally:
            browser.close()

    assert comm_messages(frames, 0.0, started) > 0  # the counter sees widget messages when there are some
    assert comm_messages(frames, started, ended) == 0, "the kernel sent comm messages while the jobs were quiet"
    assert len(before) == len(after) == JOBS and all(row["phase"] == "running" for row in after)
    for first, last in zip(before, after, strict=True):
        (clock0, estimated0, percent0), (clock1, estimated1, percent1) = parsed(first), parsed(last)
        assert estimated0 and estimated1  # no reported progress: the browser's estimate, marked ~
        assert clock1 - clock0 >= QUIET_SECONDS - 1, (first, last)
        assert last["width"] > first["width"] and percent1 >= percent0 and percent1 < 95, (first, last)
    with capsys.disabled():
        print(f"\n{frontend}: rows {[r['info'] for r in before]} -> {[r['info'] for r in after]}, no comm message "
              f"in {ended - started:.1f} s; screenshot {SCREENSHOTS / screenshot}")

"""JupyterLab in Debian's chromium: live job widgets render, advance and preview, also while another cell runs.

The test starts a sandbox and a token-less JupyterLab on loopback (a throwaway root, config and runtime
directory), opens a small notebook, runs all its cells from the Run menu and watches the DOM. A sampler inside
the page records every progress bar's width ten times a second together with whether the kernel is inside the
`time.sleep(5)` cell, so the assertions read a history instead of racing the page.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from sume_notebook.sandbox import SandboxHandle, start_sandbox

from .chromium import SCREENSHOTS, launch, new_page, requires_chromium, run_all_cells
from .jupyter_server import lab_with_notebook

# Image ~2 s, video ~6 s: the video is still running through the whole `time.sleep(5)` cell that follows it.
TIME_SCALE = 0.5

pytestmark = requires_chromium

CELLS = [
    "%load_ext sume_notebook",
    '%sume_generate image --prompt "Clean skincare product photo on a white bathroom counter" --aspect-ratio 1:1',
    '%sume_generate video --prompt "Slow pan across a sunlit kitchen counter" --aspect-ratio 16:9 --duration 4',
    'import time\nprint("sleeping", flush=True)\ntime.sleep(5)\nprint("slept")',
]
IMAGE_CELL, VIDEO_CELL, SLEEP_CELL = 1, 2, 3

# Every 100 ms: each cell's progress bar width (percent), and whether the kernel is inside `time.sleep(5)` (the
# sleep cell printed "sleeping" but not yet "slept"; its [*] prompt would not do: Run All marks queued cells too).
SAMPLER = """(sleepCell) => {
  window.__samples = [];
  setInterval(() => {
    const cells = document.querySelectorAll('.jp-Notebook .jp-Cell');
    const output = cells[sleepCell] ? cells[sleepCell].querySelector('.jp-OutputArea') : null;
    const printed = output ? output.textContent : '';
    const sleeping = printed.includes('sleeping') && !printed.includes('slept');
    cells.forEach((cell, index) => {
      const bar = cell.querySelector('.sume-live-bar');
      if (bar && bar.style.width) {
        window.__samples.push({cell: index, width: parseFloat(bar.style.width), sleeping, at: performance.now()});
      }
    });
  }, 100);
}"""


@pytest.fixture
def started() -> float:
    """When the test began, JupyterLab's start included (requested first, so it is made first)."""
    return time.monotonic()


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxHandle]:
    with start_sandbox(data_dir=tmp_path / "sandbox", time_scale=TIME_SCALE) as handle:
        yield handle


@pytest.fixture
def lab(tmp_path: Path, sandbox: SandboxHandle) -> Iterator[str]:
    """A token-less JupyterLab on loopback serving a root with the test notebook; yields the notebook's URL."""
    with lab_with_notebook(tmp_path, sandbox, "widgets.ipynb", CELLS) as url:
        yield url


def rising(widths: list[float]) -> bool:
    """At least two different readings and never going back."""
    return len(set(widths)) >= 2 and all(a <= b for a, b in itertools.pairwise(widths))


def test_widgets_progress_and_preview_in_jupyterlab(started: float, lab: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = new_page(browser)
        try:
            page.goto(lab)
            expect(page.locator(".jp-Notebook .jp-Cell")).to_have_count(len(CELLS))
            expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(1)
            page.evaluate(SAMPLER, SLEEP_CELL)

            run_all_cells(page)

            cells = page.locator(".jp-Notebook .jp-Cell")
            expect(cells.nth(IMAGE_CELL).locator(".sume-live")).to_be_visible()
            page.wait_for_function(  # the video half done while the sleep cell runs: the moment worth a picture
                "(cell) => window.__samples.some(s => s.cell === cell && s.sleeping && s.width > 0 && s.width < 100)",
                arg=VIDEO_CELL)
            page.screenshot(path=str(SCREENSHOTS / "jupyterlab-progress.png"))

            image = cells.nth(IMAGE_CELL).locator(".widget-image, img").first
            expect(image).to_be_visible()
            page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())

            video = cells.nth(VIDEO_CELL).locator("video").first
            expect(video).to_be_attached()
            # HAVE_METADATA: chromium parsed the MP4 it was sent, so it knows the clip's size and duration.
            page.wait_for_function("(v) => v.readyState >= 1 && v.duration > 0", arg=video.element_handle())
            assert video.evaluate("(v) => v.canPlayType('video/mp4')") in ("maybe", "probably")
            expect(cells.nth(SLEEP_CELL).locator(".jp-OutputArea-output", has_text="slept")).to_be_visible()
            video.scroll_into_view_if_needed()
            page.screenshot(path=str(SCREENSHOTS / "jupyterlab-preview.png"))
            samples: list[dict[str, Any]] = page.evaluate("window.__samples")
        except Exception:
            page.screenshot(path=str(SCREENSHOTS / "jupyterlab-failure.png"))  # what the page showed instead
            raise
        finally:
            browser.close()

    image_widths = [s["width"] for s in samples if s["cell"] == IMAGE_CELL]
    assert rising(image_widths), f"the image's progress bar did not advance: {sorted(set(image_widths))}"
    during_sleep = [s["width"] for s in samples if s["cell"] == VIDEO_CELL and s["sleeping"]]
    assert rising(during_sleep), f"the video's bar stood still during time.sleep(5): {sorted(set(during_sleep))}"
    with capsys.disabled():
        print(f"\nbrowser test wall time: {time.monotonic() - started:.1f} s (video bar during time.sleep(5): "
              f"{during_sleep[0]:.0f}% -> {during_sleep[-1]:.0f}%); screenshots in {SCREENSHOTS}")

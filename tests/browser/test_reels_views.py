"""The reels' timeline and library match view in JupyterLab, in Debian's chromium.

Five reels analysed in a notebook: the static timeline (an SVG in text/html), the live `TimelineView` whose click
on a scene plays it when its reel's media is reachable (here: a sandbox clip given as that reel's media) and shows
its text otherwise (the TikTok and Instagram URLs cannot be reached from the sandbox), and `match_view()` with the
library candidates' thumbnails inline.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from sume_notebook.sandbox import SandboxHandle, start_sandbox

from .chromium import SCREENSHOTS, launch, new_page, requires_chromium, run_all_cells
from .jupyter_server import lab_with_notebook

pytestmark = requires_chromium

URLS = " ".join([
    "https://www.tiktok.com/@weeknightkitchen/video/7351234567890123456",
    "https://www.instagram.com/reel/C4xYzAbCdEf/",
    "https://www.tiktok.com/@calmpaws/video/7359876543210987654",
    "https://www.instagram.com/reel/C5QrStUvWxY/",
    "https://vm.tiktok.com/ZMabc1234/",
])
CELLS = [
    "%load_ext sume_notebook\nfrom sume_notebook import Sume\nfrom sume_notebook.widgets import TimelineView\n"
    "sume = Sume()",
    f"%sume analysis {URLS} -o reels\nreels.timeline()",
    # the first reel's "media": a clip the sandbox serves, so that reel plays; the others are out of reach
    "clip = next(iter(sume.assets.search('serum', limit=1))).preview_url\n"
    "TimelineView(reels, media={reels.name_of(reels[0]): clip})",
    "matches = reels.match_library(sume, per_scene=3)\nreels.match_view()",
]
STATIC, LIVE, MATCH = 1, 2, 3


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[tuple[str, SandboxHandle]]:
    with start_sandbox(data_dir=tmp_path / "sandbox", time_scale=0.02) as sandbox, \
            lab_with_notebook(tmp_path, sandbox, "reels.ipynb", CELLS) as url:
        yield url, sandbox


def test_timeline_and_match_view_in_jupyterlab(lab: tuple[str, SandboxHandle]) -> None:
    url, _ = lab
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = new_page(browser)
        try:
            page.goto(url)
            cells = page.locator(".jp-Notebook .jp-Cell")
            expect(cells).to_have_count(len(CELLS))
            expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(1)
            run_all_cells(page)

            static = cells.nth(STATIC).locator(".sume-timeline svg")
            expect(static).to_be_visible()
            expect(static.locator("rect.scene").first).to_be_visible()
            assert static.locator("g.lane").count() == 5 and static.locator("g.legend").count() == 1

            live = cells.nth(LIVE).locator(".sume-timeline-chart svg")
            expect(live).to_be_visible()
            detail = cells.nth(LIVE).locator(".sume-timeline-detail")
            # A reel out of reach: the click shows the scene's text.
            live.locator("rect.scene[data-reel='1'][data-scene='2']").click()
            expect(detail).to_contain_text("instagram-C4xYzAbCdEf · scene 2")
            expect(detail.locator("video")).to_have_count(0)
            # The reel whose media plays: the clip, cued to the scene.
            live.locator("rect.scene[data-reel='0'][data-scene='1']").click()
            expect(detail).to_contain_text("tiktok-7351234567890123456 · scene 1")
            video = detail.locator("video")
            expect(video).to_have_count(1)
            page.wait_for_function("(v) => v.readyState >= 1 && v.duration > 0", arg=video.element_handle())
            cells.nth(LIVE).scroll_into_view_if_needed()
            cells.nth(LIVE).screenshot(path=str(SCREENSHOTS / "timeline.png"))

            view = cells.nth(MATCH).locator(".sume-match-view")
            expect(view).to_be_visible()
            thumbnails = view.locator("img")
            expect(thumbnails.first).to_be_visible()
            page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                                   arg=thumbnails.first.element_handle())
            rows = view.locator("tbody tr")
            assert rows.count() >= 25  # five reels of 5 to 25 scenes
            assert rows.first.locator("img").count() == 3
            view.evaluate("(element) => element.scrollIntoView({block: 'start'})")
            page.screenshot(path=str(SCREENSHOTS / "match-view.png"))
        except Exception:
            page.screenshot(path=str(SCREENSHOTS / "reels-failure.png"))
            raise
        finally:
            browser.close()

"""The AssetBrowser in JupyterLab with 200,000 scenes behind it: pages forward and back, plays a scene in a player
that leaves the tiles on screen, and keeps a chosen segment labelled.

The sandbox is seeded with a library the size of a large team's; the browser pages through it with the service's
cursors, one request per page, so a page turn takes about as long as with a small library.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect, sync_playwright

from sume_notebook.sandbox import SandboxHandle, start_sandbox

from .chromium import SCREENSHOTS, launch, new_page, requires_chromium, run_all_cells
from .jupyter_server import lab_with_notebook

pytestmark = requires_chromium

LIBRARY_SCENES = 200_000
PAGE = 12
PLAYER_MAX_HEIGHT = 360
CELLS = [
    "from sume_notebook import Sume\nfrom sume_notebook.widgets import AssetBrowser",
    f"browser = AssetBrowser(Sume(), '', max_results={PAGE})\nbrowser",
]


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxHandle]:
    with start_sandbox(data_dir=tmp_path / "sandbox", seed_scenes=LIBRARY_SCENES) as handle:
        yield handle


@pytest.fixture
def lab(tmp_path: Path, sandbox: SandboxHandle) -> Iterator[str]:
    with lab_with_notebook(tmp_path, sandbox, "browse.ipynb", CELLS) as url:
        yield url


def tile_captions(output: Locator) -> list[str]:
    return output.locator(".widget-gridbox .widget-button").all_inner_texts()


def wait_for_thumbnails(page: Page, output: Locator) -> None:
    images = output.locator(".widget-gridbox img")
    expect(images).to_have_count(PAGE)
    page.wait_for_function("(box) => [...box.querySelectorAll('.widget-gridbox img')].every("
                           "img => img.complete && img.naturalWidth > 0)", arg=output.element_handle())


def turn(page: Page, output: Locator, button: str, position: str) -> float:
    """Click Previous or Next, wait for the position line; seconds until the new page's tiles showed."""
    started = time.monotonic()
    output.locator(".widget-button", has_text=button).click()
    expect(output.get_by_text(position).first).to_be_visible()
    wait_for_thumbnails(page, output)
    return time.monotonic() - started


def test_asset_browser_pages_through_200000_scenes(lab: str, capsys: pytest.CaptureFixture[str]) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = new_page(browser)
        try:
            page.goto(lab)
            expect(page.locator(".jp-Notebook .jp-Cell")).to_have_count(len(CELLS))
            expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(1)
            run_all_cells(page)

            output = page.locator(".jp-Notebook .jp-Cell").nth(1).locator(".jp-OutputArea")
            expect(output.get_by_text(f"scenes 1–{PAGE}, more on the next page").first).to_be_visible()
            wait_for_thumbnails(page, output)
            first = tile_captions(output)
            expect(output.locator(".widget-button", has_text="Previous")).to_be_disabled()

            forward = [turn(page, output, "Next", f"scenes {n * PAGE + 1}–{(n + 1) * PAGE}") for n in (1, 2)]
            third = tile_captions(output)
            assert len(third) == PAGE and third != first
            back = turn(page, output, "Previous", f"scenes {PAGE + 1}–{2 * PAGE}")
            back += turn(page, output, "Previous", f"scenes 1–{PAGE},")
            assert tile_captions(output) == first

            segment = output.locator(".widget-dropdown", has_text="segment")
            segment.locator("select").select_option(label="hook")
            output.locator(".widget-button", has_text="Search").click()
            page.wait_for_function(  # the new search's tiles replaced the old ones
                "(box) => { const b = [...box.querySelectorAll('.widget-gridbox .widget-button')];"
                " return b.length > 0 && b.every(x => x.textContent.startsWith('▶ hook')); }",
                arg=output.element_handle())
            expect(output.get_by_text(f"scenes 1–{PAGE}, more on the next page").first).to_be_visible()
            wait_for_thumbnails(page, output)
            expect(segment.locator("label")).to_have_text("segment")
            expect(segment.locator("select")).to_have_value("hook")

            output.locator(".widget-gridbox .widget-button").first.click()
            video = output.locator("video").first
            expect(video).to_be_attached()
            page.wait_for_function("(v) => v.readyState >= 1 && v.videoHeight > 0", arg=video.element_handle())
            box = video.bounding_box()
            natural = video.evaluate("(v) => [v.videoWidth, v.videoHeight]")
            assert box is not None and box["height"] <= PLAYER_MAX_HEIGHT + 1
            assert abs(box["width"] / box["height"] - natural[0] / natural[1]) < 0.05  # its aspect kept
            output.scroll_into_view_if_needed()
            video.scroll_into_view_if_needed()
            tile = output.locator(".widget-gridbox img").first.bounding_box()
            assert tile is not None and tile["y"] + tile["height"] <= 1000  # the first tiles stay on screen
            page.screenshot(path=str(SCREENSHOTS / "asset-browser.png"))
        except Exception:
            page.screenshot(path=str(SCREENSHOTS / "asset-browser-failure.png"))
            raise
        finally:
            browser.close()
    with capsys.disabled():
        print(f"\nAssetBrowser over {LIBRARY_SCENES:,} scenes: next page (tiles shown) "
              f"{', '.join(f'{s:.2f} s' for s in forward)}; two pages back {back:.2f} s; screenshots in {SCREENSHOTS}")

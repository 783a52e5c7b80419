"""The exported report in a real Chromium with every network request refused: it shows all its stills (decoded),
the prompts and the ratings, from the file alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from sume_notebook import Sume, export_report, history
from sume_notebook.sandbox import SandboxHandle, start_sandbox
from tests.support import QUICK_POLLS

from .chromium import SCREENSHOTS, launch, offline_page, requires_chromium

pytestmark = requires_chromium

COLOURS = ("red", "blue", "golden", "white")
PLACES = ("snow", "forest", "city")
RATIOS = ("1:1", "9:16")


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxHandle]:
    with start_sandbox(port=0, data_dir=tmp_path / "sandbox", time_scale=0.02, seed=0) as handle:
        handle.configure(max_active_generations=8)
        yield handle


def test_the_report_shows_every_still_offline(sandbox: SandboxHandle, tmp_path: Path) -> None:
    with Sume(api_key=sandbox.api_key, base_url=sandbox.url, poll_schedule=QUICK_POLLS) as sume:
        jobs = sume.submit_many([{"prompt": f"a {colour} fox in the {place}", "aspect_ratio": ratio}
                                 for colour in COLOURS for place in PLACES for ratio in RATIOS])
        for job in jobs:
            job.wait()
        jobs[0].rate(5)
        jobs[0].star()
        jobs[0].tag("hero")
        jobs[0].note("the warmest light of the set")
        jobs[3].rate(3)
        jobs[3].tag("backup")
        report = export_report(history(), tmp_path / "report.html", title="Fox, round 1", client=sume)

    refused: list[str] = []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = offline_page(browser, refused)
            page.goto(report.as_uri())
            page.wait_for_load_state("load")
            widths = page.evaluate("[...document.images].map(i => i.complete ? i.naturalWidth : 0)")
            assert len(widths) == 24 and all(width > 0 for width in widths), widths
            text = page.inner_text("body")
            assert "a golden fox in the forest" in text and "the warmest light of the set" in text
            assert page.locator(".stars").count() == 2 and page.locator("article.starred").count() == 1
            page.screenshot(path=str(SCREENSHOTS / "report.png"))

            page.click("label[for=show-starred]")  # the CSS-only filter: only the shortlist stays visible
            assert page.locator("article:visible").count() == 1
            page.click("label[for=show-t1]")  # the second tag, #backup
            assert page.locator("article:visible").count() == 1
            page.click("label[for=show-all]")
            assert page.locator("article:visible").count() == 24
        finally:
            browser.close()
    assert refused == []  # the page never even tried the network

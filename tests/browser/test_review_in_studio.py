"""Review in a real browser: the PromptStudio in JupyterLab makes three variants, rates one, shortlists one,
compares all three (the differing words marked) and exports a report, which Chromium then opens from disk with
every network request refused. Notebook 7 shows the studio's option dropdowns on a choice, not blank.

Screenshots of the comparison and of the report go to `build/screenshots/` (and to `SUME_SHOTS_DIR` when set).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from sume_notebook.demo import free_port, lab_command
from sume_notebook.sandbox import SandboxHandle, start_sandbox

from .chromium import SCREENSHOTS, kernel_ready, launch, new_page, offline_page, requires_chromium, run_all_cells
from .jupyter_server import jupyter_env, notebook7_command, serving, write_notebook

TIME_SCALE = 0.2
PROMPTS = ("a red fox in deep snow at dawn", "a red fox in deep snow at dusk", "a grey wolf in deep snow at dawn")
NOTEBOOK = "studio.ipynb"
# The live grid's four "0:02 · ~40%" lines, measured in one go (a cell may turn static a moment later).
LIVE_PERCENT_HEIGHTS = """(output) => {
  const spans = [...output.querySelectorAll('.widget-gridbox .sume-live-info')]
    .filter(s => /\\d:\\d\\d · ~?\\d+%/.test(s.textContent));
  return spans.length === 4 ? spans.map(s => s.getBoundingClientRect().height) : false;
}"""

pytestmark = requires_chromium


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxHandle]:
    with start_sandbox(data_dir=tmp_path / "sandbox", time_scale=TIME_SCALE) as handle:
        yield handle


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    root.mkdir()
    write_notebook(root / NOTEBOOK, ["%load_ext sume_notebook", "%sume studio"])
    return root


def shot(page: Page, locator_or_page: object, name: str) -> Path:
    """A screenshot in build/screenshots, copied to SUME_SHOTS_DIR when set (the review notes)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    locator_or_page.screenshot(path=str(path))  # type: ignore[attr-defined]
    shots = os.environ.get("SUME_SHOTS_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        (Path(shots) / name).write_bytes(path.read_bytes())
    return path


def generate(page: Page, prompt: str, made: int) -> None:
    """Type the prompt, press Generate, and wait for the preview and for the history to list it as completed."""
    page.locator(".jp-Notebook .widget-textarea textarea").first.fill(prompt)
    page.locator(".jp-Notebook button", has_text="Generate").first.click()
    history = page.locator(".sume-history .widget-button")
    expect(history).to_have_count(made)
    expect(history.first).to_have_text(re.compile(re.escape(prompt)))
    expect(page.locator(".sume-history .widget-button.mod-success")).to_have_count(made)
    image = page.locator(".sume-studio-result img.widget-image").first
    expect(image).to_be_visible()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())


def test_three_variants_rated_compared_and_exported(tmp_path: Path, root: Path, sandbox: SandboxHandle) -> None:
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = new_page(browser, 1400, 1100)
        try:
            port = free_port()
            with serving(lab_command(root, port), jupyter_env(tmp_path, sandbox), port, tmp_path / "lab.log") as origin:
                page.goto(f"{origin}/lab/tree/{NOTEBOOK}")
                kernel_ready(page)
                run_all_cells(page)
                for made, prompt in enumerate(PROMPTS, 1):
                    generate(page, prompt, made)

                # Rate the wolf (the last generation, still shown) four stars.
                page.locator(".sume-studio-result .sume-star").nth(3).click()
                expect(page.locator(".sume-studio-result .sume-star", has_text="★")).to_have_count(4)
                # Restore the dawn fox from the history (prompt and result), and shortlist it.
                page.locator(".sume-history .widget-button", has_text=PROMPTS[0]).click()
                expect(page.locator(".jp-Notebook .widget-textarea textarea").first).to_have_value(PROMPTS[0])
                expect(page.locator(".sume-studio-result .widget-html", has_text="a red fox in deep snow at dawn")
                       .first).to_be_visible()
                page.locator(".sume-studio-result button", has_text="Shortlist").click()
                expect(page.locator(".sume-studio-result button.mod-active", has_text="Shortlist")).to_have_count(1)

                # Compare all three.
                ticks = page.locator(".sume-history input[type=checkbox]")
                expect(ticks).to_have_count(3)
                for index in range(3):
                    ticks.nth(index).check()
                page.locator(".jp-Notebook button", has_text="Compare ticked").click()
                comparison = page.locator(".sume-compare-view")
                expect(comparison).to_have_count(1)
                pictures = comparison.locator("img.widget-image")
                expect(pictures).to_have_count(3)
                for index in range(3):
                    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                                           arg=pictures.nth(index).element_handle())
                marked = sorted(comparison.locator("mark").all_inner_texts())
                assert {"dusk", "grey wolf", "red fox"} <= set(marked), marked
                expect(comparison.locator(".sume-star", has_text="★")).to_have_count(4)  # the wolf's rating
                expect(comparison.locator("button.mod-active", has_text="Shortlist")).to_have_count(1)
                comparison.scroll_into_view_if_needed()
                shot(page, comparison, "compare.png")

                # Export the three as one report next to the notebook.
                page.locator(".jp-Notebook button", has_text="Export ticked").click()
                link = page.locator(".jp-Notebook a[href*='sume-report']", has_text="report")
                expect(link).to_have_count(1)
                reports = list(root.glob("sume-report*.html"))
                assert len(reports) == 1, reports
                report = reports[0]
        except Exception:
            page.screenshot(path=str(SCREENSHOTS / "review-studio-failure.png"), full_page=True)
            raise

        # The report alone: no server, no network (every request but the file itself is refused).
        refused: list[str] = []
        page = offline_page(browser, refused, 1200, 1000)
        page.goto(report.as_uri())
        images = page.locator("img")
        expect(images).to_have_count(3)
        for index in range(3):
            page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                                   arg=images.nth(index).element_handle())
        text = page.locator("body").inner_text()
        for prompt in PROMPTS:
            assert prompt in text, prompt
        expect(page.locator('.stars[title="4 of 5"]')).to_have_count(1)  # the wolf's rating
        expect(page.locator(".card", has_text=PROMPTS[0]).locator(".shortlist")).to_contain_text("starred")
        assert refused == [], refused
        shot(page, page, "report-from-studio.png")
        browser.close()


def test_the_studio_dropdowns_show_a_choice_in_notebook_7(tmp_path: Path, root: Path, sandbox: SandboxHandle) -> None:
    """On first display and after a history entry with default options is restored (where a `None` value had
    made each dropdown blank: selectedIndex -1)."""
    write_notebook(root / NOTEBOOK, [
        "%load_ext sume_notebook",
        '%sume images generate --prompt "a paper boat on a pond" --aspect-ratio 4:5 --wait -o boat',
        '%sume images generate --prompt "a kite over the dunes" --wait -o kite',
        "%sume studio",
    ])
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = new_page(browser)
        try:
            port = free_port()
            env = jupyter_env(tmp_path, sandbox)
            with serving(notebook7_command(root, port), env, port, tmp_path / "nb7.log") as origin:
                page.goto(f"{origin}/notebooks/{NOTEBOOK}")
                expect(page.locator(".jp-Notebook .jp-Cell")).to_have_count(4)
                run_all_cells(page)  # asks again until the kernel (Notebook 7 shows no status bar) runs it
                dropdowns = page.locator(".widget-dropdown select")
                expect(dropdowns).to_have_count(3)  # the image options: aspect, resolution, quality

                def shown() -> list[str | None]:
                    return [d.evaluate("(s) => s.selectedIndex < 0 ? null : s.options[s.selectedIndex].text")
                            for d in dropdowns.all()]

                assert shown() == ["default"] * 3
                page.locator(".sume-history .widget-button", has_text="paper boat").click()
                expect(dropdowns.first).to_have_value(re.compile(".+"))
                page.wait_for_function("(s) => s.options[s.selectedIndex]?.text === '4:5'",
                                       arg=dropdowns.first.element_handle())
                page.locator(".sume-history .widget-button", has_text="kite").click()
                page.wait_for_function("(s) => s.selectedIndex >= 0 && s.options[s.selectedIndex].text === 'default'",
                                       arg=dropdowns.first.element_handle(), timeout=10_000)
                assert shown() == ["default"] * 3
                shot(page, page, "studio-notebook7.png")
        except Exception:
            page.screenshot(path=str(SCREENSHOTS / "studio-notebook7-failure.png"), full_page=True)
            raise
        finally:
            browser.close()


def test_a_matrix_grid_reads_as_rows_by_columns_in_jupyterlab(tmp_path: Path, root: Path,
                                                              sandbox: SandboxHandle) -> None:
    """A 2 × 2 matrix is two rows of two under its legend, and no cell's "100%" breaks onto a line of its own."""
    write_notebook(root / "matrix.ipynb", [
        "%load_ext sume_notebook",
        'light = ["soft morning light", "warm golden-hour light"]\nsurface = ["white marble", "pale oak"]',
        "%%sume_prompt image --rows surface --cols light -o matrix\nA serum bottle on {surface}, {light}",
        "for job in matrix:\n    job.wait(timeout=60)\nmatrix[0].rate(5)",
    ])
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = new_page(browser)
        try:
            port = free_port()
            with serving(lab_command(root, port), jupyter_env(tmp_path, sandbox), port, tmp_path / "lab.log") as origin:
                sandbox.configure(time_scale=2.0)  # each image runs some seconds: long enough to see the live grid
                page.goto(f"{origin}/lab/tree/matrix.ipynb")
                kernel_ready(page)
                run_all_cells(page)
                grid = page.locator(".jp-Notebook .jp-Cell").nth(2).locator(".jp-OutputArea-output").last
                heights = page.wait_for_function(LIVE_PERCENT_HEIGHTS, arg=grid.element_handle()).json_value()
                page.screenshot(path=str(SCREENSHOTS / "matrix-grid-live.png"))
                assert max(heights) < 24, heights  # one line each: "0:02 · ~40%" never breaks before its percent
                expect(grid).to_contain_text("4 jobs: 0 queued · 0 running · 4 done · 0 failed")
                expect(grid).to_contain_text("rows: surface × columns: light")
                rows = grid.locator("table.sume-grid > tbody > tr")
                expect(rows).to_have_count(3)  # the column heads, then two rows of two
                assert rows.nth(0).inner_text().split("\t")[-2:] == ["light=soft morning light",
                                                                    "light=warm golden-hour light"]
                assert [rows.nth(i).locator(":scope > td img").count() for i in (1, 2)] == [2, 2]
                assert rows.nth(1).locator(":scope > th").inner_text() == "surface=white marble"
                shot(page, grid, "matrix-grid.png")
        except Exception:
            page.screenshot(path=str(SCREENSHOTS / "matrix-grid-failure.png"), full_page=True)
            raise
        finally:
            browser.close()

"""A saved quickstart keeps its pictures: run it in JupyterLab, save, reopen without its kernel, then in Notebook 7.

Finished job views replace their widget outputs with static HTML, so the saved file must show every preview (inline
images with data URIs, the clip as a playable video) and never "Error displaying widget", whichever frontend opens
it and whether or not a kernel runs. Both servers are token-less on loopback and share one throwaway root.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from sume_notebook.demo import QUICKSTART, free_port, lab_command
from sume_notebook.sandbox import SandboxHandle, start_sandbox

from .chromium import SCREENSHOTS, click_menu, kernel_ready, launch, new_page, requires_chromium, run_all_cells
from .jupyter_server import jupyter_env, notebook7_command, serving

pytestmark = requires_chromium

TIME_SCALE = 0.3
WAIT_MS = 180_000
PREVIEWS = 5  # the hero image and the four cells of the prompt matrix
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# Every job output became static (no widget view left in any output area) and the last cell printed its history.
SETTLED = """(count) => {
  const outputs = document.querySelectorAll('.jp-Notebook .jp-OutputArea-output');
  const widgets = document.querySelectorAll('.jp-Notebook .jp-OutputArea-output .jupyter-widgets');
  const pictures = document.querySelectorAll('.jp-Notebook .jp-OutputArea-output img[src^="data:image/jpeg"]');
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
  const ran = prompts.every(p => /\\[[0-9]+\\]/.test(p.textContent));
  return ran && outputs.length > 0 && widgets.length === 0 && pictures.length >= count;
}"""


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxHandle]:
    with start_sandbox(data_dir=tmp_path / "sandbox", time_scale=TIME_SCALE) as handle:
        yield handle


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    root.mkdir()
    notebook = nbformat.read(QUICKSTART, as_version=4)  # committed without a kernel: name one, as a user would pick
    notebook.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nbformat.write(notebook, root / QUICKSTART.name)
    return root


@pytest.fixture
def server_env(tmp_path: Path, sandbox: SandboxHandle) -> dict[str, str]:
    return jupyter_env(tmp_path, sandbox)


def assert_every_preview_shows(page: Page, screenshot: str) -> None:
    """Each preview image is decoded with a real size, the clip is a playable MP4, no widget error anywhere."""
    expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible()
    pictures = page.locator('.jp-Notebook .jp-OutputArea-output img[src^="data:image/jpeg"]')
    expect(pictures).to_have_count(PREVIEWS)
    for index in range(PREVIEWS):
        picture = pictures.nth(index)
        picture.scroll_into_view_if_needed()
        expect(picture).to_be_visible()
        page.wait_for_function("(img) => img.complete && img.naturalWidth >= 128", arg=picture.element_handle())
        if index in (0, PREVIEWS - 1):  # the hero image, then the prompt matrix
            page.screenshot(path=str(SCREENSHOTS / screenshot.replace(".png", f"-image{index}.png")))
    video = page.locator('.jp-Notebook .jp-OutputArea-output video[src^="data:video/mp4"]')
    expect(video).to_have_count(1)
    video.scroll_into_view_if_needed()
    page.wait_for_function("(v) => v.readyState >= 1 && v.duration > 3", arg=video.element_handle())
    page.screenshot(path=str(SCREENSHOTS / screenshot.replace(".png", "-video.png")))
    expect(page.get_by_text("Error displaying widget")).to_have_count(0)
    downloads = page.locator('.jp-Notebook .jp-OutputArea-output a[download][href^="data:image/png"]')
    expect(downloads).to_have_count(PREVIEWS)


def test_the_saved_quickstart_shows_every_preview_without_a_kernel(
    tmp_path: Path, root: Path, server_env: dict[str, str]
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    log = tmp_path / "jupyter.log"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = new_page(browser, wait_ms=WAIT_MS)
        try:
            port = free_port()
            with serving(lab_command(root, port), server_env, port, log) as origin:
                page.goto(f"{origin}/lab/tree/{QUICKSTART.name}")
                kernel_ready(page)
                run_all_cells(page)
                page.wait_for_function(SETTLED, arg=PREVIEWS, polling=500)
                page.screenshot(path=str(SCREENSHOTS / "saved-lab-live.png"))

                # The clip was saved next to the notebook and is linked through the server's files route.
                link = page.locator('.jp-Notebook .jp-OutputArea-output a[download][href*="sume-downloads/"]')
                expect(link).to_have_count(1)
                href = link.get_attribute("href") or ""
                path = urllib.parse.urlsplit(href).path
                assert path.startswith("/files/sume-downloads/") and path.endswith(".mp4"), href  # rewritten by Lab
                assert page.request.get(urllib.parse.urljoin(origin, href)).body()[4:8] == b"ftyp"

                click_menu(page, "File", "Save Notebook")
                page.wait_for_function("() => !document.querySelector('.jp-mod-dirty')")
                click_menu(page, "Kernel", "Shut Down Kernel")
                expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(0)
                saved = json.loads((root / QUICKSTART.name).read_text(encoding="utf-8"))
                outputs = [o for cell in saved["cells"] for o in cell.get("outputs", [])]
                assert outputs and not [o for o in outputs if WIDGET_VIEW in o.get("data", {})]

                page.reload()  # reopened: its kernel is gone, a fresh one starts
                kernel_ready(page)
                assert_every_preview_shows(page, "saved-lab-reopened.png")

            port = free_port()
            with serving(notebook7_command(root, port), server_env, port, log) as origin:
                page.goto(f"{origin}/notebooks/{QUICKSTART.name}")
                assert_every_preview_shows(page, "saved-notebook7.png")
        except Exception:
            page.screenshot(path=str(SCREENSHOTS / "saved-failure.png"), full_page=True)
            raise
        finally:
            browser.close()

"""What the browser tests share: Debian's Chromium driven by Playwright, a page with the suite's patience, and the
JupyterLab gestures several tests make (Run All Cells, the kernel choice it may ask for)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, Route, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

__all__ = ["CHROMIUM", "SCREENSHOTS", "WAIT_MS", "accept_kernel_choice", "click_menu", "kernel_ready", "launch",
           "new_page", "offline_page", "requires_chromium", "run_all_cells"]

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
WAIT_MS = 90_000
RUN_ALL_ATTEMPTS = 5

requires_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                       reason="/usr/bin/chromium is missing: `make browser` installs Debian's chromium")


def launch(playwright: Playwright) -> Browser:
    """Headless Debian Chromium (Playwright's own browser download cannot work here)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)


def new_page(browser: Browser, width: int = 1280, height: int = 1000, wait_ms: int = WAIT_MS) -> Page:
    """A page of this size whose waits and `expect`s allow `wait_ms` (a kernel starting on a loaded machine)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(wait_ms)
    expect.set_options(timeout=wait_ms)
    return page


def offline_page(browser: Browser, refused: list[str], width: int = 1280, height: int = 1000) -> Page:
    """A page that loads `file://` URLs only: every other request is refused and its URL added to `refused`, so a
    test can open a report from disk and then assert it never even tried the network."""
    page = new_page(browser, width, height)

    def refuse(route: Route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", refuse)
    return page


def click_menu(page: Page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def run_all_cells(page: Page) -> None:
    """Run > Run All Cells, repeated until the first prompt leaves `[ ]:`.

    The toolbar can read idle before JupyterLab has connected the new kernel; until then the command runs nothing
    (each cell's execute returns early), so a run that did not start is safe to ask for again.
    """
    first_prompt = page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt").first
    for _ in range(RUN_ALL_ATTEMPTS):
        click_menu(page, "Run", "Run All Cells")
        try:
            page.wait_for_function("(prompt) => /\\[[*0-9]/.test(prompt.textContent)",
                                   arg=first_prompt.element_handle(), timeout=5_000)
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"Run All Cells started nothing in {RUN_ALL_ATTEMPTS} attempts")


def accept_kernel_choice(page: Page) -> None:
    """JupyterLab may ask which kernel to start although the notebook names one (when the kernel specs arrive
    late): take the one it proposes. Notebook 7 asks nothing."""
    try:
        page.locator(".jp-Dialog .jp-mod-accept").click(timeout=5_000)
    except PlaywrightTimeoutError:
        pass


def kernel_ready(page: Page) -> None:
    """The notebook's kernel connected and idle (after the kernel choice JupyterLab may ask for)."""
    accept_kernel_choice(page)
    expect(page.locator(".jp-StatusBar-Widget", has_text="| Idle").first).to_be_visible()

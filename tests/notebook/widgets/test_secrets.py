"""Nothing secret in what a notebook saves: widget state, snapshots and reprs of every widget after real use."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import ipywidgets

from sume_notebook import Sume
from sume_notebook.sandbox import SandboxHandle
from sume_notebook.widgets import AssetBrowser, CreditsBadge, JobGrid, JobView, PromptStudio
from tests.support import assert_nothing_secret

WAIT = 30
_MEDIA_MAGIC = (b"\xff\xd8", b"\x89PNG", b"\x00\x00\x00")  # JPEG, PNG, MP4 (ftyp box)


def _saved_state() -> tuple[str, list[bytes]]:
    """The manager state as a notebook stores it: JSON text, and the binary buffers (media) apart."""
    state: dict[str, Any] = ipywidgets.Widget.get_manager_state()["state"]
    buffers: list[bytes] = []
    for model in state.values():
        buffers += [base64.b64decode(buffer["data"]) for buffer in model.pop("buffers", [])]
    return json.dumps(state), buffers


def test_saved_widget_state_holds_no_key_signed_url_email_or_workspace_id(
    sume: Sume, sb: SandboxHandle, sandbox_account: dict[str, Any], tmp_path: Path
) -> None:
    sume.me()  # the account's email and ids are now known to the process, as in a real session
    view = JobView(sume.images.generate("a lighthouse, contact a.person@example.com"), label="lighthouse",
                   download_dir=tmp_path)
    video = JobView(sume.videos.generate("harbour waves", duration=4))
    grid = JobGrid([sume.images.generate(f"kite {i}") for i in range(2)], ["kite=0", "kite=1"])
    studio = PromptStudio(sume)
    studio.loaded.result(timeout=WAIT)
    for box, _ in studio._brand_images:
        box.value = True
    studio._prompt.value = "serum bottle"
    generated = studio.generate().result(timeout=WAIT)
    browser = AssetBrowser(sume, "hook", max_results=4)
    browser.loaded.result(timeout=WAIT)
    browser.play(0).result(timeout=WAIT)
    badge = CreditsBadge(sume)
    badge.loaded.result(timeout=WAIT)
    for future in (view.done, video.done, grid.done, generated.done):
        future.result(timeout=WAIT)
    view.download().result(timeout=WAIT)
    studio.refresh_history()

    text, buffers = _saved_state()
    assert_nothing_secret(text, sb.api_key, sandbox_account)
    assert buffers and all(b.startswith(_MEDIA_MAGIC) for b in buffers if b)  # empty: an image not loaded yet
    for widget in (view, video, grid, studio, browser, badge):
        bundle = widget._repr_mimebundle_()
        assert_nothing_secret(bundle["text/plain"] + bundle["text/html"], sb.api_key, sandbox_account)
    assert "a.person@example.com" not in view._title.value


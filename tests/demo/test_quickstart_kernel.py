"""The quickstart runs end to end in a real kernel, and `make demo HEADLESS=1` turns it into HTML.

The kernel test executes `notebooks/01-quickstart.ipynb` with nbclient against a fresh sandbox, widget state
stored as JupyterLab would save it, then reads the saved notebook the way GitHub or a colleague would: it must
hold a progress bar, an image and a video with their bytes, a DataFrame, and never the API key or a `token=` URL.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from sume_notebook.demo import QUICKSTART, WIDGET_STATE, execute_notebook, kernel_env
from sume_notebook.sandbox import SandboxHandle, start_sandbox

ROOT = Path(__file__).resolve().parents[2]
IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
TIME_SCALE = 0.1  # image ~0.4 s, video ~1.2 s: the story, not the waiting


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxHandle]:
    with start_sandbox(data_dir=tmp_path / "sandbox", time_scale=TIME_SCALE) as handle:
        yield handle


def widget_models(notebook: nbformat.NotebookNode) -> list[dict[str, Any]]:
    return list(notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {}).values())


def buffer_bytes(model: dict[str, Any], name: str) -> bytes:
    """A binary trait as a saved notebook holds it: base64 in the model's `buffers`, keyed by its path."""
    for buffer in model.get("buffers", []):
        if buffer["path"] == [name]:
            return base64.b64decode(buffer["data"])
    return b""


def test_quickstart_runs_in_a_real_kernel_with_widget_state(tmp_path: Path, sandbox: SandboxHandle) -> None:
    env = kernel_env(sandbox.url, sandbox.api_key, SUME_NOTEBOOK_HOME=str(tmp_path / "home"))
    notebook = execute_notebook(QUICKSTART, env, cwd=tmp_path)  # raises CellExecutionError on any cell error

    models = widget_models(notebook)
    names = [model["model_name"] for model in models]
    live_rows = [model for model in models if model["model_name"] == "AnyModel" and "board" in model["state"]]
    boards = [model["state"]["cells"] for model in models if "cells" in model["state"]]
    assert live_rows and boards, names  # the status rows and the boards that feed them, saved with the notebook
    assert any(row["completed"] for cells in boards for row in cells.values())
    images = [buffer_bytes(model, "value") for model in models if model["model_name"] == "ImageModel"]
    assert any(data.startswith(IMAGE_SIGNATURES) for data in images), f"no image bytes among {len(images)} images"
    videos = [buffer_bytes(model, "value") for model in models if model["model_name"] == "VideoModel"]
    assert any(data[4:8] == b"ftyp" for data in videos), "no MP4 bytes in the video preview"

    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    assert any('class="dataframe' in output.get("data", {}).get("text/html", "") for output in outputs)

    saved = nbformat.writes(notebook)
    for secret in (sandbox.api_key, sandbox.admin_token, "token="):
        assert secret not in saved


def test_headless_demo_writes_the_html(tmp_path: Path) -> None:
    env = {**os.environ, "SUME_NOTEBOOK_HOME": str(tmp_path / "home")}
    env.pop("SUME_API_KEY", None)
    env.pop("SUME_BASE_URL", None)
    command = [sys.executable, "-m", "sume_notebook.demo", "--headless", "--output-dir", str(tmp_path),
               "--time-scale", str(TIME_SCALE)]
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "quickstart.html").read_text(encoding="utf-8")
    # Self-contained: widgets as their static snapshots with inline thumbnails, no widget script from a CDN.
    assert 'src="data:image/' in html and 'class="dataframe' in html and "unpkg.com" not in html
    assert "sume_test_" not in html and "token=" not in html  # no sandbox key of any role
    executed = nbformat.read(tmp_path / QUICKSTART.name, as_version=4)
    assert all(cell.get("execution_count") for cell in executed.cells if cell.cell_type == "code")
    assert widget_models(executed)


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda path: path.name)
def test_committed_notebooks_carry_no_outputs(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, cell["source"]
    assert "widgets" not in notebook["metadata"]

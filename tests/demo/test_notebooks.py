"""Every example notebook runs top to bottom in a real kernel against a fresh sandbox, widget state stored.

One test per notebook under `notebooks/`: nbclient executes it (raising on any cell error) in a scratch directory
with its own journal, the way `make demo HEADLESS=1` runs the quickstart. The saved notebook must hold no error
output and never the API key, the admin token or a `token=` URL. (`test_quickstart_kernel.py` checks the
quickstart's previews in detail, and that no committed notebook carries outputs.)
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from sume_notebook.demo import execute_notebook, kernel_env
from sume_notebook.sandbox import SandboxHandle, start_sandbox

from .test_quickstart_kernel import ROOT, TIME_SCALE, widget_models

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
BUDGET_SECONDS = 120  # each runs in well under a minute at TIME_SCALE; this only catches a hang or a slow path


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxHandle]:
    with start_sandbox(data_dir=tmp_path / "sandbox", time_scale=TIME_SCALE) as handle:
        yield handle


def test_there_are_example_notebooks() -> None:
    assert len(NOTEBOOKS) >= 6, [path.name for path in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_runs_in_a_real_kernel(path: Path, tmp_path: Path, sandbox: SandboxHandle) -> None:
    work = tmp_path / "work"
    work.mkdir()
    env = kernel_env(sandbox.url, sandbox.api_key, SUME_NOTEBOOK_HOME=str(tmp_path / "home"))
    started = time.monotonic()
    notebook = execute_notebook(path, env, cwd=work)  # raises CellExecutionError on any cell error
    elapsed = time.monotonic() - started
    assert elapsed < BUDGET_SECONDS, f"{path.name} took {elapsed:.0f} s"

    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    errors = [output for output in outputs if output.output_type == "error"]
    assert not errors, [f"{output.ename}: {output.evalue}" for output in errors]
    assert all(cell.execution_count for cell in notebook.cells if cell.cell_type == "code")
    if any("widget-view+json" in str(output.get("data", {})) for output in outputs):
        assert widget_models(notebook), "widgets were shown but no widget state was saved"

    saved = nbformat.writes(notebook)
    for secret in (sandbox.api_key, sandbox.admin_token, "token="):
        assert secret not in saved

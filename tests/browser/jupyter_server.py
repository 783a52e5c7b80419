"""A token-less Jupyter server on loopback against a sandbox, for the browser tests (JupyterLab or Notebook 7)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from sume_notebook.demo import free_port, lab_command
from sume_notebook.sandbox import SandboxHandle

LAB_START_SECONDS = 120
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def jupyter_env(tmp_path: Path, sandbox: SandboxHandle) -> dict[str, str]:
    """The server's environment: the sandbox as the Sume service, and a throwaway config, runtime, IPython and
    journal home, with JupyterLab's news toast off (it would cover the cells in the screenshots)."""
    config = tmp_path / "jupyter-config"
    (config / "labconfig").mkdir(parents=True)
    (config / "labconfig" / "page_config.json").write_text(
        '{"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": true}}')
    return {**os.environ, "SUME_BASE_URL": sandbox.url, "SUME_API_KEY": sandbox.api_key,
            "SUME_NOTEBOOK_HOME": str(tmp_path / "home"), "IPYTHONDIR": str(tmp_path / "ipython"),
            "JUPYTER_CONFIG_DIR": str(config), "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime")}


def notebook7_command(root: Path, port: int) -> list[str]:
    """Notebook 7 as `jupyter notebook` starts it, on the same terms as the demo's JupyterLab."""
    return [sys.executable, "-m", "notebook", *lab_command(root, port)[3:]]


def write_notebook(path: Path, cells: list[str]) -> Path:
    """A notebook of these code cells that names its kernel, as one a user saved would."""
    nbformat.write(new_notebook(cells=[new_code_cell(source) for source in cells], metadata={"kernelspec": KERNELSPEC}),
                   path)
    return path


@contextmanager
def serving(command: list[str], env: dict[str, str], port: int, log: Path) -> Iterator[str]:
    """A token-less Jupyter server (JupyterLab or Notebook 7) until the block ends; yields its origin."""
    command = [*command, "--IdentityProvider.token=", "--ServerApp.password="]
    with log.open("ab") as out:
        process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    origin = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + LAB_START_SECONDS
        while True:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the Jupyter server did not answer in time"
            try:
                with urllib.request.urlopen(f"{origin}/api/status", timeout=2):
                    break
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        yield origin
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the server and the kernels it started
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def lab_with_notebook(tmp_path: Path, sandbox: SandboxHandle, name: str, cells: list[str]) -> Iterator[str]:
    """A token-less JupyterLab on loopback serving a fresh root that holds one notebook of `cells`, with the
    sandbox as its Sume service; yields that notebook's URL."""
    root = tmp_path / "root"
    root.mkdir()
    write_notebook(root / name, cells)
    port = free_port()
    with serving(lab_command(root, port), jupyter_env(tmp_path, sandbox), port, tmp_path / "jupyterlab.log") as origin:
        yield f"{origin}/lab/tree/{name}"

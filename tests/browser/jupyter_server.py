"""A token-less Jupyter server on loopback against a sandbox, for the browser tests (JupyterLab or Notebook 7)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sume_notebook.sandbox import SandboxHandle

LAB_START_SECONDS = 120


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

"""`python -m sume_notebook.demo`: the quickstart notebook against a local sandbox, in JupyterLab or headless.

Interactive (`make demo`): the sandbox runs on a thread here and JupyterLab in a child process on loopback, with
the quickstart open; the kernel inherits SUME_BASE_URL and SUME_API_KEY from JupyterLab. `--headless`
(`make demo HEADLESS=1`) executes the quickstart with a real kernel instead, widget state stored, and writes
an HTML export and the executed notebook, so a machine without a browser can check the whole path.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

from .sandbox import default_data_dir, start_sandbox

if TYPE_CHECKING:
    from nbformat import NotebookNode

ROOT = Path(__file__).resolve().parents[1]
QUICKSTART = ROOT / "notebooks" / "01-quickstart.ipynb"
DEFAULT_OUTPUT_DIR = ROOT / "build" / "demo"
# Jobs take a quarter of their real duration: long enough to watch a progress bar, short enough to wait for.
DEMO_TIME_SCALE = 0.25
CELL_TIMEOUT_SECONDS = 300
SETTLE_TIMEOUT_SECONDS = 120
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# Run in the kernel after the last cell, then dropped. nbclient keeps only the widget messages that arrive while a
# cell runs, but jobs end (and previews load) between and after cells: so wait for every job view to settle and
# take the kernel's own widget state, as JupyterLab would save it.
SETTLE_SOURCE = f"""\
from IPython.display import display
from ipywidgets import Widget
from sume_notebook.widgets import JobView
JobView.settle(timeout={SETTLE_TIMEOUT_SECONDS})
display({{"{WIDGET_STATE}": Widget.get_manager_state(drop_defaults=True)}}, raw=True)
"""
LAB_START_TIMEOUT_SECONDS = 120.0


def kernel_env(base_url: str, api_key: str, **extra: str) -> dict[str, str]:
    """This process's environment pointed at one Sume endpoint: what a kernel started from here should see."""
    return {**os.environ, "SUME_BASE_URL": base_url, "SUME_API_KEY": api_key, **extra}


def execute_notebook(path: Path, env: dict[str, str], cwd: Path) -> NotebookNode:
    """Run every cell in a fresh kernel with `env`, keeping the settled widget state (raises on a cell error)."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(SETTLE_SOURCE))
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT_SECONDS, kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": str(cwd)}})
    try:
        client.execute(env=env)
    finally:
        settle = notebook.cells.pop()
    states = [output.data[WIDGET_STATE] for output in settle.outputs if WIDGET_STATE in output.get("data", {})]
    if states:
        notebook.metadata["widgets"] = {WIDGET_STATE: states[0]}
    return notebook


def export_html(notebook: NotebookNode, target: Path) -> Path:
    """Write nbconvert's JupyterLab-styled HTML, self-contained: each widget as its static text/html snapshot.

    With the widget state in the page, nbconvert would draw widgets with a script fetched from unpkg.com instead,
    so offline (or behind a strict proxy) every job would be a blank space. The .ipynb keeps the live state.
    """
    import copy

    from nbconvert import HTMLExporter

    static = copy.deepcopy(notebook)
    static.metadata.pop("widgets", None)
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(static)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    return target


def run_headless(notebook_path: Path, output_dir: Path, time_scale: float) -> int:
    """Execute the quickstart against a throwaway sandbox and journal, so repeated runs show the same story."""
    import nbformat
    from nbclient.exceptions import CellExecutionError

    with tempfile.TemporaryDirectory(prefix="sume-demo-") as scratch:
        work = Path(scratch)
        with start_sandbox(data_dir=work / "sandbox", time_scale=time_scale) as sandbox:
            print(f"Sume sandbox at {sandbox.url}; executing {notebook_path.name} with a real kernel...", flush=True)
            env = kernel_env(sandbox.url, sandbox.api_key, SUME_NOTEBOOK_HOME=str(work / "home"))
            started = time.monotonic()
            try:
                notebook = execute_notebook(notebook_path, env, cwd=work)
            except CellExecutionError as error:
                print(f"error: a cell of {notebook_path.name} failed:\n{error}", file=sys.stderr)
                return 1
    output_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, output_dir / notebook_path.name)
    html = export_html(notebook, output_dir / "quickstart.html")
    print(f"Executed in {time.monotonic() - started:.1f} s; wrote {html} and {output_dir / notebook_path.name}")
    return 0


def free_port() -> int:
    """A port nobody listens on now, so JupyterLab can refuse to wander to another one."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def lab_command(notebook_dir: Path, port: int) -> list[str]:
    """JupyterLab on loopback only, no browser of its own, failing rather than moving to another port."""
    command = [sys.executable, "-m", "jupyterlab", "--ip=127.0.0.1", f"--port={port}",
               "--ServerApp.port_retries=0", "--ServerApp.open_browser=False", f"--ServerApp.root_dir={notebook_dir}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers often run as root; JupyterLab refuses that unless told
    return command


def wait_for_lab(process: subprocess.Popen[bytes], origin: str, token: str) -> bool:
    """Poll JupyterLab's status route until it answers, or report that the process died or never answered."""
    deadline = time.monotonic() + LAB_START_TIMEOUT_SECONDS
    request = urllib.request.Request(f"{origin}/api/status", headers={"Authorization": f"token {token}"})
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    return False


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM lets JupyterLab shut its kernels down; kill only if it hangs."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_lab(notebook_path: Path, port: int, time_scale: float, work_dir: Path) -> int:
    """Serve the sandbox and JupyterLab until Ctrl-C (or SIGTERM), then stop both.

    JupyterLab serves a fresh copy of the notebook in `work_dir`, so running it never leaves outputs in the
    committed one. It gets a random token, passed through its environment (not argv, which `ps` shows to every
    user) and printed in the URL: loopback alone would still let any other account on this machine run code as
    you, and a token in the URL costs the person at the keyboard nothing.
    """
    work_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(notebook_path, work_dir / notebook_path.name)
    log_path = work_dir.parent / "jupyterlab.log"
    token = secrets.token_hex(24)
    sandbox = start_sandbox(data_dir=default_data_dir(), time_scale=time_scale)
    origin = f"http://127.0.0.1:{port}"
    try:
        with log_path.open("wb") as log:
            # A session of its own: the terminal's Ctrl-C reaches only us, and we stop JupyterLab without its
            # interactive "Shutdown this Jupyter server (y/[n])?" prompt.
            process = subprocess.Popen(lab_command(work_dir, port), stdin=subprocess.DEVNULL,
                                       stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                       env=kernel_env(sandbox.url, sandbox.api_key, JUPYTER_TOKEN=token))
        try:
            if not wait_for_lab(process, origin, token):
                print(f"error: JupyterLab did not start; its log is {log_path}", file=sys.stderr)
                return 1
            print(f"Sume sandbox (local, no credits spent): {sandbox.url}")
            print(f"JupyterLab serves {work_dir} (a fresh copy of the quickstart each start); log: {log_path}")
            print(f"\nOpen the quickstart:\n\n  {origin}/lab/tree/{notebook_path.name}?token={token}\n")
            print("Press Ctrl-C to stop JupyterLab and the sandbox.", flush=True)
            while process.poll() is None:
                time.sleep(0.5)
            print(f"error: JupyterLab exited with status {process.returncode}; its log is {log_path}",
                  file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("\nStopping JupyterLab and the sandbox...", flush=True)
            return 0
        finally:
            stop_process(process)
    finally:
        sandbox.stop()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sume_notebook.demo",
                                     description="Open the quickstart notebook in JupyterLab against a local Sume "
                                                 "sandbox, or execute it headless and export HTML.")
    parser.add_argument("--headless", action="store_true",
                        help="execute the quickstart with a real kernel and write quickstart.html, then exit")
    parser.add_argument("--port", type=int, default=0, help="JupyterLab's port (default: any free port)")
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT_DIR,
                        help=f"where --headless writes its files and JupyterLab works (default {DEFAULT_OUTPUT_DIR})")
    parser.add_argument("--time-scale", type=float, default=DEMO_TIME_SCALE,
                        help=f"multiply every sandbox job duration (default {DEMO_TIME_SCALE})")
    args = parser.parse_args(argv)
    if args.time_scale <= 0:
        parser.error("--time-scale must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not QUICKSTART.is_file():
        print(f"error: {QUICKSTART} is missing; the demo runs from a checkout of sume-notebook", file=sys.stderr)
        return 2
    if args.headless:
        return run_headless(QUICKSTART, args.output_dir, args.time_scale)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` stops both, as Ctrl-C does
    return run_lab(QUICKSTART, args.port or free_port(), args.time_scale, args.output_dir / "lab")


if __name__ == "__main__":
    sys.exit(main())

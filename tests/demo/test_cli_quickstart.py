"""The seeds' quick start as a shell script (examples/cli-quickstart.sh), run by bash against the sandbox: every
`sume ...` and curl line as the seed writes it, `--json` piped through `python -m json.tool`.

`sume` is the console script where the package is installed; elsewhere (a checkout run with PYTHONPATH) a shim
on PATH runs `python -m sume_notebook` with this interpreter, as does a `python` shim where PATH has none.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sume_notebook.sandbox import SandboxHandle
from tests.notebook.console_support import ROOT, console_env
from tests.support import requests_to

SCRIPT = ROOT / "examples" / "cli-quickstart.sh"


def _shims(directory: Path) -> str:
    """A PATH that finds `sume` and `python`, shims first where the system has none."""
    directory.mkdir()
    for name, command in (("sume", f'"{sys.executable}" -m sume_notebook'), ("python", f'"{sys.executable}"')):
        if shutil.which(name) is None:
            shim = directory / name
            shim.write_text(f'#!/bin/sh\nexec {command} "$@"\n')
            shim.chmod(0o755)
    return os.pathsep.join((str(directory), os.environ.get("PATH", "")))


@pytest.mark.skipif(shutil.which("bash") is None or shutil.which("curl") is None, reason="needs bash and curl")
def test_the_quick_start_runs_line_for_line(env: SandboxHandle, tmp_path: Path) -> None:
    done = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, cwd=tmp_path, timeout=300,
                          env=console_env(PATH=_shims(tmp_path / "bin"), SUME_BASE_URL=env.url, SUME_API_KEY=env.api_key))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Sume credits" in done.stdout and ".png" in done.stdout  # `sume credits`, then the downloaded file
    found = json.loads(done.stdout[done.stdout.rindex('{\n    "data"'):])  # the last document: the Asset Library search
    assert 1 <= len(found["data"]) <= 5 and all(scene["source_type"] == "generated" for scene in found["data"])
    assert "token=" not in done.stdout
    assert requests_to(env, "POST /api/v1/images/generations") == 2  # curl's and sume's
    assert requests_to(env, "GET /api/v1/assets") == 2

"""`examples/quickstart.py` runs against the sandbox, as a user would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sume_notebook.sandbox import SandboxHandle

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "quickstart.py"


def test_quickstart_script(sb: SandboxHandle, tmp_path: Path) -> None:
    env = {**os.environ, "SUME_BASE_URL": sb.url, "SUME_API_KEY": sb.api_key, "SUME_NOTEBOOK_HOME": str(tmp_path / "home")}
    run = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "out")], env=env, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    files = sorted(p.suffix for p in (tmp_path / "out").iterdir())
    assert files == [".mp4", ".png"]
    assert "segment_type" in run.stdout and "search_score" in run.stdout
    assert sb.api_key not in run.stdout + run.stderr and "token=" not in run.stdout

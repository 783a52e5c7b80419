"""binder/start launches a live sandbox and hands its URL and key to the command it wraps."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import os, httpx
response = httpx.get(os.environ["SUME_BASE_URL"] + "/credits",
                     headers={"Authorization": "Bearer " + os.environ["SUME_API_KEY"]})
print(response.status_code, response.json()["object"])
"""


def test_binder_start_wraps_a_command_around_a_live_sandbox(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "TMPDIR": str(tmp_path),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("SUME_BASE_URL", None)
    # Its own process group, so the sandbox it leaves running in the background is stopped afterwards.
    process = subprocess.Popen([str(ROOT / "binder" / "start"), sys.executable, "-c", PROBE], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=120)
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    assert process.returncode == 0, stderr
    assert stdout.split() == ["200", "credits"]

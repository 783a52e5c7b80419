"""Running the console `sume` as a user would: a real subprocess (`python -m sume_notebook`, independent of PATH),
this checkout first on the import path, the test's environment (journal home, key, base URL) inherited."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def console_env(**overrides: str | None) -> dict[str, str]:
    """The environment of a console run: this process's, this checkout importable, `overrides` applied (None unsets)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def console(*words: str, cwd: Path, timeout: float = 120, **overrides: str | None) -> subprocess.CompletedProcess[str]:
    """`sume WORDS...` in `cwd`; its exit code, stdout and stderr."""
    return subprocess.run([sys.executable, "-m", "sume_notebook", *words], capture_output=True, text=True, cwd=cwd,
                          env=console_env(**overrides), timeout=timeout)

"""Benchmark 4, start-up: what `import sume_notebook` and `%load_ext sume_notebook` cost a fresh process.

Each figure is timed inside a fresh Python process (interpreter start-up excluded), `rounds` times, interleaved;
the median is reported. `%load_ext` runs in an IPython `InteractiveShell` made before the clock starts, as in a
kernel where IPython is already loaded; it includes importing `sume_notebook`. The yardstick is `import pandas`,
timed the same way: bare for the `import` figure, inside a shell for the `%load_ext` one. The probe also records
which of pandas, ipywidgets, httpx and the sandbox ended up in `sys.modules`: ours must load none of them.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from ._table import Row

__all__ = ["NUMBER", "run"]

NUMBER = 4
HEAVY = ("pandas", "ipywidgets", "httpx", "sume_notebook.sandbox")
_ROOT = Path(__file__).resolve().parents[1]
_MARK = "@@startup-probe@@ "
_PROBE = f"""
import json, sys, time
mode = sys.argv[1]
shell = None
if mode in ("load_ext", "pandas_in_shell"):
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
before = set(sys.modules)
started = time.perf_counter()
if mode == "import":
    import sume_notebook
elif mode == "load_ext":
    shell.run_line_magic("load_ext", "sume_notebook")
else:
    import pandas
elapsed = time.perf_counter() - started
heavy = [name for name in {HEAVY!r} if any(m == name or m.startswith(name + ".") for m in sys.modules)]
print({_MARK!r} + json.dumps({{"seconds": elapsed, "modules": len(set(sys.modules) - before), "heavy": heavy}}))
"""
_MODES = ("import", "load_ext", "pandas", "pandas_in_shell")


def _probe(mode: str, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", _PROBE, mode], env=env, cwd=_ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    marked = [line for line in done.stdout.splitlines() if line.startswith(_MARK)]
    if done.returncode != 0 or not marked:
        raise RuntimeError(f"start-up probe {mode!r} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return dict(json.loads(marked[-1][len(_MARK):]))


def run(rounds: int = 7) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="sume-bench-") as home:
        # No key and no base URL: `%load_ext` only says the sandbox would start on first use (it must not start it).
        env = {k: v for k, v in os.environ.items() if k not in ("SUME_API_KEY", "SUME_BASE_URL")}
        env["SUME_NOTEBOOK_HOME"] = home
        for mode in _MODES:  # warm-up: byte-code caches written, files in the page cache
            _probe(mode, env)
        results: dict[str, list[dict[str, Any]]] = {mode: [] for mode in _MODES}
        for _ in range(rounds):
            for mode in _MODES:
                results[mode].append(_probe(mode, env))

    def ms(mode: str) -> float:
        return statistics.median(r["seconds"] for r in results[mode]) * 1000

    def last(mode: str) -> dict[str, Any]:
        return results[mode][-1]

    print(f"4 start-up: median of {rounds} fresh processes each (interpreter start-up excluded)")
    for mode, what in (("import", "import sume_notebook"), ("load_ext", "%load_ext sume_notebook (in a shell)"),
                       ("pandas", "import pandas"), ("pandas_in_shell", "import pandas (in a shell)")):
        heavy = ", ".join(last(mode)["heavy"]) or "none"
        print(f"  {what:<38} {ms(mode):8.1f} ms, {last(mode)['modules']:4d} modules loaded; "
              f"of {', '.join(HEAVY)}: {heavy}")
    ours_heavy = sorted(set(last("import")["heavy"]) | set(last("load_ext")["heavy"]))
    print(f"  after import and %load_ext, pandas imported: {'pandas' in ours_heavy}, ipywidgets: "
          f"{'ipywidgets' in ours_heavy}, httpx: {'httpx' in ours_heavy}, "
          f"sandbox: {'sume_notebook.sandbox' in ours_heavy}")
    return [
        Row("4 start-up: import sume_notebook, ms", ms("import"), ms("pandas")),
        Row("4 start-up: %load_ext sume_notebook, ms", ms("load_ext"), ms("pandas_in_shell")),
        Row("4 start-up: modules loaded by %load_ext", last("load_ext")["modules"], last("pandas_in_shell")["modules"]),
        Row("4 start-up: heavy packages loaded (of 4)", len(ours_heavy), len(last("pandas")["heavy"])),
    ]

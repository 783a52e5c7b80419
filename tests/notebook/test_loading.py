"""`%load_ext` / `%unload_ext`, `%config`, and what loading imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from IPython.core.interactiveshell import InteractiveShell

from sume_notebook.notebook._testing import SumeShell


def test_load_registers_and_unload_removes_everything() -> None:
    shell = SumeShell()
    manager = shell.shell.magics_manager
    assert {"sume_generate", "sume"} <= set(manager.magics["line"]) and "sume_prompt" in manager.magics["cell"]
    assert shell.magics in shell.shell.configurables
    magics = shell.magics
    shell.close()
    assert "sume_generate" not in manager.magics["line"] and "sume_prompt" not in manager.magics["cell"]
    assert magics not in shell.shell.configurables and "SumeMagics" not in manager.registry
    shell.shell.run_line_magic("load_ext", "sume_notebook")
    shell.shell.run_line_magic("reload_ext", "sume_notebook")
    assert "sume" in manager.magics["line"]
    shell.close()


def test_config_sets_every_default() -> None:
    shell = SumeShell()
    try:
        for line in ('SumeMagics.aspect_ratio = "9:16"', 'SumeMagics.resolution = "720p"', 'SumeMagics.quality = "high"',
                     "SumeMagics.timeout = 30", 'SumeMagics.download_dir = "out"', "SumeMagics.max_batch = 4",
                     "SumeMagics.preview_size = 256", 'SumeMagics.widgets = "off"'):
            shell.run(f"%config {line}")
        magics = shell.magics
        assert (magics.aspect_ratio, magics.resolution, magics.quality, magics.timeout) == ("9:16", "720p", "high", 30.0)
        assert (magics.download_dir, magics.max_batch, magics.preview_size, magics.widgets) == ("out", 4, 256, "off")
        assert "SumeMagics" in shell.run("%config").stdout
    finally:
        shell.close()
        InteractiveShell.instance().config.pop("SumeMagics", None)


def test_loading_imports_neither_pandas_nor_the_sandbox_nor_ipywidgets(tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "shell.run_line_magic('load_ext', 'sume_notebook')\n"
        "shell.run_line_magic('sume_generate', 'image --prompt x --dry-run')\n"
        "print(json.dumps({m: m in sys.modules for m in ('pandas', 'sume_notebook.sandbox', 'ipywidgets', 'uvicorn')}))\n"
    )
    env = {**os.environ, "IPYTHONDIR": str(tmp_path / "ipython"), "SUME_NOTEBOOK_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True, env=env)
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == {"pandas": False, "sume_notebook.sandbox": False, "ipywidgets": False, "uvicorn": False}

"""Where a create comes from: the notebook, else the script, else the working directory.

The journal is one file per user, shared by every notebook; recording each request's origin lets `history()` show
this notebook's jobs by default. The client must not import IPython (it runs in plain scripts), so VS Code's
notebook name is read only from a shell that is already running.
"""

from __future__ import annotations

import os
import sys

__all__ = ["current_origin"]


def _notebook() -> str | None:
    """Jupyter Server names the kernel's notebook in its environment; VS Code in the user namespace."""
    name = os.environ.get("JPY_SESSION_NAME")
    if name:
        return name
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return None
    vscode = shell.user_ns.get("__vsc_ipynb_file__")
    return vscode if isinstance(vscode, str) and vscode else ""  # "": a shell, but no notebook name


def current_origin() -> str:
    """The notebook path, else the running script (`sys.argv[0]`, when it is a file and no shell runs: a kernel's
    argv[0] is its launcher, the same for every notebook), else the working directory."""
    notebook = _notebook()
    if notebook:
        return notebook
    script = sys.argv[0] if sys.argv else ""
    if notebook is None and script and os.path.isfile(script):
        return os.path.abspath(script)
    return os.getcwd()

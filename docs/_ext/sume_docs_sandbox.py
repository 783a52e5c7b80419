"""Execute the example notebooks against a throwaway local sandbox while the docs build.

When myst-nb is going to execute (``nb_execution_mode`` is not ``"off"``), a sandbox is started in a temporary
directory before any notebook is read, and ``SUME_BASE_URL``, ``SUME_API_KEY`` and ``SUME_NOTEBOOK_HOME`` (the job
journal) are exported so every kernel myst-nb starts inherits them. It stops when the build finishes. Nothing of a
real account is used, and the user's own journal and sandbox data are never touched.

Each notebook is executed with one extra, hidden last cell that waits for every live ``JobView`` to reach its
final state (``JobView.settle``), as ``make demo HEADLESS=1`` does: a widget replaces its ``text/html`` snapshot
when it comes to rest, and nbclient only records what arrives while a cell runs, so without it a job still
finishing after the last cell would be shown as "queued". The cell is removed before the page is rendered, and
so is the stored widget state: the pages show the snapshots, as GitHub and nbconvert do.

Config values: ``sume_docs_time_scale`` (default 0.05: a 4 s image takes 0.2 s), ``sume_docs_settle_timeout``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

from sphinx.util import logging

logger = logging.getLogger(__name__)

_EXPORTED = ("SUME_BASE_URL", "SUME_API_KEY", "SUME_NOTEBOOK_HOME")


class _Running:
    handle: Any = None
    scratch: str | None = None
    saved_env: dict[str, str | None] = {}


def _start(app: Any, config: Any) -> None:
    if config.nb_execution_mode == "off" or _Running.handle is not None:
        return
    from sume_notebook.sandbox import start_sandbox

    scratch = tempfile.mkdtemp(prefix="sume-docs-")
    handle = start_sandbox(data_dir=os.path.join(scratch, "sandbox"), time_scale=config.sume_docs_time_scale)
    _Running.handle, _Running.scratch = handle, scratch
    _Running.saved_env = {name: os.environ.get(name) for name in _EXPORTED}
    os.environ.update(SUME_BASE_URL=handle.url, SUME_API_KEY=handle.api_key,
                      SUME_NOTEBOOK_HOME=os.path.join(scratch, "home"))
    logger.info(f"sume: notebooks execute against a sandbox at {handle.url} (time scale {config.sume_docs_time_scale})")


def _stop(app: Any = None, exception: BaseException | None = None) -> None:
    handle, scratch = _Running.handle, _Running.scratch
    if handle is None:
        return
    _Running.handle = _Running.scratch = None
    try:
        handle.stop()
    finally:
        for name, value in _Running.saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


SETTLE_SOURCE = """\
import time
from sume_notebook.notebook.widgets import JobView
JobView.settle(timeout={timeout})
time.sleep(0.5)  # the last throttled redraw (at most ten a second) carries the final snapshot
"""


def _install_settling_client(timeout: float) -> None:
    """Make myst-nb's direct ("force"/"auto") executor run the settle cell last, then drop it."""
    import nbformat
    from myst_nb.core import execute

    base = execute.NotebookClientDirect
    if getattr(base, "_sume_settles", False):
        return

    class SettlingClient(base):  # type: ignore[misc, valid-type]
        _sume_settles = True

        def start_client(self) -> None:
            cells = self.notebook.cells
            cells.append(nbformat.v4.new_code_cell(SETTLE_SOURCE.format(timeout=timeout)))
            try:
                super().start_client()
            finally:
                cells.pop()
            # The pages show each widget by its text/html snapshot (conf.py drops the widget view), so the widget
            # state nbclient stored (megabytes of preview bytes) would only make them heavier.
            self.notebook.metadata.pop("widgets", None)

    execute.NotebookClientDirect = SettlingClient


def _prepare(app: Any, config: Any) -> None:
    if config.nb_execution_mode in ("force", "auto"):
        _install_settling_client(config.sume_docs_settle_timeout)
    _start(app, config)


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("sume_docs_time_scale", 0.05, "env", types=(float, int))
    app.add_config_value("sume_docs_settle_timeout", 60.0, "env", types=(float, int))
    # after myst_nb registered nb_execution_mode, and before any document is read
    app.connect("config-inited", _prepare, priority=900)
    app.connect("build-finished", _stop)
    return {"version": "1", "parallel_read_safe": False, "parallel_write_safe": True}

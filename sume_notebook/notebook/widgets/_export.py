"""An "Export report" button's work: the chosen jobs as one standalone HTML report next to the notebook.

The report is `client.write_report`'s (the same file as `sume_notebook.export_report` and `%sume export`), written
on the widget's runner so the kernel stays free; the widget then shows a link that opens it through the Jupyter
server, or says in one line why it could not be written.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from ...client import SumeError, write_report
from ...client.reprs import esc
from .._files import file_href
from ._runner import Runner

__all__ = ["export_jobs", "report_path"]


def report_path(directory: Path | None = None) -> Path:
    """`sume-report-20260130-141502.html` in `directory` (default: the notebook's folder, the kernel's cwd)."""
    return (directory or Path.cwd()) / f"sume-report-{datetime.now():%Y%m%d-%H%M%S}.html"


def _link(path: Path) -> str:
    href = file_href(path)
    shown = esc(href or str(path))
    opened = f'<a href="{esc(href)}" target="_blank" rel="noopener">open the report {shown}</a>' if href else shown
    return f"Wrote {opened}"


def export_jobs(
    runner: Runner, job_ids: Sequence[str], show: Callable[[str], None], directory: Path | None = None
) -> concurrent.futures.Future[Path]:
    """Write the report of `job_ids`; `show(html)` receives what to display (a link, or the reason it failed)."""
    path = report_path(directory)
    show(esc(f"Writing a report of {len(job_ids)} job{'s' if len(job_ids) != 1 else ''}…"))

    async def write() -> Path:
        try:
            written = await write_report(list(job_ids), path, client=runner.client)
        except (SumeError, OSError) as error:
            show(f'<span style="color:#b91c1c">{esc(f"No report: {error}".splitlines()[0])}</span>')
            raise
        show(_link(written))
        return written

    return runner.start(write())

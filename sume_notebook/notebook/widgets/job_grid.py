"""`JobGrid`: a batch or a prompt matrix as one grid of labelled `JobView`s under a header of counts and credits.

A prompt matrix's cells are placed by their variables' values, rows × columns with a legend on both sides (see
`_grid_layout`); a failed cell stays in its place with its label and its reason. All cells share one throttle and
one live board, so a grid of many jobs redraws in one tick at most ten times a second, the status rows of every
changed cell travel in one message per tick, and the header is recounted in the same tick.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import ipywidgets

from ..._facade import Blocking, Sume
from ..._redaction import mask_id
from ...client import AsyncSume, Job
from ...client.reprs import esc
from . import _dispatch
from ._base import SnapshotBox
from ._export import export_jobs
from ._grid_layout import GridLayout, plan
from ._live import LiveBoard
from ._media import DEFAULT_STATIC_BYTES
from ._snapshot import grid_snapshot, header_html
from ._throttle import Throttle
from .job_view import DOWNLOAD_DIR, JobView

__all__ = ["JobGrid"]

Label = Any  # text, a mapping of variable values, or anything else (a DataFrame cell: None, NaN, a number)
_GROUPS = {"queued": "queued", "attaching": "queued", "completed": "done", "failed": "failed", "expired": "failed",
           "canceled": "failed", "cancelled": "failed", "error": "failed"}  # anything else is still running


def label_text(label: Label) -> str | None:
    """`{"style": "noir", "subject": "cat"}` reads `style=noir, subject=cat`; None, NaN and "" read as no label.

    Labels often come from a DataFrame (a journal's `label` column), where a missing one is NaN, not None.
    """
    if isinstance(label, Mapping):
        return ", ".join(f"{name}={value}" for name, value in label.items())
    if isinstance(label, str) or not _missing(label):
        return str(label) or None
    return None


def _missing(value: Any) -> bool:
    """None, NaN (float or numpy) or pandas' NA, told apart without importing pandas."""
    if value is None:
        return True
    try:
        return bool(value != value)  # only NaN differs from itself
    except (TypeError, ValueError):  # pandas.NA: its comparisons are NA, whose truth is undefined
        return True


def _default_label(job: Job | Blocking | str) -> str | None:
    """A face swap's jobs are told apart by their avatar."""
    avatar = getattr(job, "raw", {}).get("avatar_id") if not isinstance(job, str) else None
    return f"avatar={mask_id(str(avatar))}" if avatar else None


def _outcome(future: concurrent.futures.Future[Any]) -> Any:
    """A cell's final job, or what stopped it (cancellation, or a bug of ours)."""
    if future.cancelled():
        return concurrent.futures.CancelledError()
    return future.exception() or future.result()


class JobGrid(SnapshotBox):
    """Many jobs at once. `labels` (text, or a mapping of variable values) name the cells in order.

    Cells labelled by mappings are laid out by their values: `rows=` and `cols=` name the variables down and across
    (default: the first two), further variables make one labelled table each; `grid.layout_plan` says where each went.
    `grid.done` is a future of every job once every cell reached its final state; `grid.views` are the cells.
    """

    def __init__(
        self,
        jobs: Sequence[Job | Blocking | str],
        labels: Sequence[Label] | None = None,
        *,
        columns: int = 3,
        preview_size: int = 256,
        timeout: float | None = None,
        client: Sume | AsyncSume | None = None,
        download_dir: str | Path = DOWNLOAD_DIR,
        static_video_bytes: int = DEFAULT_STATIC_BYTES,
        rows: str | None = None,
        cols: str | None = None,
    ) -> None:
        if labels is not None and len(labels) != len(jobs):
            raise ValueError(f"{len(labels)} labels for {len(jobs)} jobs: give one label per job")
        self.layout_plan: GridLayout = plan(list(labels) if labels is not None else [None] * len(jobs), columns, rows, cols)
        self._throttle = Throttle()
        self._board = LiveBoard()
        self.views = [
            JobView(job, preview_size=preview_size, timeout=timeout, client=client, download_dir=download_dir,
                    static_video_bytes=static_video_bytes,
                    label=label_text(labels[i]) if labels is not None else _default_label(job), throttle=self._throttle,
                    board=self._board)
            for i, job in enumerate(jobs)
        ]
        self._header = ipywidgets.HTML()
        export = ipywidgets.Button(description="Export report", icon="file-export",
                                   tooltip="Write these jobs as one standalone HTML report next to the notebook")
        export.on_click(lambda _: self.export_report())
        self._export_status = ipywidgets.HTML()
        toolbar = ipywidgets.HBox([export, self._export_status], layout=ipywidgets.Layout(align_items="center"))
        super().__init__([self._header, toolbar, *_tables(self.layout_plan, self.views)])
        self._render_header()
        self.done: concurrent.futures.Future[list[Any]] = concurrent.futures.Future()
        self.done.set_running_or_notify_cancel()
        JobView.settle_with(self)
        for view in self.views:
            view.on_change(self._cell_changed)
            view.done.add_done_callback(self._cell_done)
        if not self.views:
            self.done.set_result([])

    def counts(self) -> dict[str, int]:
        """How many cells are queued, running, done and failed."""
        found = Counter(_GROUPS.get(view.phase, "running") for view in self.views)
        return {group: found[group] for group in ("queued", "running", "done", "failed")}

    def _cell_changed(self, _view: JobView) -> None:
        self._throttle.submit(self, self._render_header)

    def _cell_done(self, _future: concurrent.futures.Future[Any]) -> None:
        if self.done.done() or not all(view.done.done() for view in self.views):
            return
        self._throttle.submit(self, self._render_header)
        self._throttle.flush()
        self._refresh_displays()
        outcomes = [_outcome(view.done) for view in self.views]
        with contextlib.suppress(concurrent.futures.InvalidStateError):  # two cells finished at the same instant
            self.done.set_result(outcomes)

    def export_report(self, directory: str | Path | None = None) -> concurrent.futures.Future[Path] | None:
        """Write the grid's jobs as one standalone HTML report (as `sume_notebook.export_report` does) into
        `directory` (default: the notebook's folder); a link to it appears in the toolbar. None for an empty grid."""
        if not self.views:
            return None

        def show(html: str) -> None:
            _dispatch.update([self._export_status], lambda: setattr(self._export_status, "value", html))

        ids = [view.job_id for view in self.views]
        return export_jobs(self.views[0].runner, ids, show, Path(directory) if directory else None)

    def credits(self) -> float | None:
        """The credits the service reserved for the cells that did not fail (its `required_credits`), None when it
        named none; a job that does not complete is refunded."""
        reserved = [view.required_credits for view in self.views if _GROUPS.get(view.phase) != "failed"]
        known = [credits for credits in reserved if credits is not None]
        return sum(known) if known else None

    def _header_parts(self) -> tuple[str, str]:
        """("4 jobs", "0 queued · 0 running · 4 done · 0 failed · 8 credits · rows: style × columns: subject")."""
        summary = [f"{n} {group}" for group, n in self.counts().items()]
        credits = self.credits()
        summary += [f"{credits:,.0f} credits"] if credits is not None else []
        summary += [self.layout_plan.legend] if self.layout_plan.legend else []
        return f"{len(self.views)} jobs", " · ".join(summary)

    def _render_header(self) -> None:
        html = header_html(self._header_parts())
        _dispatch.update([self._header], lambda: setattr(self._header, "value", html))

    def _is_static(self) -> bool:
        """The grid replaces itself once every cell is final (a cell that timed out keeps the grid live)."""
        return all(view.is_final for view in self.views)

    def _snapshot(self) -> tuple[str, str]:
        return grid_snapshot(self._header_parts(), self.layout_plan, [view._snapshot() for view in self.views])


_HEAD_STYLE = "font-weight:bold;font-size:12px;opacity:.8;align-self:center"


def _tables(layout: GridLayout, views: Sequence[JobView]) -> list[ipywidgets.Widget]:
    """One GridBox per group: a header row of the column values and a header column of the row values, when the
    grid has those axes, around the cells (an empty box where no job has those values)."""
    tables: list[ipywidgets.Widget] = []
    for group in layout.groups:
        if group.title:
            tables.append(ipywidgets.HTML(f"<b>{esc(group.title)}</b>"))
        children: list[ipywidgets.Widget] = []
        width = max((len(row) for row in group.cells), default=1)
        if group.column_values:
            if layout.row_axis:
                corner = f"{layout.row_axis} ↓ {layout.column_axis} →"
                children.append(ipywidgets.HTML(f'<span style="{_HEAD_STYLE}">{esc(corner)}</span>'))
            children += [ipywidgets.HTML(f'<div style="{_HEAD_STYLE};text-align:center">{esc(layout.column_axis)}='
                                         f"{esc(value)}</div>") for value in group.column_values]
        for value, row in zip(group.row_values or [None] * len(group.cells), group.cells, strict=True):
            if layout.row_axis:
                children.append(ipywidgets.HTML(f'<div style="{_HEAD_STYLE}">{esc(layout.row_axis)}={esc(value)}</div>'))
            children += [views[i] if i is not None else ipywidgets.HTML() for i in row]
        template = f"repeat({width}, minmax(0, 1fr))"
        if layout.row_axis:
            template = f"minmax(60px, max-content) {template}"
        tables.append(ipywidgets.GridBox(children, layout=ipywidgets.Layout(grid_template_columns=template, grid_gap="4px")))
    return tables

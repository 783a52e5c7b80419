"""`JobGrid`: a batch or a prompt matrix as one grid of labelled `JobView`s under a header of counts.

All cells share one throttle and one live board, so a grid of many jobs redraws in one tick at most ten times a
second, the status rows of every changed cell travel in one message per tick, and the header is recounted in the
same tick.
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
from ._live import LiveBoard
from ._media import DEFAULT_STATIC_BYTES
from ._snapshot import grid_snapshot
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
    ) -> None:
        if labels is not None and len(labels) != len(jobs):
            raise ValueError(f"{len(labels)} labels for {len(jobs)} jobs: give one label per job")
        self._columns = columns
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
        cells = ipywidgets.GridBox(
            self.views, layout=ipywidgets.Layout(grid_template_columns=f"repeat({columns}, minmax(0, 1fr))", grid_gap="4px")
        )
        super().__init__([self._header, cells])
        self._render_header()
        self.done: concurrent.futures.Future[list[Any]] = concurrent.futures.Future()
        self.done.set_running_or_notify_cancel()
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

    def _render_header(self) -> None:
        counts = self.counts()
        summary = " · ".join(f"{n} {group}" for group, n in counts.items())
        html = f"<b>{len(self.views)} jobs</b>: {esc(summary)}"
        _dispatch.update([self._header], lambda: setattr(self._header, "value", html))

    def _is_static(self) -> bool:
        """The grid replaces itself once every cell is final (a cell that timed out keeps the grid live)."""
        return all(view.is_final for view in self.views)

    def _snapshot(self) -> tuple[str, str]:
        return grid_snapshot(self.counts(), [view._snapshot() for view in self.views], self._columns)

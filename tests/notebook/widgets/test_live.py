"""The live status rows: the kernel sends real changes only, a grid's in one message per tick (the browser test
watches the same rows move in JupyterLab and Notebook 7 while the kernel is quiet)."""

from __future__ import annotations

import time
from collections.abc import Callable

from sume_notebook import Sume
from sume_notebook.notebook.widgets._live import LiveStatus
from sume_notebook.sandbox import SandboxHandle
from sume_notebook.widgets import JobGrid, JobView

from .conftest import Sent

WAIT = 30


def _wait_for(condition: Callable[[], bool], timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_running_job_that_reports_nothing_new_sends_no_message(
    sume: Sume, sb: SandboxHandle, messages: list[Sent]
) -> None:
    sb.configure(time_scale=1.0)  # about 4 s
    sb.add_job_fault("no_progress", type="image_generation")
    view = JobView(sume.images.generate("a quiet harbour"))
    _wait_for(lambda: view.phase == "running")
    time.sleep(0.3)  # the change to running reached the browser (one throttle tick)
    quiet_from = len(messages)
    time.sleep(1.5)  # polls continue; elapsed time and the estimate are the browser's
    assert view.phase == "running" and messages[quiet_from:] == []
    view.done.result(timeout=WAIT)
    assert len(messages) > quiet_from  # the end and the preview are real changes


def test_a_grid_sends_the_changes_of_all_its_cells_in_one_message_per_tick(
    sume: Sume, sb: SandboxHandle, messages: list[Sent]
) -> None:
    sb.configure(time_scale=0.5)  # about 2 s, progress reported on every poll
    grid = JobGrid([sume.images.generate(f"tile {i}") for i in range(6)])
    changes: list[str] = []
    for view in grid.views:
        view.on_change(lambda v: changes.append(v.phase))
    grid.done.result(timeout=WAIT)
    board = [m for m in messages if m.widget is grid._board and "cells" in m.state]
    assert {view._board for view in grid.views} == {grid._board}
    assert not [m for m in messages if isinstance(m.widget, LiveStatus)]  # the rows never change: the board does
    assert len(board) < len(changes)
    keys = {view._live.key for view in grid.views}
    assert all(set(m.state["cells"]) == keys for m in board[1:])  # the first went out as the first cell was made
    changed_together = max(
        sum(before.state["cells"][key] != after.state["cells"][key] for key in after.state["cells"])
        for before, after in zip(board[1:], board[2:])
    )
    assert changed_together >= 2  # cells that changed within one tick travelled in one message
    assert all(b.at - a.at > 0.09 for a, b in zip(board, board[2:]))  # at most ten a second (a final flush apart)
    assert all(row["completed"] for row in board[-1].state["cells"].values())

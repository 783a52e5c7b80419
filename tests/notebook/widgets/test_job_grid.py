"""`JobGrid`: labelled cells, a header of counts, one shared throttle, and a snapshot of every cell."""

from __future__ import annotations

import pytest

from sume_notebook import Sume
from sume_notebook.sandbox import SandboxHandle
from sume_notebook.widgets import JobGrid

from .conftest import Sent

WAIT = 30


def test_cells_are_labelled_and_the_header_counts_outcomes(sume: Sume, sb: SandboxHandle) -> None:
    sb.add_job_fault("failed", type="image_generation")
    labels = [{"style": style, "subject": subject} for style in ("noir", "pastel") for subject in ("cat", "fox")]
    jobs = [sume.images.generate(f"a {cell['style']} {cell['subject']}") for cell in labels]
    grid = JobGrid(jobs, labels, columns=2)
    assert grid.counts()["done"] == 0 and sum(grid.counts().values()) == 4
    finished = grid.done.result(timeout=WAIT)
    assert [job.status for job in finished] == ["failed", "completed", "completed", "completed"]
    assert grid.counts() == {"queued": 0, "running": 0, "done": 3, "failed": 1}
    assert "3 done" in grid._header.value and "1 failed" in grid._header.value
    assert [v._label for v in grid.views] == [
        "style=noir, subject=cat", "style=noir, subject=fox", "style=pastel, subject=cat", "style=pastel, subject=fox"]
    bundle = grid._repr_mimebundle_()
    assert "style=pastel, subject=fox" in bundle["text/plain"] and "1 failed" in bundle["text/plain"]
    assert bundle["text/html"].count("data:image/jpeg;base64,") == 3


def test_all_cells_share_one_throttle(sume: Sume, sb: SandboxHandle, messages: list[Sent]) -> None:
    sb.configure(time_scale=0.3)
    grid = JobGrid([sume.images.generate(f"tile {i}") for i in range(3)])
    assert len({id(view._throttle) for view in grid.views} | {id(grid._throttle)}) == 1
    grid.done.result(timeout=WAIT)
    lifetime = messages[-1].at - messages[0].at
    header = [m for m in messages if m.widget is grid._header]
    assert 1 <= len(header) <= 10 * lifetime + 3


def test_labels_must_match_the_jobs(sume: Sume) -> None:
    with pytest.raises(ValueError, match="one label per job"):
        JobGrid([sume.images.generate("one")], ["a", "b"])


def test_any_label_is_accepted(sume: Sume) -> None:
    """Labels read from a journal DataFrame may be NaN or pandas' NA (rerunning 02-prompt-iteration crashed on one)."""
    import pandas as pd

    labels = [float("nan"), None, pd.NA, 7, "", {"style": "noir"}, "a fox"]
    grid = JobGrid([sume.images.generate(f"tile {i}") for i in range(len(labels))], pd.Series(labels, dtype=object).tolist())
    assert [view._label for view in grid.views] == [None, None, None, "7", None, "style=noir", "a fox"]
    grid.done.result(timeout=WAIT)
    assert "a fox" in grid._repr_mimebundle_()["text/plain"]

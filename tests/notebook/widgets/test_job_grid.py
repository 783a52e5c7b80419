"""`JobGrid`: labelled cells, a header of counts, one shared throttle, and a snapshot of every cell."""

from __future__ import annotations

import re

import ipywidgets
import pytest

from sume_notebook import Sume
from sume_notebook.notebook.widgets.job_view import FINISHING_AT_ONCE
from sume_notebook.sandbox import SandboxHandle
from sume_notebook.widgets import JobGrid

from .conftest import Sent

WAIT = 30


def test_cells_are_labelled_and_the_header_counts_outcomes(sume: Sume, sb: SandboxHandle) -> None:
    sb.configure(time_scale=0.3)  # about 1.2 s a job: none ends while a loaded machine still builds the grid
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


def test_a_burst_of_jobs_ending_together_shows_every_preview(sume: Sume, sb: SandboxHandle) -> None:
    """More jobs end at once than views may read their results and previews at once: the rest wait their turn,
    and every cell still shows its picture, live and in the static copy."""
    sb.configure(time_scale=0.3)
    count = FINISHING_AT_ONCE + 4
    grid = JobGrid([sume.images.generate(f"tile {i}") for i in range(count)])
    finished = grid.done.result(timeout=WAIT)
    assert [job.status for job in finished] == ["completed"] * count
    assert all(isinstance(view._media.children[0], ipywidgets.Image) for view in grid.views)
    assert grid._repr_mimebundle_()["text/html"].count("data:image/jpeg;base64,") == count


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


def _placed(grid: JobGrid) -> list[list[list[str | None]]]:
    """Each table of the grid as rows of cell labels (None for an empty place)."""
    return [[[grid.views[i]._label if i is not None else None for i in row] for row in group.cells]
            for group in grid.layout_plan.groups]


def test_a_two_variable_matrix_is_rows_by_columns_with_a_legend(sume: Sume) -> None:
    labels = [{"style": style, "subject": subject} for style in ("noir", "pastel") for subject in ("cat", "fox")]
    grid = JobGrid([sume.images.generate(f"a {c['style']} {c['subject']}") for c in labels], labels, columns=3)
    assert _placed(grid) == [[["style=noir, subject=cat", "style=noir, subject=fox"],
                              ["style=pastel, subject=cat", "style=pastel, subject=fox"]]]  # 2 x 2, not 3 + 1
    assert "rows: style × columns: subject" in grid._header.value
    table = grid.children[2]
    assert table.layout.grid_template_columns == "minmax(60px, max-content) repeat(2, minmax(0, 1fr))"
    heads = [re.sub("<[^>]+>", "", w.value) for w in table.children if w not in grid.views]
    assert heads == ["style ↓ subject →", "subject=cat", "subject=fox", "style=noir", "style=pastel"]
    grid.done.result(timeout=WAIT)
    html = grid._repr_mimebundle_()["text/html"]
    assert "<th>subject=cat</th>" in html and ">style=pastel</th>" in html


def test_rows_and_cols_choose_the_axes_and_more_variables_make_groups(sume: Sume) -> None:
    labels = [{"style": s, "subject": t, "lens": lens} for s in ("noir", "pastel") for t in ("cat", "fox", "owl")
              for lens in ("35mm", "85mm")]
    jobs = [sume.images.generate(f"{c['style']} {c['subject']} {c['lens']}") for c in labels]
    grid = JobGrid(jobs, labels, rows="subject", cols="lens")
    assert grid.layout_plan.legend == "rows: subject × columns: lens; one table per style"
    assert [g.title for g in grid.layout_plan.groups] == ["style=noir", "style=pastel"]
    assert _placed(grid)[1][2] == ["style=pastel, subject=owl, lens=35mm", "style=pastel, subject=owl, lens=85mm"]
    with pytest.raises(ValueError, match="'mood' is not a variable of this grid"):
        JobGrid(jobs[:1], labels[:1], rows="mood")


def test_unlabelled_cells_fill_balanced_rows(sume: Sume) -> None:
    grid = JobGrid([sume.images.generate(f"tile {i}") for i in range(4)], columns=3)
    assert [len(row) for row in grid.layout_plan.groups[0].cells] == [2, 2]


def test_failed_cells_keep_their_place_label_and_reason_and_the_header_counts_credits(
    sume: Sume, sb: SandboxHandle
) -> None:
    sb.add_job_fault("failed", type="image_generation")
    labels = [{"style": style} for style in ("noir", "pastel", "neon")]
    jobs = [sume.images.generate(f"a {c['style']} poster") for c in labels]
    grid = JobGrid(jobs, labels)
    grid.done.result(timeout=WAIT)
    failed = grid.views[0]
    assert failed.phase == "failed" and failed in grid.children[2].children
    text = grid._repr_mimebundle_()["text/plain"]
    assert "style=noir" in text and "failed" in text
    per_job = jobs[1].raw["required_credits"]
    assert grid.credits() == 2 * per_job  # the failed job's reservation is refunded
    assert f"{2 * per_job:,.0f} credits" in grid._header.value


def test_the_toolbar_exports_the_grids_jobs_as_one_report(sume: Sume, tmp_path) -> None:
    labels = [{"tone": tone} for tone in ("warm", "cold")]
    jobs = [sume.images.generate(f"a {c['tone']} kitchen at noon") for c in labels]
    grid = JobGrid(jobs, labels)
    grid.done.result(timeout=WAIT)
    jobs[0].rate(5)
    (export,) = [w for w in grid.children[1].children if isinstance(w, ipywidgets.Button)]
    assert export.description == "Export report"
    export.click()
    report = grid._export_status  # the click started it; wait on the same work through the public method
    path = grid.export_report().result(timeout=WAIT)
    assert path.parent == tmp_path and path.name.startswith("sume-report-") and path.suffix == ".html"
    html = path.read_text(encoding="utf-8")
    assert "a warm kitchen at noon" in html and "a cold kitchen at noon" in html and 'title="5 of 5"' in html
    assert html.count("data:image/") >= 2
    assert f'href="{path.name}"' in report.value and "open the report" in report.value

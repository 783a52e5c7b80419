"""`CompareView` and `compare()`: 2 to 8 jobs side by side, each labelled by what makes it different.

As in LangSmith's compare view, the prompts' common part is shown once and each column shows its own prompt with the
differing words marked (`<mark>`), then the options that differ (aspect ratio, resolution, duration, references);
with a `baseline`, every other job is diffed against it (the words it dropped struck through). Every column is a
`JobView` at the same preview size with its review controls, so ratings are edited in place.

The view stays live while the kernel runs (its controls must stay clickable); its mimebundle also carries the static
HTML of every column and review, which is what GitHub, nbconvert and VS Code show of a saved notebook.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ipywidgets

from ..._facade import Blocking, Sume, loop_thread, unwrap
from ..._redaction import mask_id, redact, redact_url
from ...client import AsyncSume, Job
from ...client.reprs import esc
from . import _dispatch
from ._base import SnapshotBox
from ._compared import Facts, differing_options, facts_of
from ._export import export_jobs
from ._media import DEFAULT_STATIC_BYTES
from ._review_controls import ReviewControls, review_text
from ._runner import runner_for_client
from ._word_diff import Marked, common_text, common_words, marked_against, marked_against_common
from .job_view import DOWNLOAD_DIR, JobView

__all__ = ["MAX_COMPARED", "MIN_COMPARED", "CompareView", "checked", "compare"]

MIN_COMPARED, MAX_COMPARED = 2, 8
_MARK_STYLE = "<style>.sume-compare mark{background:#fde68a;padding:0 2px;border-radius:2px}</style>"

JobLike = Job | Blocking | str


def _job_id(job: JobLike) -> str:
    if isinstance(job, str):
        return job.strip()
    return str(job.id)


def checked(jobs: Sequence[JobLike], baseline: JobLike | int | None) -> tuple[list[JobLike], int | None]:
    """The jobs and the baseline's index, or a ValueError that says what to change (before any request)."""
    if isinstance(jobs, (str, Job, Blocking)):
        raise ValueError("compare takes a list of 2 to 8 jobs or job ids, not one job")
    jobs = list(jobs)
    if not MIN_COMPARED <= len(jobs) <= MAX_COMPARED:
        raise ValueError(f"compare takes {MIN_COMPARED} to {MAX_COMPARED} jobs; got {len(jobs)}")
    for job in jobs:
        if not isinstance(job, (str, Job, Blocking)) or not _job_id(job):
            raise ValueError(f"compare takes jobs or job ids; got {redact(repr(job))[:60]}")
    ids = [_job_id(job) for job in jobs]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(f"job {', '.join(repeated)} is given twice: compare each job once")
    if baseline is None:
        return jobs, None
    if isinstance(baseline, int) and not isinstance(baseline, bool):
        if not -len(jobs) <= baseline < len(jobs):
            raise ValueError(f"baseline={baseline} is not an index of the {len(jobs)} jobs")
        return jobs, baseline % len(jobs)
    wanted = _job_id(baseline) if isinstance(baseline, (str, Job, Blocking)) else None
    if wanted not in ids:
        raise ValueError(f"the baseline {redact(str(wanted or baseline))!r} is not one of the compared jobs")
    return jobs, ids.index(wanted)


class CompareView(SnapshotBox):
    """Jobs side by side: the shared prompt and options once, then one column per job labelled by its differences.

    `view.views` are the columns' `JobView`s, `view.controls` their review controls (each view's own, once its result
    is in), `view.facts` what each job was asked for; `view.common_text` the shared words (`…` where they differ),
    `view.marked` each prompt's words as runs (`changed_words` lists the highlighted ones).
    """

    def __init__(
        self,
        jobs: Sequence[JobLike],
        baseline: JobLike | int | None = None,
        *,
        client: Sume | AsyncSume | None = None,
        preview_size: int = 320,
        timeout: float | None = None,
        download_dir: str | Path = DOWNLOAD_DIR,
        static_video_bytes: int = DEFAULT_STATIC_BYTES,
    ) -> None:
        """`jobs`: 2 to 8 jobs or job ids (ids need `client`, else the environment's); `baseline`: one of them, or
        its index, to diff the others against."""
        jobs, self.baseline = checked(jobs, baseline)
        given = next((job for job in jobs if not isinstance(job, str)), None)
        if client is None and given is not None:
            client = given.client if isinstance(given, Job) else Blocking(unwrap(given).client, loop_thread())
        runner = runner_for_client(client)
        self.job_ids = [_job_id(job) for job in jobs]
        self.facts = _facts(jobs, self.job_ids, runner.client)
        prompts = [f.prompt for f in self.facts]
        self.common = common_words(prompts)
        self.common_text = common_text(prompts)
        if self.baseline is None:
            self.marked = [marked_against_common(p, self.common) for p in prompts]
        else:
            base = prompts[self.baseline]
            self.marked = [Marked(((base, False),) if base else ()) if i == self.baseline else marked_against(p, base)
                           for i, p in enumerate(prompts)]
        self.shared_options, self.differing = differing_options(self.facts)
        self.views = [
            JobView(job, client=client, preview_size=preview_size, timeout=timeout, download_dir=download_dir,
                    static_video_bytes=static_video_bytes, label=None, review_controls=True)
            for job in jobs
        ]
        columns = [
            ipywidgets.VBox([ipywidgets.HTML(self._label_html(i)), view],
                            layout=ipywidgets.Layout(min_width="0", overflow="hidden"))
            for i, view in enumerate(self.views)
        ]
        grid = ipywidgets.GridBox(columns, layout=ipywidgets.Layout(
            grid_template_columns=f"repeat({len(columns)}, minmax(0, 1fr))", grid_gap="8px"))
        export = ipywidgets.Button(description="Export report", icon="file-export",
                                   tooltip="Write these jobs as one standalone HTML report next to the notebook")
        export.on_click(lambda _: self.export_report())
        self._export_status = ipywidgets.HTML()
        self._runner = runner
        super().__init__([ipywidgets.HTML(_MARK_STYLE + self._header_html()),
                          ipywidgets.HBox([export, self._export_status]), grid])
        self.add_class("sume-compare-view")

    def export_report(self, directory: str | Path | None = None) -> concurrent.futures.Future[Path]:
        """Write the compared jobs as one standalone HTML report into `directory` (default: the notebook's folder);
        a link to it appears under the header."""

        def show(html: str) -> None:
            _dispatch.update([self._export_status], lambda: setattr(self._export_status, "value", html))

        return export_jobs(self._runner, self.job_ids, show, Path(directory) if directory else None)

    @property
    def controls(self) -> list[ReviewControls | None]:
        """Each column's review controls (None until its job's result is in)."""
        return [view.review_controls for view in self.views]

    @property
    def done(self) -> list[Any]:
        """Each column's `view.done` future."""
        return [view.done for view in self.views]

    # --- labels ---------------------------------------------------------------------------------------------------

    def _header_html(self) -> str:
        shared = " · ".join(f"{esc(name)} <b>{esc(value)}</b>" for name, value in self.shared_options.items())
        what = f"Comparing {len(self.views)} jobs" + (
            f" against the baseline {esc(mask_id(self.job_ids[self.baseline]))}" if self.baseline is not None else "")
        rows = [f"<div><b>{what}</b></div>"]
        if self.common:
            rows.append(f'<div>In every prompt: <span style="opacity:.75">{esc(self.common_text)}</span></div>')
        if shared:
            rows.append(f"<div>Same for all: {shared}</div>")
        return f'<div class="sume-compare" style="margin-bottom:6px">{"".join(rows)}</div>'

    def _label_html(self, index: int) -> str:
        facts, marked = self.facts[index], self.marked[index]
        kinds = {f.job_type for f in self.facts}
        said = [*(["baseline"] if index == self.baseline else []), *([facts.job_type] if len(kinds) > 1 else [])]
        head = f'<div style="font-size:12px;font-weight:bold">{esc(" · ".join(said))}</div>' if said else ""
        prompt = marked.html() if facts.prompt else "<i>(prompt unknown: not in this machine's journal)</i>"
        options = "".join(f"<div>{esc(name)}: <mark>{esc(value)}</mark></div>" for name, value in self.differing[index].items())
        return (f'<div class="sume-compare" style="white-space:normal;word-break:break-word;line-height:1.35">{head}'
                f"<div>{prompt}</div>{options}</div>")

    def _label_text(self, index: int) -> str:
        options = ", ".join(f"{name}={value}" for name, value in self.differing[index].items())
        base = " (baseline)" if index == self.baseline else ""
        return f"{mask_id(self.job_ids[index])}{base}: {self.marked[index].text()}" + (f" [{options}]" if options else "")

    # --- snapshot ---------------------------------------------------------------------------------------------------

    def _snapshot(self) -> tuple[str, str]:
        lines = [f"Comparing {len(self.views)} jobs"]
        if self.common:
            lines.append(f"In every prompt: {self.common_text}")
        if self.shared_options:
            lines.append("Same for all: " + ", ".join(f"{k}={v}" for k, v in self.shared_options.items()))
        cells = []
        for i, view in enumerate(self.views):
            reviewed = review_text(view.review)
            lines.append(self._label_text(i) + (f" — {reviewed}" if reviewed else ""))
            cells.append(f'<div style="min-width:0">{self._label_html(i)}{view._snapshot()[1]}</div>')
        html = (f'{_MARK_STYLE}<div class="sume-compare">{self._header_html()}<div style="display:grid;'
                f'grid-template-columns:repeat({len(cells)},minmax(0,1fr));gap:8px">{"".join(cells)}</div></div>')
        return redact("\n".join(lines)), html


def _facts(jobs: Sequence[JobLike], ids: Sequence[str], client: AsyncSume) -> list[Facts]:
    """Each job's prompt and options: from its create when this process made it, else from the journal."""
    journal = client.journal
    here = redact_url(client.base_url)
    journalled = {row["job_id"]: row for row in (journal.entries() if journal is not None else [])
                  if row["job_id"] in ids and row["base_url"] == here}
    found = []
    for job, job_id in zip(jobs, ids, strict=True):
        inner = None if isinstance(job, str) else (job if isinstance(job, Job) else unwrap(job))
        row = journalled.get(job_id, {})
        request = (inner.request if inner is not None else None) or row.get("request")
        found.append(facts_of((inner.type if inner is not None else None) or row.get("type"), request))
    return found


def compare(
    jobs_or_ids: Sequence[JobLike], baseline: JobLike | int | None = None, *, client: Sume | AsyncSume | None = None,
    preview_size: int = 320,
) -> CompareView:
    """Compare 2 to 8 jobs (or job ids) side by side; `baseline` (a job, its id or its index) is what the others
    are diffed against. Display the returned view (the last expression of a cell)."""
    return CompareView(jobs_or_ids, baseline, client=client, preview_size=preview_size)

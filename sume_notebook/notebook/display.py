"""How the magics' results appear: cards for single objects, sanitized JSON, live jobs, and text progress.

Every object shown here has `text/plain` and `text/html`, so a saved notebook reads well without a kernel, and
nothing secret reaches either: URLs lose their query, emails and workspace or user ids are masked. Live job
widgets are used only when the frontend can render them (an ipykernel shell, or `SumeMagics.widgets = "on"`);
a plain IPython terminal gets one text line per change instead.
"""

from __future__ import annotations

import concurrent.futures
import html
import json
import queue
import sys
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from IPython.display import display

from .._redaction import mask_id, sanitize
from ._prompt_matrix import MatrixLabels

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

    from .._facade import Blocking, Sume
    from ..client import Card
    from ._settings import Settings

__all__ = [
    "JSONView", "TextProgress", "card_for", "frontend_has_widgets", "interrupted_line", "show", "show_jobs",
    "wait_for_jobs",
]


class JSONView:
    """Sanitized JSON: a collapsible tree in JupyterLab, indented text elsewhere."""

    def __init__(self, data: Any) -> None:
        self.data = json.loads(json.dumps(sanitize(data), default=str))

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        text = repr(self)
        return {"application/json": self.data, "text/plain": text, "text/html": f"<pre>{html.escape(text)}</pre>"}

    def __repr__(self) -> str:
        return json.dumps(self.data, indent=2, ensure_ascii=False)


def show(obj: Any) -> None:
    """Display one object in the current output (a cell's output area, or the terminal)."""
    display(obj)


def frontend_has_widgets(shell: InteractiveShell | None, setting: str) -> bool:
    """`on`/`off` force it; `auto` means a kernel shell (ipykernel's ZMQInteractiveShell), whose frontend renders
    widgets. Decided from class names, so no kernel module is imported to find out."""
    if setting != "auto":
        return setting == "on"
    return any(c.__name__ == "ZMQInteractiveShell" and c.__module__.startswith("ipykernel") for c in type(shell).__mro__)


def card_for(obj: Any) -> Card | None:
    """The card of a client object (a blocking wrapper is looked through); None for anything else."""
    from .._facade import unwrap
    from ..client import card_of

    return card_of(unwrap(obj))


# --- jobs ------------------------------------------------------------------------------------------------------


def show_jobs(
    jobs: Sequence[Blocking], labels: Sequence[str] | None, *, widgets: bool, client: Sume, settings: Settings,
    timeout: float | None,
) -> None:
    """Live widgets (one grid for labelled jobs, else one view per job), or one text line per job."""
    if widgets:
        from .widgets import JobGrid, JobView

        shared = {"download_dir": settings.download_dir, "static_video_bytes": settings.static_video_bytes}
        if isinstance(labels, MatrixLabels):  # a prompt matrix: cells placed by their variables' values
            show(JobGrid(list(jobs), labels=labels.values, rows=labels.rows, cols=labels.cols,
                         preview_size=min(settings.preview_size, 256), **shared))
        elif labels is not None:
            show(JobGrid(list(jobs), labels=list(labels), preview_size=min(settings.preview_size, 256), **shared))
        elif len(jobs) > 1:  # one create, several jobs (a face swap's avatars): one grid, each cell named
            show(JobGrid(list(jobs), labels=_avatar_labels(client, jobs), preview_size=min(settings.preview_size, 256),
                         **shared))
        else:
            for job in jobs:
                show(JobView(job, preview_size=settings.preview_size, timeout=timeout, client=client, **shared))
        return
    for i, job in enumerate(jobs):
        label = f"  [{labels[i]}]" if labels is not None else ""
        print(f"Job {job.id} ({job.type}) {job.status}{label}")
    if not all(job.is_terminal for job in jobs):
        first = jobs[0].id
        print(f"It keeps running; follow it with `%sume jobs wait {first}`." if len(jobs) == 1 else
              f"They keep running; follow one with `%sume jobs wait {first}`, or see `%sume pending`.")


def _avatar_labels(client: Sume, jobs: Sequence[Blocking]) -> list[dict[str, str]] | None:
    """`{"avatar": "Mia"}` per job of a face swap, read once per avatar (its masked id if it cannot be read)."""
    from ..client import SumeError

    ids = [job.raw.get("avatar_id") for job in jobs]
    if not all(ids):
        return None
    names: dict[str, str] = {}
    for avatar_id in dict.fromkeys(ids):
        try:
            names[avatar_id] = client.avatars.get(avatar_id).name or mask_id(avatar_id)
        except SumeError:
            names[avatar_id] = mask_id(avatar_id)
    return [{"avatar": names[avatar_id]} for avatar_id in ids]


class TextProgress:
    """One line per change of a job's status, and per quarter of progress while it runs."""

    def __init__(self, jobs: Sequence[Any], labels: Sequence[str] | None) -> None:
        self._labels = {job.id: f"  [{labels[i]}]" if labels is not None else "" for i, job in enumerate(jobs)}
        self._seen: dict[str, tuple[str, int]] = {}
        self._started = time.monotonic()

    def update(self, job: Any) -> None:
        quarter = int((job.progress or 0) * 4) if not job.is_terminal else 4
        state = (job.status, quarter)
        if self._seen.get(job.id) == state:
            return
        self._seen[job.id] = state
        progress = f" {job.progress:.0%}" if job.progress is not None and not job.is_terminal else ""
        elapsed = time.monotonic() - self._started
        print(f"{job.id} {job.status}{progress} ({elapsed:.1f} s){self._labels.get(job.id, '')}", flush=True)


def interrupted_line(job_ids: Sequence[str], prog: str = "%sume") -> str:
    """What an interrupted wait says: the work goes on, and the one command (of `prog`) that picks it up again."""
    if len(job_ids) == 1:
        return f"Stopped waiting; {job_ids[0]} keeps running: pick it up with `{prog} jobs attach {job_ids[0]}`."
    listed = ", ".join(job_ids[:4]) + (", …" if len(job_ids) > 4 else "")
    return (f"Stopped waiting; {len(job_ids)} jobs keep running ({listed}): pick one up with "
            f"`{prog} jobs attach ID`, or see them all with `{prog} pending`.")


def wait_for_jobs(
    client: Sume, jobs: Iterable[Blocking], timeout: float | None, progress: Any = None, prog: str = "%sume"
) -> list[BaseException | None]:
    """Wait for every job at once on the library loop; report each change to `progress` (a `Presenter.progress`,
    None for none) from this thread.

    Returns each job's failure (`JobFailedError`, `JobTimeoutError`, ...) or None. Ctrl-C stops the wait only.
    """
    from .._facade import unwrap

    jobs = list(jobs)
    updates: queue.SimpleQueue[Any] = queue.SimpleQueue()
    on_update = updates.put if progress is not None else None
    futures = [client.spawn(unwrap(job).wait(timeout, on_update=on_update)) for job in jobs]
    if progress is not None:
        for job in jobs:
            progress.update(job)
    try:
        pending: set[concurrent.futures.Future[Any]] = set(futures)
        while pending:
            _, pending = concurrent.futures.wait(pending, timeout=0.1)
            while progress is not None and not updates.empty():
                progress.update(updates.get())
    except KeyboardInterrupt:
        for future in futures:
            future.cancel()
        print(interrupted_line([job.id for job in jobs], prog), file=sys.stderr)
        raise
    if progress is not None:
        for job in jobs:
            progress.update(job)
    return [future.exception() for future in futures]

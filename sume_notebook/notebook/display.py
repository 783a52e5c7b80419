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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from IPython.display import display

from .._journal import _sanitize
from .._redaction import mask_id, redact, redact_url

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

    from .._facade import Blocking, Sume

__all__ = ["Card", "JSONView", "card_for", "frontend_has_widgets", "show", "show_jobs", "wait_for_jobs"]

_BORDER = {"info": "#d0d7de", "error": "#cf222e"}
_BACKGROUND = {"info": "transparent", "error": "rgba(207, 34, 46, 0.06)"}


@dataclass
class Card:
    """A titled list of label/value rows with an optional note: a compact rich view of one object or error."""

    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    note: str | None = None
    tone: str = "info"

    def _repr_html_(self) -> str:
        cells = "".join(
            f"<tr><th style='text-align:left;padding:1px 12px 1px 0;font-weight:500;color:#57606a'>{html.escape(k)}</th>"
            f"<td style='text-align:left;padding:1px 0'>{html.escape(v)}</td></tr>"
            for k, v in self.rows
        )
        note = f"<div style='margin-top:4px;color:#57606a'>{html.escape(self.note)}</div>" if self.note else ""
        return (
            f"<div class='sume-card sume-{self.tone}' style='border:1px solid {_BORDER[self.tone]};border-radius:6px;"
            f"background:{_BACKGROUND[self.tone]};padding:6px 12px;margin:2px 0;max-width:720px'>"
            f"<div style='font-weight:600;margin-bottom:2px'>{html.escape(self.title)}</div>"
            f"<table style='border-collapse:collapse;margin:0'>{cells}</table>{note}</div>"
        )

    def __repr__(self) -> str:
        width = max((len(k) for k, _ in self.rows), default=0)
        lines = [self.title, *(f"  {k.ljust(width)}  {v}" for k, v in self.rows)]
        return "\n".join(lines + ([self.note] if self.note else []))


class JSONView:
    """Sanitized JSON: a collapsible tree in JupyterLab, indented text elsewhere."""

    def __init__(self, data: Any) -> None:
        self.data = json.loads(json.dumps(_sanitize(data), default=str))

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


# --- cards -----------------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return redact_url(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat(timespec="seconds")
    return redact(value)


def _rows(*pairs: tuple[str, Any]) -> list[tuple[str, str]]:
    """Label/value rows without the empty ones, every value made safe to show."""
    return [(label, _text(value)) for label, value in pairs if value not in (None, "", [], {})]


def _seconds(start: Any, end: Any) -> str | None:
    return None if start is None or end is None else f"{start:g}–{end:g} s"


def _job_rows(job: Any) -> list[tuple[str, str]]:
    progress = f"{job.progress:.0%}" if job.progress is not None and not job.is_terminal else None
    error = f"{job.error.code or ''} {job.error.message or ''}".strip() if job.error else None
    return _rows(("id", job.id), ("type", job.type), ("status", job.status), ("progress", progress),
                 ("created", job.created_at), ("completed", job.completed_at), ("error", error))


def _output_line(output: Any) -> str:
    size = f"{output.width}×{output.height}" if output.width and output.height else None
    length = f"{output.duration_seconds:g} s" if output.duration_seconds else None
    return "  ".join(p for p in (output.content_type, size, length, redact_url(output.url)) if p)


def card_for(obj: Any) -> Card | None:
    """The card of a client object (a blocking wrapper is looked through); None for anything else."""
    obj = getattr(obj, "__wrapped__", obj)
    kind = type(obj).__name__
    if kind == "Credits":
        active = f"{obj.active_generations or 0} of {obj.max_active_generations}" if obj.max_active_generations else None
        return Card("Sume credits", _rows(("plan", obj.plan), ("remaining", obj.remaining_credits),
                                          ("monthly", obj.monthly_credits), ("bonus", obj.bonus_credits),
                                          ("active jobs", active)))
    if kind == "Account":
        user, workspace, key = obj.user or {}, obj.workspace or {}, obj.api_key or {}
        email = user.get("email")
        return Card("Sume account", _rows(
            ("user", user.get("name")), ("email", f"{email[0]}…@…" if email else None),
            ("workspace", f"{workspace.get('name') or ''} ({mask_id(workspace.get('id'))})"),
            ("API key", f"{key.get('name') or ''} ({key.get('prefix') or '…'})"), ("key last used", key.get("last_used_at"))))
    if kind == "Brand":
        captions = [img.caption or redact_url(img.reference_url) for img in obj.images or []]
        return Card(f"Brand DNA: {obj.name or obj.id}", _rows(("id", obj.id), ("description", obj.description),
                                                            ("reference images", captions)))
    if kind == "Avatar":
        able = [name for name, ok in (obj.capabilities or {}).items() if ok]
        return Card(f"Avatar: {obj.name or obj.id}", _rows(("id", obj.id), ("slug", obj.slug), ("visibility", obj.visibility),
                                                          ("can do", able), ("preview", obj.preview_image_url)))
    if kind == "Asset":
        return Card(f"Scene {obj.id}", _rows(
            ("segment", obj.segment_type), ("source", obj.source_type), ("time", _seconds(obj.start_seconds, obj.end_seconds)),
            ("description", obj.description), ("tags", obj.tags), ("brands", obj.brands), ("products", obj.products),
            ("call to action", obj.cta_present), ("score", obj.search_score), ("preview", obj.preview_url)))
    if kind == "Job":
        return Card("Sume job", _job_rows(obj))
    if kind == "JobResult":
        analysis = obj.analysis
        rows = _job_rows(obj.job) + _rows(*((f"output {o.index}", _output_line(o)) for o in obj.outputs))
        if analysis is not None:
            rows += _rows(("platform", analysis.platform), ("duration", analysis.duration_seconds),
                          ("summary", analysis.summary), ("hook", (analysis.hook or {}).get("text")),
                          ("scenes", len(analysis.scenes or [])), ("tags", analysis.tags))
        return Card("Sume job result", rows)
    if kind == "AssetUpload":
        return Card("Asset Library upload", _rows(("id", obj.id), ("status", obj.status), ("job", obj.job_id)),
                    note="Its scenes become searchable when the processing job completes.")
    return None


# --- jobs ------------------------------------------------------------------------------------------------------


def show_jobs(
    jobs: Sequence[Blocking], labels: Sequence[str] | None, *, widgets: bool, client: Sume, preview_size: int,
    timeout: float | None,
) -> None:
    """Live widgets (one grid for labelled jobs, else one view per job), or one text line per job."""
    if widgets:
        from .widgets import JobGrid, JobView

        if labels is not None:
            show(JobGrid(list(jobs), labels=list(labels), preview_size=min(preview_size, 256)))
        else:
            for job in jobs:
                show(JobView(job, preview_size=preview_size, timeout=timeout, client=client))
        return
    for i, job in enumerate(jobs):
        label = f"  [{labels[i]}]" if labels is not None else ""
        print(f"Job {job.id} ({job.type}) {job.status}{label}")
    if not all(job.is_terminal for job in jobs):
        first = jobs[0].id
        print(f"It keeps running; follow it with `%sume jobs wait {first}`." if len(jobs) == 1 else
              f"They keep running; follow one with `%sume jobs wait {first}`, or see `%sume pending`.")


class _TextProgress:
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


def wait_for_jobs(
    client: Sume, jobs: Iterable[Blocking], labels: Sequence[str] | None, timeout: float | None, *, text: bool
) -> list[BaseException | None]:
    """Wait for every job at once on the library loop; print text progress from this thread when asked.

    Returns each job's failure (`JobFailedError`, `JobTimeoutError`, ...) or None. Ctrl-C stops the wait only.
    """
    jobs = list(jobs)
    updates: queue.SimpleQueue[Any] = queue.SimpleQueue()
    progress = _TextProgress(jobs, labels) if text else None
    on_update = updates.put if text else None
    futures = [client.spawn(job.__wrapped__.wait(timeout, on_update=on_update)) for job in jobs]
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
        print("Stopped waiting; the job keeps running (see `%sume pending`).", file=sys.stderr)
        raise
    if progress is not None:
        for job in jobs:
            progress.update(job)
    return [future.exception() for future in futures]

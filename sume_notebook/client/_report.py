"""`write_report`: hand the result of an afternoon to someone without Jupyter.

One HTML file (`_report_html`) with every job's stills, prompt, options, review, cost and times, made from jobs,
job ids or a `history()` frame (`_report_data`). With `zip=True`, a zip beside it also holds the full files under
readable names, the report linking to them, and `manifest.csv`: one row per file (a failed job: one row without a
file), for a spreadsheet or a script.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import FieldError, InvalidRequestError
from ._report_data import ReportItem, collect
from ._report_html import render_report

if TYPE_CHECKING:
    from ._client import AsyncSume

__all__ = ["MANIFEST_COLUMNS", "write_report"]

MANIFEST_COLUMNS = ("job_id", "file", "kind", "prompt", "options", "rating", "starred", "tags", "note", "credits",
                    "credits_estimated", "created_at", "finished_at", "status", "reason")


def _manifest(items: Sequence[ReportItem]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, MANIFEST_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item in items:
        common: dict[str, Any] = {
            "job_id": item.job_id or "", "prompt": item.prompt or "", "status": item.status,
            "options": json.dumps(item.options, ensure_ascii=False, default=str) if item.options else "",
            "rating": item.review.rating or "", "starred": item.review.starred, "tags": ",".join(item.review.tags),
            "note": item.review.note, "credits": "" if item.credits is None else f"{item.credits:g}",
            "credits_estimated": item.credits_estimated if item.credits is not None else "",
            "created_at": item.created_at.isoformat() if item.created_at else "",
            "finished_at": item.finished_at.isoformat() if item.finished_at else "", "reason": item.reason or "",
        }
        files = [f for f in item.files if f.path is not None] or [None]
        for file in files:
            writer.writerow(common | {"file": f"files/{file.name}" if file else "", "kind": file.kind if file else ""})
    return out.getvalue()


def _write_zip(items: Sequence[ReportItem], target: Path, report_name: str, linked_html: str) -> None:
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w") as archive:
        archive.writestr(report_name, linked_html, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("manifest.csv", _manifest(items), compress_type=zipfile.ZIP_DEFLATED)
        written = set()
        for file in (f for item in items for f in item.files if f.path is not None and f.name not in written):
            written.add(file.name)
            archive.write(file.path, f"files/{file.name}", compress_type=zipfile.ZIP_STORED)  # media is compressed
    partial.replace(target)


async def write_report(jobs_or_history: Any, path: str | Path, *, client: AsyncSume | None = None, zip: bool = False,  # noqa: A002
                       title: str | None = None) -> Path:
    """Write one standalone HTML report of `jobs_or_history` (Jobs, JobResults, job ids or a `history()` frame) to
    `path`; return its path. With `zip=True`, also `path` with `.zip`: the report, the full files and
    `manifest.csv`. Media comes from files the journal saw downloaded, else through `client` (a Job's own client;
    for ids and frames, `client` or one made from the environment)."""
    path = Path(path).expanduser()
    if path.suffix.lower() not in (".html", ".htm"):
        raise InvalidRequestError([FieldError("path", f"must name an HTML file, like report.html (got {str(path)!r})")])
    path.parent.mkdir(parents=True, exist_ok=True)
    title = title or f"Sume report, {datetime.now():%Y-%m-%d %H:%M}"
    with tempfile.TemporaryDirectory(prefix="sume-report-") as scratch:
        items = await collect(jobs_or_history, client, full_files=Path(scratch) if zip else None)
        if not items:
            raise InvalidRequestError([FieldError("jobs_or_history", "is empty: give jobs, job ids or history() rows")])
        await asyncio.to_thread(path.write_text, render_report(items, title), "utf-8")
        if zip:
            await asyncio.to_thread(_write_zip, items, path.with_suffix(".zip"), path.name,
                                    render_report(items, title, linked=True))
    return path

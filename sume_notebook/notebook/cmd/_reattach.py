"""Re-running an identical command while its job still runs re-attaches to that job: no second job, no charge.

This kernel remembers what each request started (`Session.recent`); after a restart the journal still knows the
accepted requests whose jobs had not finished, so an identical body found there is attached too. A job that has
ended no longer counts: running the command again then creates a new one, as `--new` always does.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..._redaction import redact_url, sanitize
from ...client import KINDS, NotFoundError, default_journal, endpoint_for
from ._requests import Request

if TYPE_CHECKING:
    from ..._facade import Blocking, Sume
    from .._session import Session

__all__ = ["find_running", "identity", "remember"]


def identity(client: Sume, request: Request) -> tuple[str, ...]:
    """What makes two requests identical: target, kind, options, and a local source file's path, size and time."""
    spec: dict[str, Any] = dict(request.kwargs, brand_references=request.brand_references)
    if request.source_file is not None:
        stat = request.source_file.stat()
        spec["source_video_url"] = [str(request.source_file.resolve()), stat.st_size, stat.st_mtime_ns]
    return (client.base_url, client.key_fingerprint, request.kind, json.dumps(spec, sort_keys=True, default=str))


def remember(session: Session, client: Sume, request: Request, jobs: list[Blocking]) -> None:
    session.recent[identity(client, request)] = jobs


def _still_running(jobs: list[Blocking]) -> bool:
    for job in jobs:
        if not job.is_terminal:
            job.refresh()
    return any(not job.is_terminal for job in jobs)


def _from_journal(client: Sume, request: Request, body: dict[str, Any]) -> list[Blocking] | None:
    """The jobs of the latest identical request the journal saw accepted and not yet finished."""
    wanted = json.loads(json.dumps(sanitize(body)))
    base_url = redact_url(client.base_url)
    kind = KINDS[request.kind]
    pending = [e for e in default_journal().pending()
               if e.id is not None and endpoint_for(e.kind) is kind and e.base_url == base_url and e.request == wanted]
    if not pending:
        return None
    latest = pending[-1].idempotency_key
    jobs = []
    for entry in pending:
        if entry.idempotency_key == latest:
            try:
                jobs.append(client.jobs.attach(entry.id))
            except NotFoundError:  # journalled under another key of the same service
                return None
    return jobs if any(not job.is_terminal for job in jobs) else None


def find_running(session: Session, client: Sume, request: Request, body: dict[str, Any]) -> list[Blocking] | None:
    """The job(s) of an identical request that are still running, if any."""
    jobs = session.recent.get(identity(client, request))
    if jobs is not None:
        return jobs if _still_running(jobs) else None
    if request.source_file is not None:  # the uploaded URL differs on every run: only this kernel can tell
        return None
    return _from_journal(client, request, body)

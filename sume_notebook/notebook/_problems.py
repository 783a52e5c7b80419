"""The one place where an exception becomes what a person sees: a title, the details support needs, what to do.

The magics' error boxes and the widgets' problem boxes are both `problem_from(error)`, so one exception reads the
same (one title, one box style) wherever it surfaces. Only the way to wait again differs: a magic names the
`%sume jobs wait` line, a widget its own `.watch()`, the console `sume jobs wait`. As the seeds ask of a report to
Sume, a box names the sanitized endpoint (method and path template, never an id or query) or the job id, and the
request id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..client import (
    AmbiguousCreateError,
    APIConnectionError,
    APIError,
    Card,
    InvalidRequestError,
    JobFailedError,
    JobTimeoutError,
    SumeError,
)

__all__ = ["MAGIC_WAIT_AGAIN", "WIDGET_WAIT_AGAIN", "Problem", "endpoint", "problem_from"]

MAGIC_WAIT_AGAIN = "wait again with `%sume jobs wait {job_id}`"
WIDGET_WAIT_AGAIN = "call .watch() on this view to follow it again"

_OUTCOME_ADVICE = {
    "failed": "Change the prompt or options and generate again; if it keeps failing, give Sume support the job "
              "and request ids.",
    "expired": "The service gave up before the job finished. Generate again; a shorter or lower-resolution job "
               "finishes sooner.",
    "canceled": "The job was canceled on the service. Generate again if you still need it.",
}


@dataclass(frozen=True)
class Problem:
    """What went wrong, as one error box; `status` is the outcome a widget shows with it (failed, timed out, ...)."""

    title: str
    details: tuple[tuple[str, str], ...]
    advice: str
    status: str

    def card(self) -> Card:
        return Card(self.title, self.details, note=f"What to do: {self.advice}", tone="error")

    def html(self) -> str:
        return self.card().html()

    def text(self) -> str:
        return self.card().text()

    def _repr_html_(self) -> str:
        return self.html()

    def __repr__(self) -> str:
        return self.text()


_ID_SEGMENT = re.compile(r"^/(jobs|avatars|assets)/[^/?]+")
_ID_NAMES = {"jobs": "{jobId}", "avatars": "{avatarId}", "assets": "{assetId}"}


def endpoint(method: str | None, path: str | None) -> str:
    """`GET /jobs/{jobId}/result` for `GET /jobs/job_abc/result?x=1`: the route, without ids or query."""
    if not method or not path:
        return ""
    route = _ID_SEGMENT.sub(lambda m: f"/{m.group(1)}/{_ID_NAMES[m.group(1)]}", path.split("?", 1)[0])
    return f"{method} {route}"


def _split(message: str) -> tuple[str, str]:
    """The client's messages are "what happened\\nwhat to do"."""
    first, _, rest = message.partition("\n")
    return first, rest.strip()


def problem_from(error: BaseException, *, wait_again: str = MAGIC_WAIT_AGAIN) -> Problem:
    """The problem to show for an exception; `wait_again` says how to resume waiting (it may name `{job_id}`)."""
    if isinstance(error, JobFailedError):
        status = "canceled" if error.status == "cancelled" else error.status
        details = (("job", error.job_id), ("code", error.code or ""), ("message", error.message or ""),
                   ("request id", error.request_id or ""))
        advice = _OUTCOME_ADVICE.get(status, _OUTCOME_ADVICE["failed"])
        return Problem(f"Job {status}", details, advice, status if status in _OUTCOME_ADVICE else "failed")
    if isinstance(error, JobTimeoutError):
        details = (("job", error.job_id), ("last status", error.status))
        advice = f"The job keeps running on the service: {wait_again.format(job_id=error.job_id)}."
        return Problem(f"Still running: stopped waiting after {error.timeout:g} s", details, advice, "timed out")
    if isinstance(error, InvalidRequestError):
        details = tuple((f.field, f.message) for f in error.fields)
        return Problem("Invalid request: nothing was sent", details, "Fix the fields named above and try again.", "error")
    if isinstance(error, APIError):
        title = " ".join(str(p) for p in ("Sume API error", error.status, error.code) if p)
        details = (("endpoint", endpoint(error.method, error.path)), ("message", error.message),
                   ("fields", "; ".join(str(f) for f in error.fields)), ("request id", error.request_id or ""))
        return Problem(title, details, error.hint, "error")
    what, todo = _split(str(error))
    if isinstance(error, AmbiguousCreateError):
        details = (("what happened", what), ("request id", error.request_id or ""),
                   ("idempotency key", error.idempotency_key))
        return Problem("Not sure the job was created", details,
                       "Check `%sume pending` and `%sume jobs list` before running it again.", "error")
    if isinstance(error, APIConnectionError):
        return Problem("Could not reach the Sume API", (("endpoint", endpoint(error.method, error.path)),
                                                        ("what happened", what)), todo or "Try again.", "error")
    title = "Sume error" if isinstance(error, SumeError) else type(error).__name__
    return Problem(title, (("what happened", what),), todo or "Try again.", "error")

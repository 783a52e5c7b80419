"""What a widget shows when something went wrong: what happened, the details support needs, and what to do next."""

from __future__ import annotations

from dataclasses import dataclass

from ..._html import error_box
from ..._redaction import mask_id, redact
from ...client._errors import APIError, InvalidRequestError, JobFailedError, JobTimeoutError, SumeError

__all__ = ["Problem", "problem_from"]

_OUTCOME_ADVICE = {
    "failed": "Change the prompt or options and generate again; if it keeps failing, give Sume support the job "
              "and request ids.",
    "expired": "The service gave up before the job finished. Generate again; a shorter or lower-resolution job "
               "finishes sooner.",
    "canceled": "The job was canceled on the service. Generate again if you still need it.",
}


@dataclass(frozen=True)
class Problem:
    title: str
    details: tuple[tuple[str, str], ...]
    advice: str
    status: str  # the pill shown with it: failed, expired, canceled, timed out, error

    def html(self) -> str:
        return error_box(self.title, self.details, self.advice)

    def text(self) -> str:
        lines = [self.title, *(f"  {name}: {value}" for name, value in self.details if value), self.advice]
        return redact("\n".join(lines))


def problem_from(error: SumeError) -> Problem:
    """The problem to show for an exception raised while watching or loading."""
    if isinstance(error, JobFailedError):
        status = "canceled" if error.status == "cancelled" else error.status
        details = (("code", error.code or ""), ("message", error.message), ("job", mask_id(error.job_id)),
                   ("request", error.request_id or ""))
        advice = _OUTCOME_ADVICE.get(status, _OUTCOME_ADVICE["failed"])
        return Problem(f"Job {status}", details, advice, status if status in _OUTCOME_ADVICE else "failed")
    if isinstance(error, JobTimeoutError):
        details = (("job", mask_id(error.job_id)), ("last status", error.status))
        advice = "The job keeps running on the service: call .watch() on this view to follow it again."
        return Problem(f"Stopped waiting after {error.timeout:g} s", details, advice, "timed out")
    if isinstance(error, InvalidRequestError):
        details = tuple((f.field, f.message) for f in error.fields)
        return Problem("Invalid request: nothing was sent", details, "Fix the fields named above and try again.", "error")
    if isinstance(error, APIError):
        title = " ".join(str(p) for p in (error.status, error.code) if p) or "API error"
        details = (("message", error.message), ("request", error.request_id or ""))
        return Problem(title, details, error.hint, "error")
    first, _, rest = str(error).partition("\n")
    return Problem(type(error).__name__, (("message", first),), rest or "Try again.", "error")

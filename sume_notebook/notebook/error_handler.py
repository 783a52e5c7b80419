"""The one place where exceptions become what a person sees in a notebook.

A bad line is IPython's `UsageError` (usage line and what was wrong, no traceback). A refused request, an API
error, a failed or timed-out job becomes a compact error box with the status, code, message, request id and what
to do; the cell itself completes, as with bigquery-magics. Anything else is a bug of ours and keeps its traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from IPython.core.error import UsageError

from ._parsing import HelpShown
from .display import Card, show

if TYPE_CHECKING:
    from ..client import SumeError

__all__ = ["error_card", "handles_errors", "invalid_request"]

F = TypeVar("F", bound=Callable[..., Any])


def _split(message: str) -> tuple[str, str | None]:
    """The client's messages are "what happened\\nwhat to do"."""
    first, _, rest = message.partition("\n")
    return first, rest.strip() or None


def _box(title: str, rows: list[tuple[str, Any]], todo: str | None) -> Card:
    kept = [(label, str(value)) for label, value in rows if value not in (None, "")]
    return Card(title, kept, note=f"What to do: {todo}" if todo else None, tone="error")


def error_card(exc: SumeError) -> Card:
    """The error box of one of the client's exceptions."""
    from ..client import AmbiguousCreateError, APIConnectionError, APIError, JobFailedError, JobTimeoutError

    if isinstance(exc, APIError):
        fields = "; ".join(str(f) for f in exc.fields)
        return _box("Sume API error", [("status", exc.status), ("code", exc.code), ("message", exc.message),
                                       ("fields", fields), ("request id", exc.request_id)], exc.hint)
    if isinstance(exc, JobFailedError):
        return _box("Sume job did not complete", [("job", exc.job_id), ("status", exc.status), ("code", exc.code),
                                                   ("message", exc.message), ("request id", exc.request_id)],
                    "keep the job id for support; run the command again to create a new job.")
    if isinstance(exc, JobTimeoutError):
        return _box("Still running", [("job", exc.job_id), ("status", exc.status), ("waited", f"{exc.timeout:g} s")],
                    f"the job keeps running: wait again with `%sume jobs wait {exc.job_id}`.")
    what, todo = _split(str(exc))
    if isinstance(exc, AmbiguousCreateError):
        return _box("Not sure the job was created", [("what happened", what), ("request id", exc.request_id)],
                    "check `%sume pending` and `%sume jobs list` before running it again.")
    title = "Could not reach the Sume API" if isinstance(exc, APIConnectionError) else "Sume error"
    return _box(title, [("what happened", what)], todo)


def invalid_request(usage: str | None, fields: list[tuple[str, str]]) -> UsageError:
    """A request the client refused before sending: the usage line and every bad option at once."""
    listed = "\n".join(f"  {name}: {message}" for name, message in fields)
    return UsageError("\n".join(p for p in (usage, f"Nothing was sent. Fix:\n{listed}") if p))


def handles_errors(method: F) -> F:
    """Wrap a magic: `--help` ends quietly, client errors become an error box, usage errors and bugs propagate."""

    @functools.wraps(method)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except HelpShown:
            return None
        except UsageError:
            raise
        except Exception as exc:
            from ..client import InvalidRequestError, SumeError

            if isinstance(exc, InvalidRequestError):
                raise invalid_request(None, [(f.field, f.message) for f in exc.fields]) from None
            if not isinstance(exc, SumeError):
                raise
            show(error_card(exc))
            return None

    return run  # type: ignore[return-value]

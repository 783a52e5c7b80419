"""The one place where exceptions become what a person sees in a notebook.

A bad line is IPython's `UsageError` (usage line and what was wrong, no traceback). A refused request, an API
error, a failed or timed-out job becomes the error box of `problem_from` (status, code, message, request id and
what to do); the cell itself completes, as with bigquery-magics. Anything else is a bug of ours and keeps its
traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from IPython.core.error import UsageError

from ._parsing import HelpShown
from .display import show

__all__ = ["handles_errors", "invalid_request"]

F = TypeVar("F", bound=Callable[..., Any])


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
            from ..client import InvalidRequestError, SumeError  # loaded by the first failing command, not %load_ext
            from ._problems import problem_from

            if isinstance(exc, InvalidRequestError):
                raise invalid_request(None, [(f.field, f.message) for f in exc.fields]) from None
            if not isinstance(exc, SumeError):
                raise
            show(problem_from(exc))
            return None

    return run  # type: ignore[return-value]

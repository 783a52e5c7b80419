"""One exception hierarchy under `SumeError`, and the translation of an HTTP answer into it.

Every message is short, says what to do next and carries the request id; secrets are masked before a message
is built, so an exception can be printed, logged or shown in a notebook as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from .._redaction import redact

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AmbiguousCreateError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "DownloadError",
    "MediaTooLargeError",
    "FieldError",
    "InsufficientCreditsError",
    "InvalidRequestError",
    "JobFailedError",
    "JobTimeoutError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "SumeError",
]


class SumeError(Exception):
    """The base of everything this package raises on purpose."""


@dataclass(frozen=True)
class FieldError:
    """One rejected field: its name (`prompt`, `requests[2].duration`) and why."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def _redacted(text: str | None) -> str | None:
    return None if text is None else redact(text)


class InvalidRequestError(SumeError, ValueError):
    """The client refused a request before sending it; every bad field is listed at once."""

    def __init__(self, fields: list[FieldError]) -> None:
        self.fields = fields
        listed = "; ".join(str(f) for f in fields)
        super().__init__(redact(f"Invalid request, nothing was sent: {listed}."))


class APIError(SumeError):
    """The service answered with an error status."""

    hint = "Check the request and try again."

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        request_id: str | None = None,
        fields: list[FieldError] | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        # Everything a server said is redacted here, once: an echoed key or signature in a code, a field or a
        # request id must not reach an error box, a widget or the journal.
        self.status = status
        self.code = _redacted(code)
        self.message = redact(message)
        self.request_id = _redacted(request_id)
        self.fields = [FieldError(redact(f.field), redact(f.message)) for f in fields or []]
        self.method = method
        self.path = path
        super().__init__(self._text())

    def _text(self) -> str:
        head = " ".join(str(p) for p in (self.status, self.code) if p)
        where = f" on {self.method} {self.path}" if self.method and self.path else ""
        fields = "".join(f" [{f}]" for f in self.fields)
        rid = f" (request {self.request_id})" if self.request_id else ""
        return redact(f"{head}{where}: {self.message}{fields}{rid}\n{self.hint}")


class BadRequestError(APIError):
    hint = "The service rejected the request body; fix the fields named above."


class AuthenticationError(APIError):
    hint = "Check SUME_API_KEY (or api_key=): the key is missing, revoked or mistyped."


class InsufficientCreditsError(APIError):
    hint = "Not enough credits: check client.credits() and top up before retrying."


class PermissionDeniedError(APIError):
    hint = "This API key lacks access to this resource or action; use a key that has it."


class NotFoundError(APIError):
    hint = "Not found in this key's workspace: check the id and which key you use."


class ConflictError(APIError):
    hint = "The request conflicts with the current state (e.g. the job has not completed yet)."


class PayloadTooLargeError(APIError):
    hint = "The media is too large: use a smaller or shorter file."


class RateLimitError(APIError):
    """429: `kind` is `"active_generation"` when the workspace's concurrent-job limit was hit, else `"rate"`."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        code = kwargs.get("code") or ""
        self.kind = "active_generation" if "active" in code or "concurren" in code else "rate"
        super().__init__(message, **kwargs)

    @property
    def hint(self) -> str:  # type: ignore[override]
        wait = f"{self.retry_after:g} s" if self.retry_after is not None else "a moment"
        if self.kind == "active_generation":
            return f"Too many jobs running in this workspace: wait {wait} or for a job to finish (submit_many paces this)."
        return f"Too many requests: wait {wait} and retry."


class ServerError(APIError):
    hint = "The service or its provider failed. Reads are retried for you; before re-running a create, check client.jobs.list()."


class APIConnectionError(SumeError):
    """No usable HTTP answer: the connection failed or broke."""

    def __init__(self, message: str, *, method: str | None = None, path: str | None = None) -> None:
        self.method = method
        self.path = path
        where = f" on {method} {path}" if method and path else ""
        super().__init__(redact(f"Could not reach the Sume API{where}: {message}\nCheck the network and SUME_BASE_URL."))


class APITimeoutError(APIConnectionError):
    """The service did not answer in time."""


class JobFailedError(SumeError):
    """A job ended without output: failed, canceled or expired."""

    def __init__(self, job_id: str, status: str, code: str | None, message: str | None, request_id: str | None = None) -> None:
        self.job_id = job_id
        self.status = status
        self.code = _redacted(code)
        self.message = redact(message or "")
        self.request_id = _redacted(request_id)
        detail = f" {self.code}: {self.message}" if code or message else ""
        super().__init__(
            redact(f"Job {job_id} {status}.{detail}\nKeep the job id for support; re-create the job to try again.")
        )


class JobTimeoutError(SumeError, TimeoutError):
    """The wait ended before the job did; the job keeps running on the service."""

    def __init__(self, job_id: str, status: str, timeout: float) -> None:
        self.job_id = job_id
        self.status = status
        self.timeout = timeout
        super().__init__(
            f"Job {job_id} still {status!r} after {timeout:g} s; it keeps running on the service.\n"
            f"Wait again with job.wait() or later with client.jobs.attach({job_id!r})."
        )


class AmbiguousCreateError(SumeError):
    """A paid create was sent but its fate is unknown; it is never resent automatically."""

    def __init__(self, idempotency_key: str, cause: BaseException | str) -> None:
        self.idempotency_key = idempotency_key
        self.cause = cause
        self.request_id = getattr(cause, "request_id", None)
        reason = str(cause).split("\n", 1)[0]
        super().__init__(
            redact(
                f"The create request may or may not have been accepted ({reason}); it was not resent to avoid paying twice.\n"
                f"Check client.jobs.list() for a new job before retrying (idempotency key {idempotency_key})."
            )
        )


class DownloadError(SumeError):
    """A media download was refused (unsafe URL, too large) or broke; no file is left under the final name."""

    def __init__(self, message: str) -> None:
        super().__init__(redact(message))


class MediaTooLargeError(DownloadError):
    """Media read into memory is over the caller's cap; `size` is what the server announced, when it did."""

    def __init__(self, size: int | None, cap: int) -> None:
        self.size = size
        self.cap = cap
        super().__init__(f"larger than the {cap:,}-byte cap")


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: InsufficientCreditsError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    429: RateLimitError,
}


def retry_after_seconds(response: httpx.Response) -> float | None:
    """`Retry-After` as seconds, from either of its two forms (delta seconds or an HTTP date)."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _fields(raw: Any) -> list[FieldError]:
    """`error.fields` as `[{field, message}]`, or a FastAPI-style `detail` list of `{loc, msg}`."""
    if not isinstance(raw, list):
        return []
    out = []
    for item in raw:
        if isinstance(item, dict):
            name = item.get("field") or ".".join(str(p) for p in item.get("loc", []) if p != "body") or "?"
            out.append(FieldError(str(name), str(item.get("message") or item.get("msg") or "invalid")))
    return out


def error_from_response(response: httpx.Response, method: str | None = None, path: str | None = None) -> APIError:
    """An `APIError` subclass for an error answer, tolerant of the body shapes a real service may use."""
    body: Any = None
    try:
        body = response.json()
    except (ValueError, json.JSONDecodeError):
        pass
    err = body.get("error") if isinstance(body, dict) else None
    if not isinstance(err, dict):
        err = {"message": err} if isinstance(err, str) else {}
    top = body if isinstance(body, dict) else {}
    detail = top.get("detail")
    message = err.get("message") or top.get("message") or (detail if isinstance(detail, str) else None)
    if not message:
        text = response.text.strip() if body is None else ""
        message = text[:300] or response.reason_phrase or "error"
    code = err.get("code") or err.get("type") or top.get("code")
    request_id = response.headers.get("x-request-id") or err.get("request_id") or top.get("request_id")
    fields = _fields(err.get("fields")) or _fields(top.get("fields")) or _fields(detail)
    status = response.status_code
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else APIError)
    kwargs: dict[str, Any] = dict(
        status=status, code=code, request_id=request_id, fields=fields, method=method, path=path
    )
    if cls is RateLimitError:
        return RateLimitError(str(message), retry_after=retry_after_seconds(response), **kwargs)
    return cls(str(message), **kwargs)


def connection_error(exc: httpx.TransportError, method: str, path: str) -> APIConnectionError:
    """The public form of an httpx transport failure (the URL is not repeated: it may carry a token)."""
    cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    return cls(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__, method=method, path=path)

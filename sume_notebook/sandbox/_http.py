"""What every route needs: the caller's identity and rate limit, JSON bodies, signed URLs, list envelopes."""

from __future__ import annotations

import base64
import json
from typing import Any, Sequence

from starlette.requests import Request
from starlette.responses import JSONResponse

from ._errors import APIError, validation_error
from ._state import Principal, Sandbox
from ._validation import BodyRules

MAX_BODY_BYTES = 1024 * 1024


def sandbox_of(request: Request) -> Sandbox:
    return request.app.state.sandbox


def request_id_of(request: Request) -> str:
    return request.scope.get("state", {}).get("request_id", "req_unknown")


def authenticate(request: Request) -> Principal:
    """Bearer (preferred) or the legacy X-Api-Key header; then the key's rate limit."""
    sandbox = sandbox_of(request)
    header = request.headers.get("authorization", "")
    key = header[7:].strip() if header.lower().startswith("bearer ") else request.headers.get("x-api-key", "")
    if not key:
        raise APIError(401, "invalid_api_key", "Missing API key: send 'Authorization: Bearer <key>'.")
    principal = sandbox.principal(key)
    if principal is None:
        raise APIError(401, "invalid_api_key", "The API key is not valid.")
    wait = sandbox.rate_limiter.take(key, sandbox.settings.rate_per_second, sandbox.settings.rate_burst)
    if wait > 0:
        retry_after = max(1, round(wait + 0.5))
        raise APIError(429, "rate_limited", f"Too many requests; retry after {retry_after} s.",
                       headers={"Retry-After": str(retry_after)})
    sandbox.jobs.settle_due()
    return principal


async def json_body(request: Request, rules: BodyRules) -> dict:
    """Parse and validate a JSON object body, reporting every bad field at once."""
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise APIError(413, "payload_too_large", "The request body is larger than 1 MiB.")
    try:
        body = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise APIError(400, "invalid_request", "The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise APIError(400, "invalid_request", "The body must be a JSON object.")
    problems = rules.check(body)
    if problems:
        raise validation_error(problems)
    return body


def url_for(request: Request, path: str) -> str:
    """An absolute, signed URL on this server for a media or storage path."""
    origin = f"{request.url.scheme}://{request.url.netloc}"
    return f"{origin}{path}?token={sandbox_of(request).sign(path)}"


def encode_cursor(value: Any) -> str:
    return "cur_" + base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Any:
    try:
        if not cursor.startswith("cur_"):
            raise ValueError
        raw = cursor[4:]
        return json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except ValueError:
        raise APIError(400, "validation_error", "The cursor is not valid: pass next_cursor unchanged.",
                       fields=[{"field": "cursor", "message": "is not a cursor this API returned"}]) from None


def parse_limit(request: Request, default: int = 20, maximum: int = 100) -> int:
    raw = request.query_params.get("limit")
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise APIError(400, "validation_error", "Invalid fields: limit.",
                       fields=[{"field": "limit", "message": f"must be a whole number from 1 to {maximum}"}])
    return int(raw)


def list_response(items: Sequence[dict], next_cursor: str | None) -> JSONResponse:
    return JSONResponse({"object": "list", "data": list(items), "has_more": next_cursor is not None,
                         "next_cursor": next_cursor})


def paged(request: Request, items: Sequence[dict]) -> JSONResponse:
    """Offset paging for the short, fixed lists (brands, avatars)."""
    limit = parse_limit(request)
    cursor = request.query_params.get("cursor")
    offset = int(decode_cursor(cursor).get("offset", 0)) if cursor else 0
    page = items[offset:offset + limit]
    more = offset + limit < len(items)
    return list_response(page, encode_cursor({"offset": offset + limit}) if more else None)

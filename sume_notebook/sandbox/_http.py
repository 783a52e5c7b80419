"""What every route needs: the caller's identity and rate limit, JSON bodies, signed URLs, list envelopes."""

from __future__ import annotations

import re
from typing import Any, Sequence

from starlette.requests import Request

from ._cursors import decode_offset_cursor, encode_cursor
from ._errors import APIError, validation_error
from ._json_input import JSONInputError, parse_json
from ._json_output import APIJSONResponse
from ._state import Principal, Sandbox
from ._validation import BodyRules

MAX_BODY_BYTES = 1024 * 1024
DIGITS = re.compile(r"[0-9]{1,18}")  # str.isdigit() also takes "²", which int() refuses


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
    body = read_json(raw or b"null")
    if not isinstance(body, dict):
        raise APIError(400, "invalid_request", "The body must be a JSON object.")
    problems = rules.check(body)
    if problems:
        raise validation_error(problems)
    return body


def read_json(raw: bytes) -> Any:
    """A strictly parsed body (see `_json_input`), or the contract's 400 saying what is wrong with it."""
    try:
        return parse_json(raw)
    except JSONInputError as error:
        if error.field:
            raise validation_error([{"field": error.field, "message": str(error)}]) from None
        raise APIError(400, "invalid_request", f"The body {error}.") from None


def origin_of(request: Request) -> str:
    """This server's origin as the caller reached it (`http://127.0.0.1:8765`)."""
    return f"{request.url.scheme}://{request.url.netloc}"


class SignedURLs:
    """Absolute, signed URLs on this server for the media paths of one answer: the request's origin and the
    sandbox are looked up once, not per URL (a page of 100 scenes holds about 300)."""

    def __init__(self, request: Request) -> None:
        self._origin = origin_of(request)
        self._sign = sandbox_of(request).sign

    def __call__(self, path: str) -> str:
        return f"{self._origin}{path}?token={self._sign(path)}"


def url_for(request: Request, path: str) -> str:
    """An absolute, signed URL on this server for a media or storage path."""
    return SignedURLs(request)(path)


def parse_limit(request: Request, default: int = 20, maximum: int = 100) -> int:
    raw = request.query_params.get("limit")
    if raw is None:
        return default
    if not DIGITS.fullmatch(raw) or not 1 <= int(raw) <= maximum:
        raise APIError(400, "validation_error", "Invalid fields: limit.",
                       fields=[{"field": "limit", "message": f"must be a whole number from 1 to {maximum}"}])
    return int(raw)


def list_response(items: Sequence[dict], next_cursor: str | None) -> APIJSONResponse:
    return APIJSONResponse({"object": "list", "data": list(items), "has_more": next_cursor is not None,
                            "next_cursor": next_cursor})


def paged(request: Request, items: Sequence[dict]) -> APIJSONResponse:
    """Offset paging for the short, fixed lists (brands, avatars)."""
    limit = parse_limit(request)
    cursor = request.query_params.get("cursor")
    offset = decode_offset_cursor(cursor) if cursor else 0
    page = items[offset:offset + limit]
    more = offset + limit < len(items)
    return list_response(page, encode_cursor({"offset": offset + limit}) if more else None)

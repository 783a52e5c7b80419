"""Cursors for the job, Brand DNA and avatar lists: opaque to a client, strictly parsed when they come back.

A cursor is `cur_` plus unpadded URL-safe base64 of a JSON payload. The client only ever echoes `next_cursor`,
but a hostile one can craft any payload, so decoding checks the alphabet, the JSON (via `_json_input`) and the
exact shape each list expects; anything else is the contract's 400, never an exception deeper in.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from typing import Any

from ._errors import APIError
from ._json_input import JSONInputError, parse_json

PREFIX = "cur_"


def encode_cursor(value: Any) -> str:
    payload = json.dumps(value, separators=(",", ":"), allow_nan=False).encode()
    return PREFIX + base64.urlsafe_b64encode(payload).decode().rstrip("=")


def _invalid() -> APIError:
    return APIError(400, "validation_error", "The cursor is not valid: pass next_cursor unchanged.",
                    fields=[{"field": "cursor", "message": "is not a cursor this API returned"}])


def _payload(cursor: str) -> Any:
    if not cursor.startswith(PREFIX):
        raise _invalid()
    body = cursor[len(PREFIX):]
    try:
        raw = base64.b64decode(body + "=" * (-len(body) % 4), altchars=b"-_", validate=True)
        return parse_json(raw)
    except (binascii.Error, ValueError, JSONInputError):
        raise _invalid() from None


def decode_offset_cursor(cursor: str) -> int:
    """The offset of a fixed list's next page: `{"offset": n}` with n a whole number >= 0."""
    payload = _payload(cursor)
    offset = payload.get("offset") if isinstance(payload, dict) and len(payload) == 1 else None
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise _invalid()
    return offset


def decode_keyset_cursor(cursor: str) -> tuple[float, str]:
    """The (created_at, id) a keyset page continues after: a finite number and a string."""
    payload = _payload(cursor)
    if not isinstance(payload, list) or len(payload) != 2:
        raise _invalid()
    moment, ident = payload
    if isinstance(moment, bool) or not isinstance(moment, (int, float)) or not math.isfinite(moment):
        raise _invalid()
    if not isinstance(ident, str):
        raise _invalid()
    return float(moment), ident

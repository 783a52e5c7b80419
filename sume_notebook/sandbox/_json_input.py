"""JSON as the sandbox reads it from a client: only what every JSON parser agrees on, and nothing it cannot store.

Python's `json` accepts `NaN`, `Infinity`, `1e999` (an infinite float) and integers no float or SQLite column
holds, recurses once per nesting level, and decodes a lone surrogate escape (`"\\ud800"`) into a string that
cannot be encoded back to UTF-8. Each of those once got into a stored job and made it unreadable, or answered a
plain-text 500; here they are refused before anything is stored.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 32
MAX_INTEGER = 2**63 - 1  # what SQLite stores, and far inside what a float holds


class JSONInputError(ValueError):
    """The text is not JSON the sandbox accepts; `field` names the value at fault when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _refuse_constant(name: str) -> float:
    raise JSONInputError(f"holds {name}, which is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONInputError(f"holds {text}, a number out of range")
    return value


def _bounded_int(text: str) -> int:
    value = int(text)
    if abs(value) > MAX_INTEGER:
        raise JSONInputError(f"holds {text[:20]}..., a number out of range")
    return value


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _printable(key: str) -> str:
    return key.encode("utf-8", "backslashreplace").decode("utf-8")


def _check_tree(value: Any) -> None:
    """Refuse nesting deeper than MAX_DEPTH and text that is not valid Unicode, without recursion."""
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            if not _is_text(item):
                raise JSONInputError("holds a lone surrogate: it is not valid Unicode text", path or None)
            continue
        if not isinstance(item, (dict, list)):
            continue
        if depth >= MAX_DEPTH:
            raise JSONInputError(f"is nested deeper than {MAX_DEPTH} levels")
        if isinstance(item, list):
            stack.extend((child, f"{path}[{index}]", depth + 1) for index, child in enumerate(item))
            continue
        for key, child in item.items():
            child_path = f"{path}.{_printable(key)}" if path else _printable(key)
            if not _is_text(key):
                raise JSONInputError("is a name with a lone surrogate: it is not valid Unicode text", child_path)
            stack.append((child, child_path, depth + 1))


def parse_json(raw: bytes | str) -> Any:
    """Parse strictly: JSONInputError for invalid JSON, non-finite numbers, deep nesting or broken text."""
    try:
        value = json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite_float,
                           parse_int=_bounded_int)
    except JSONInputError:
        raise
    except RecursionError:
        raise JSONInputError(f"is nested deeper than {MAX_DEPTH} levels") from None
    except (ValueError, UnicodeDecodeError):
        raise JSONInputError("is not valid JSON") from None
    _check_tree(value)
    return value


def readable(value: Any) -> Any:
    """A stored value made safe to answer with: non-finite numbers become None, a lone surrogate "?".

    Input is refused before it is stored (`parse_json`), but a data directory written by an older sandbox may
    hold such values, and a paid job must stay readable whatever its stored request says."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return value if _is_text(value) else value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, list):
        return [readable(item) for item in value]
    if isinstance(value, dict):
        return {readable(key): readable(item) for key, item in value.items()}
    return value

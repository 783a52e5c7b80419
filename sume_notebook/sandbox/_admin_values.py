"""The admin settings' rules, checked in full before any of them is applied.

`configure` once applied `time_scale` first and refused it after: a NaN scale was stored and every job list
then failed. Checking every value here first means a refused call changes nothing.
"""

from __future__ import annotations

import math
from typing import Any

MAX_SETTING = 2**53  # exact as a float and as a SQLite integer

# name: (integer?, smallest accepted value, whether the smallest itself is accepted)
RULES: dict[str, tuple[bool, float, bool]] = {
    "time_scale": (False, 0, False),
    "rate_limit_per_second": (False, 0, True),
    "rate_limit_burst": (True, 1, True),
    "max_upload_bytes": (True, 1, True),
    "upload_url_ttl": (False, 0, True),
    "max_active_generations": (True, 0, True),
    "credits": (True, 0, True),
}


def _problem(name: str, value: Any) -> str | None:
    integer, low, inclusive = RULES[name]
    kind = "a whole number" if integer else "a finite number"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{name} must be {kind}"
    if abs(value) > MAX_SETTING or not math.isfinite(value) or (integer and not float(value).is_integer()):
        return f"{name} must be {kind}"
    if value < low or (value == low and not inclusive):
        return f"{name} must be {'at least' if inclusive else 'greater than'} {low:g}"
    return None


def check_settings(values: dict[str, Any]) -> dict[str, Any]:
    """The given (non-None) values, as int or float by their rule; ValueError naming every bad one."""
    given = {name: value for name, value in values.items() if value is not None}
    problems = [problem for name, value in given.items() if (problem := _problem(name, value))]
    if problems:
        raise ValueError("; ".join(problems))
    return {name: int(value) if RULES[name][0] else float(value) for name, value in given.items()}


def check_fault(*, count: Any, route: Any = None, latency: Any = 0.0, retry_after: Any = None, code: Any = None,
                message: Any = None) -> None:
    """A fault's fields, checked when it is added: the edge that later acts on it answers outside every handler."""
    problems = []
    if route is not None and (not isinstance(route, str) or not route):
        problems.append("route must be a non-empty string")
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        problems.append("count must be a whole number of at least 1")
    for name, value in (("latency", latency), ("retry_after", retry_after)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                  or not math.isfinite(value) or value < 0):
            problems.append(f"{name} must be a finite number of seconds >= 0")
    for name, value in (("code", code), ("message", message)):
        if value is not None and not isinstance(value, str):
            problems.append(f"{name} must be a string")
    if problems:
        raise ValueError("; ".join(problems))

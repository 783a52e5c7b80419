"""Client-side checks of the constraints the seeds state, run before anything is sent or spent.

A `Checker` collects every problem of a request so the user sees all bad fields in one `InvalidRequestError`.
Only what the seeds say is enforced; where they give no enum (image resolution, quality) any text passes.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from ._errors import FieldError, InvalidRequestError
from ._transfer import is_allowed_media_url

__all__ = ["MAX_TEXT_CHARS", "Checker", "checked", "without_none"]

# The seeds bound only an ad's script (1,800 characters). Every other text gets this client-side ceiling, so a
# pasted file or a runaway template is refused before it is journalled or sent (the service may be stricter).
MAX_TEXT_CHARS = 20_000


class Checker:
    """Collects field errors; each method returns the value to send (or None to leave the field out)."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.errors: list[FieldError] = []

    def add(self, name: str, message: str) -> None:
        self.errors.append(FieldError(self.prefix + name, message))

    def text(self, name: str, value: Any, *, required: bool = False, min_len: int = 1, max_len: int | None = None) -> str | None:
        if value is None:
            if required:
                self.add(name, "is required")
            return None
        if not isinstance(value, str):
            self.add(name, f"must be text, not {type(value).__name__}")
            return None
        max_len = MAX_TEXT_CHARS if max_len is None else max_len
        length = len(value.strip()) if min_len else len(value)
        if length < min_len or len(value) > max_len:
            empty = min_len == 1 and not length
            self.add(name, "must not be empty" if empty else f"must be {min_len:,} to {max_len:,} characters "
                                                               f"(got {len(value):,})")
            return None
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            self.add(name, f"has a character that cannot be sent at position {exc.start} (a lone surrogate): "
                           "retype or remove it")
            return None
        return value

    def choice(self, name: str, value: Any, choices: Collection[str]) -> str | None:
        if value is None:
            return None
        if value not in choices:
            self.add(name, f"must be one of {', '.join(choices)} (got {value!r})")
            return None
        return str(value)

    def number(
        self, name: str, value: Any, *, low: float | None = None, high: float | None = None,
        integer: bool = False, exclusive_low: bool = False,
    ) -> float | int | None:
        if value is None:
            return None
        kind = int if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kind):
            self.add(name, "must be a whole number" if integer else "must be a number")
            return None
        if not math.isfinite(value):  # NaN passes every comparison, and JSON has no NaN or infinity
            self.add(name, f"must be a finite number (got {value})")
            return None
        too_low = low is not None and (value <= low if exclusive_low else value < low)
        if too_low or (high is not None and value > high):
            if low is not None and high is not None:
                self.add(name, f"must be between {low:g} and {high:g} (got {value:g})")
            elif low is not None:
                self.add(name, f"must be {'above' if exclusive_low else 'at least'} {low:g} (got {value:g})")
            else:
                self.add(name, f"must be at most {high:g} (got {value:g})")
            return None
        return value

    def boolean(self, name: str, value: Any) -> bool | None:
        if value is not None and not isinstance(value, bool):
            self.add(name, "must be True or False")
            return None
        return value

    def url(self, name: str, value: Any, *, https: bool = True) -> str | None:
        """`https` URLs (plain http only to this machine, where the local sandbox serves), or any http(s)."""
        if value is None:
            return None
        if not isinstance(value, str):
            self.add(name, "must be a URL string")
            return None
        parts = urlsplit(value)
        if https and not is_allowed_media_url(value):
            self.add(name, "must be an HTTPS URL")
            return None
        if parts.scheme not in ("https", "http") or not parts.netloc:
            self.add(name, "must be an http(s) URL")
            return None
        return value

    def urls(self, name: str, value: Any, *, https: bool = True, max_count: int | None = None) -> list[str] | None:
        if value is None:
            return None
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            self.add(name, "must be a list of URLs")
            return None
        if max_count is not None and len(value) > max_count:
            self.add(name, f"takes at most {max_count} URLs (got {len(value)})")
        checked = [self.url(f"{name}[{i}]", item, https=https) for i, item in enumerate(value)]
        return [u for u in checked if u is not None]

    def timestamp(self, name: str, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, str):
            try:
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                self.add(name, "must be an ISO 8601 date or datetime")
                return None
            return value
        self.add(name, "must be a datetime or an ISO 8601 string")
        return None

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidRequestError(self.errors)


@contextmanager
def checked(prefix: str = "") -> Iterator[Checker]:
    """`with checked() as c:` ... raises one `InvalidRequestError` for everything `c` collected."""
    checker = Checker(prefix)
    yield checker
    checker.raise_if_any()


def without_none(**fields: Any) -> dict[str, Any]:
    """A JSON body with the fields the caller left out removed."""
    return {k: v for k, v in fields.items() if v is not None}

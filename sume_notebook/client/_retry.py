"""When a request may be sent again, and how long to wait first.

Reads are safe to repeat. A paid create is repeated only when the service provably did not accept it: the
connection failed before the request left, or the service answered 429. Anything else after sending (a timeout,
a dropped connection, a 5xx) leaves its fate unknown, so it is reported, never resent.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import Enum

import httpx

from ._errors import APIConnectionError, APIError, RateLimitError, SumeError

__all__ = ["INVALID_RESPONSE", "Mode", "RetryPolicy", "may_be_accepted", "never_sent"]

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


class Mode(Enum):
    """How a request may be repeated."""

    READ = "read"  # GET, presign, storage PUT: repeat on 429, 5xx and connection errors
    CREATE = "create"  # paid work: repeat only when provably not accepted


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with jitter; a server's `Retry-After` wins when it is given."""

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0  # a longer Retry-After is reported instead of slept through
    create_wait_budget: float = 60.0  # total seconds a create may spend waiting out 429 answers

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_retry_after) + random.uniform(0, 0.1)
        ceiling = min(self.max_delay, self.initial_delay * (2**attempt))
        return random.uniform(ceiling / 2, ceiling)

    def next_wait(self, error: SumeError, mode: Mode, attempt: int, elapsed: float) -> float | None:
        """Seconds to wait before sending again, or None to give up (`error` is what the last attempt got).

        For a create this is only reached when the request provably was not accepted (see `may_be_accepted`).
        """
        retry_after = error.retry_after if isinstance(error, RateLimitError) else None
        if mode is Mode.CREATE:
            if isinstance(error, APIConnectionError) and attempt < self.max_retries:
                return self.delay(attempt)
            if isinstance(error, RateLimitError):
                wait = self.delay(attempt, retry_after)
                return wait if elapsed + wait <= self.create_wait_budget else None
            return None
        if attempt >= self.max_retries or (retry_after is not None and retry_after > self.max_retry_after):
            return None
        transient = isinstance(error, APIConnectionError) or (
            isinstance(error, APIError) and (error.status in RETRYABLE_STATUSES or error.code == INVALID_RESPONSE)
        )
        return self.delay(attempt, retry_after) if transient else None


INVALID_RESPONSE = "invalid_response"  # a success status with a body that is not JSON


def may_be_accepted(error: SumeError) -> bool:
    """After sending a create: could the service have accepted it even though we got this error?"""
    if isinstance(error, APIError):
        return (error.status or 0) >= 500 or error.code == INVALID_RESPONSE
    return isinstance(error, APIConnectionError)


def never_sent(exc: httpx.TransportError) -> bool:
    """True when the request cannot have reached the service (no connection was ever made)."""
    return isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol))

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

__all__ = ["Mode", "RetryPolicy", "never_sent"]

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


def never_sent(exc: httpx.TransportError) -> bool:
    """True when the request cannot have reached the service (no connection was ever made)."""
    return isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol))

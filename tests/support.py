"""Plain helpers the suites share: the sandbox's test speed, the poll schedule that goes with it, request counters
and the secret check. Fixtures live in conftest.py; this module is what tests import by name."""

from __future__ import annotations

import re
import time
from typing import Any

from sume_notebook import PollSchedule
from sume_notebook.sandbox import SandboxHandle

FAST = 0.02  # the sandbox's time scale in tests: an image takes ~80 ms, a video ~240 ms, an ad ~400 ms
# The production schedule, shrunk like the jobs; one for every suite. The suites used to differ (the notebook suite
# polled first at 30 ms, the client and widget suites capped at 0.5 s): measured side by side, neither was faster.
QUICK_POLLS = PollSchedule(first=0.05, factor=1.5, cap=0.3)
PLENTY_OF_CREDITS = 1_000_000  # no test should run out unless it means to

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+\.[A-Za-z]{2,}")


def requests_to(handle: SandboxHandle, route: str) -> int:
    """Requests the sandbox received on a route template ("GET /api/v1/jobs/{job_id}") since its last reset,
    faulted ones included."""
    return handle.stats()["requests"].get(route, 0)


def total_requests(handle: SandboxHandle) -> int:
    """Requests the sandbox received on any route since its last reset."""
    return sum(handle.stats()["requests"].values())


def settled_requests(handle: SandboxHandle, route: str, expected: int, timeout: float = 3.0) -> int:
    """The request count on `route` once it reached `expected` (an abandoned request is counted only when the
    sandbox finishes it, after its injected latency), or whatever it is at the deadline."""
    deadline = time.monotonic() + timeout
    while requests_to(handle, route) < expected and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.05)  # a request beyond the expected one would show up now
    return requests_to(handle, route)


def assert_nothing_secret(text: str, api_key: str, account: dict[str, Any]) -> None:
    """`text` (a repr, a saved widget state) holds no key, no signed URL, no email and no account id."""
    assert api_key not in text
    assert "token=" not in text
    assert not _EMAIL.search(text), _EMAIL.search(text)
    assert account["user"]["email"] not in text
    assert account["workspace"]["id"] not in text and account["user"]["id"] not in text

"""The reliability and security suite: one sandbox over a real loopback socket, a journal home per test, and the
helpers every scenario shares (request counters that wait for the server to catch up, a small real MP4)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sume_notebook import PollSchedule
from sume_notebook.sandbox import SandboxHandle, start_sandbox

FAST = 0.02  # image ~80 ms, video ~240 ms
QUICK_POLLS = PollSchedule(first=0.05, factor=1.5, cap=0.3)


@pytest.fixture(scope="session")
def sb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    with start_sandbox(port=0, data_dir=tmp_path_factory.mktemp("reliability-sandbox"), time_scale=FAST) as handle:
        me = httpx.get(f"{handle.url}/me", headers={"Authorization": f"Bearer {handle.api_key}"}).json()
        handle.account = me  # type: ignore[attr-defined]
        yield handle


@pytest.fixture(autouse=True)
def _isolated(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A journal home of its own, no key from the developer's environment, and a sandbox without faults."""
    monkeypatch.setenv("SUME_NOTEBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SUME_API_KEY", raising=False)
    monkeypatch.delenv("SUME_BASE_URL", raising=False)
    if "sb" not in request.fixturenames:
        yield
        return
    handle: SandboxHandle = request.getfixturevalue("sb")
    reset(handle)
    yield
    handle.reset()


def reset(handle: SandboxHandle) -> None:
    handle.reset()
    handle.configure(time_scale=FAST, max_active_generations=20, rate_limit_per_second=0)
    handle.configure(credits=1_000_000, workspace=handle.account["workspace"]["id"])  # type: ignore[attr-defined]


def requests_to(handle: SandboxHandle, route: str) -> int:
    """Requests on a route template ("GET /api/v1/jobs/{job_id}"), faulted ones included."""
    return handle.stats()["requests"].get(route, 0)


def settled_requests(handle: SandboxHandle, route: str, expected: int, timeout: float = 3.0) -> int:
    """The request count on `route` once it reached `expected` (an abandoned request is counted only when the
    sandbox finishes it, after its injected latency), or whatever it is at the deadline."""
    deadline = time.monotonic() + timeout
    while requests_to(handle, route) < expected and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.05)  # a request beyond the expected one would show up now
    return requests_to(handle, route)


def sandbox_job_ids(handle: SandboxHandle) -> set[str]:
    """Every job of the primary workspace, read over the admin-free public API (all pages)."""
    ids: set[str] = set()
    params: dict[str, object] = {"limit": 100}
    with httpx.Client(base_url=handle.url, headers={"Authorization": f"Bearer {handle.api_key}"}, timeout=30) as http:
        while True:
            body = http.get("/jobs", params=params).json()
            ids |= {item["id"] for item in body.get("data") or body.get("items") or []}
            cursor = body.get("next_cursor") or (body.get("has_more") and body.get("last_id"))
            if not cursor:
                return ids
            params["cursor"] = cursor


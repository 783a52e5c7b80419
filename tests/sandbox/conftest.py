"""Sandboxes for the server's own tests, always reached over a real loopback socket, with raw httpx rather than
the product's client. Fresh per module on purpose, not the session sandbox of tests/conftest.py: these tests
examine the server's own state (settings, data, counters), which must not depend on what other suites did."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sume_notebook.sandbox import SandboxHandle, start_sandbox
from tests.support import FAST


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    """One sandbox per test module, fast jobs, no rate limit unless a test asks for one."""
    with start_sandbox(data_dir=tmp_path_factory.mktemp("sandbox"), time_scale=FAST) as handle:
        handle.configure(rate_limit_per_second=0)
        yield handle


@pytest.fixture(autouse=True)
def _clean_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "sandbox" in request.fixturenames:
        request.getfixturevalue("sandbox").reset()


def client_for(handle: SandboxHandle, role: str = "primary") -> httpx.Client:
    return httpx.Client(base_url=handle.url, headers={"Authorization": f"Bearer {handle.keys[role]}"},
                        timeout=30)


@pytest.fixture
def api(sandbox: SandboxHandle) -> Iterator[httpx.Client]:
    """An httpx client authenticated as the primary workspace."""
    with client_for(sandbox) as client:
        yield client


def wait_for_status(api: httpx.Client, job_id: str, timeout: float = 20.0) -> dict:
    """Poll a job until it is terminal (test helper; the product's poller lives in the client)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        job = api.get(f"/jobs/{job_id}").json()
        if job["status"] in ("completed", "failed", "canceled", "expired") or time.monotonic() > deadline:
            return job
        time.sleep(0.02)

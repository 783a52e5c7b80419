"""What every suite shares: the environment each test runs in, one sandbox for the whole session, and the clients,
shell and media the client, notebook (widgets included) and reliability suites use against it.

The sandbox suite (tests/sandbox) starts sandboxes of its own, fresh per module: it tests the server itself.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sume_notebook import AsyncSume, Sume
from sume_notebook.notebook._testing import SumeShell
from sume_notebook.sandbox import SandboxHandle, start_sandbox
from tests.support import FAST, PLENTY_OF_CREDITS, QUICK_POLLS


@pytest.fixture(scope="session", autouse=True)
def _ipython_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Test shells and kernels keep their profile and history out of the developer's ~/.ipython."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPYTHONDIR", str(tmp_path_factory.mktemp("ipython")))
        yield


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A journal home of its own per test, and no key or base URL from the developer's environment."""
    monkeypatch.setenv("SUME_NOTEBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SUME_API_KEY", raising=False)
    monkeypatch.delenv("SUME_BASE_URL", raising=False)


_ENDED_STATUSES = ("completed", "failed", "canceled", "expired")


class _SessionSandbox:
    """The session's one sandbox, and what it takes to give each test that sandbox as it started."""

    def __init__(self, handle: SandboxHandle) -> None:
        self.handle = handle
        self.settings_at_start = handle.configure()  # read before any test could change one
        self._api = httpx.Client(base_url=handle.url, headers={"Authorization": f"Bearer {handle.api_key}"},
                                 timeout=30)
        self._admin = httpx.Client(base_url=f"{handle.origin}/_sandbox",
                                   headers={"Authorization": f"Bearer {handle.admin_token}"}, timeout=30)

    def restore(self) -> None:
        """No faults, counters or rate-limit levels; every setting, and every workspace's credits and capacity, as
        the sandbox started; no generation left running. Jobs and uploads stay, as in a real workspace."""
        handle, started = self.handle, self.settings_at_start
        handle.reset()
        handle.configure(
            time_scale=started["time_scale"], max_upload_bytes=started["max_upload_bytes"],
            upload_url_ttl=started["upload_url_ttl"], rate_limit_per_second=started["rate_limit_per_second"],
            rate_limit_burst=started["rate_limit_burst"],
        )
        self._cancel_generations_left_running()
        handle.reset()  # forget the requests that took
        for workspace, limits in started["workspaces"].items():
            handle.configure(workspace=workspace, credits=limits["remaining_credits"],
                             max_active_generations=limits["max_active_generations"])

    def _cancel_generations_left_running(self) -> None:
        """Jobs an earlier test did not wait for (some slowed to seconds) would hold capacity and count as active in
        the next test. Only the primary workspace runs jobs in tests; canceled ones are refunded at the next request,
        before `restore` sets the credits."""
        left = self._api.get("/credits").json()["active_generations"]
        if not left:
            return
        params: dict[str, Any] = {"limit": 100}
        while left:
            page = self._api.get("/jobs", params=params).json()
            for job in page["data"]:
                if job["type"] != "asset_upload" and job["status"] not in _ENDED_STATUSES:
                    self._admin.post(f"/jobs/{job['id']}/cancel")  # a 409 if it ended meanwhile: just as good
                    left -= 1
            if not page["next_cursor"]:
                break
            params["cursor"] = page["next_cursor"]
        self._api.get("/credits")  # settles the refunds

    def close(self) -> None:
        self._api.close()
        self._admin.close()


@pytest.fixture(scope="session")
def _session_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_SessionSandbox]:
    with start_sandbox(port=0, data_dir=tmp_path_factory.mktemp("sandbox"), time_scale=FAST, seed=0) as handle:
        session_sandbox = _SessionSandbox(handle)
        yield session_sandbox
        session_sandbox.close()


@pytest.fixture(scope="session")
def sb(_session_sandbox: _SessionSandbox) -> SandboxHandle:
    """The one sandbox of the session, reached over a real loopback socket. Its data (jobs, uploads) piles up as in
    a real workspace; its settings do not carry over: every test that uses it starts from `reset_sandbox`."""
    return _session_sandbox.handle


@pytest.fixture(scope="session")
def sandbox_account(sb: SandboxHandle) -> dict[str, Any]:
    """The primary key's account (user, workspace) as the sandbox's /me returns it."""
    return httpx.get(f"{sb.url}/me", headers={"Authorization": f"Bearer {sb.api_key}"}).json()


@pytest.fixture
def sandbox_limits() -> dict[str, Any]:
    """The limits a test runs under, as `SandboxHandle.configure` options: by default the service's own (4 active
    generations, 50 requests/s in bursts of 100), which the client suite and the blocking facade's tests rely on.
    A suite that needs other limits overrides this fixture in its conftest."""
    return {"max_active_generations": 4, "rate_limit_per_second": 50, "rate_limit_burst": 100}


@pytest.fixture
def reset_sandbox(
    _session_sandbox: _SessionSandbox, sandbox_account: dict[str, Any], sandbox_limits: dict[str, Any]
) -> Callable[[], None]:
    """Puts the shared sandbox in the state each test starts from, so that no test, and no suite, sees what another
    left: the sandbox as it started (see `_SessionSandbox.restore`), plenty of credits in the primary workspace, and
    the suite's `sandbox_limits`. Runs before every test that uses `sb`; a test that runs many examples
    (hypothesis) calls it between them."""

    def reset() -> None:
        _session_sandbox.restore()
        _session_sandbox.handle.configure(workspace=sandbox_account["workspace"]["id"], credits=PLENTY_OF_CREDITS)
        _session_sandbox.handle.configure(**sandbox_limits)

    return reset


@pytest.fixture(autouse=True)
def _sandbox_reset_around_each_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test that uses `sb` starts from `reset_sandbox`; a test that does not neither starts nor resets it."""
    if "sb" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("reset_sandbox")()
    yield
    request.getfixturevalue("sb").reset()  # no fault left armed for whatever runs next


@pytest.fixture
async def client(sb: SandboxHandle) -> AsyncIterator[AsyncSume]:
    """The async client on the primary key, polling on the quick schedule."""
    async with AsyncSume(api_key=sb.api_key, base_url=sb.url, poll_schedule=QUICK_POLLS) as c:
        yield c


@pytest.fixture
def sume(sb: SandboxHandle) -> Iterator[Sume]:
    """The blocking client on the primary key, polling on the quick schedule."""
    with Sume(api_key=sb.api_key, base_url=sb.url, poll_schedule=QUICK_POLLS) as s:
        yield s


@pytest.fixture
def env(sb: SandboxHandle, monkeypatch: pytest.MonkeyPatch) -> SandboxHandle:
    """The magics pointed at the sandbox through the environment, as a user would."""
    monkeypatch.setenv("SUME_BASE_URL", sb.url)
    monkeypatch.setenv("SUME_API_KEY", sb.api_key)
    return sb


@pytest.fixture
def ip(env: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SumeShell]:
    """A real IPython shell with the magics loaded, in text mode (a plain terminal), working in a temporary
    directory."""
    monkeypatch.chdir(tmp_path)
    shell = SumeShell(widgets="off", poll_schedule=QUICK_POLLS)
    yield shell
    shell.close()
    shell.shell.config.pop("SumeMagics", None)  # %config lives in the shell's config, beyond one load


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every log record, DEBUG included: what a user who turns logging up would see."""
    caplog.set_level(logging.DEBUG)
    return caplog


@pytest.fixture(scope="session")
def sample_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 2-second H.264 MP4, written with PyAV, to upload (Asset Library or face-swap source)."""
    import av
    import numpy as np

    path = tmp_path_factory.mktemp("media") / "sample.mp4"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 160, 288, "yuv420p"
        for i in range(20):
            frame = np.full((288, 160, 3), (i * 12) % 256, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path

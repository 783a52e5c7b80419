"""One sandbox for the whole client suite, reached over a real loopback socket, and clients bound to it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from sume_notebook import AsyncSume, PollSchedule, Sume
from sume_notebook.sandbox import SandboxHandle, start_sandbox

FAST = 0.02  # image ~80 ms, video ~240 ms, ad ~400 ms
QUICK_POLLS = PollSchedule(first=0.05, factor=1.5, cap=0.5)  # the production schedule, shrunk like the jobs


@pytest.fixture(scope="session")
def sb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    with start_sandbox(port=0, data_dir=tmp_path_factory.mktemp("sandbox"), time_scale=FAST, seed=0) as handle:
        me = httpx.get(f"{handle.url}/me", headers={"Authorization": f"Bearer {handle.api_key}"}).json()
        handle.primary_workspace = me["workspace"]["id"]  # type: ignore[attr-defined]
        yield handle


@pytest.fixture(autouse=True)
def _isolated(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test gets its own journal home and a sandbox without faults, with credits and default limits."""
    monkeypatch.setenv("SUME_NOTEBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SUME_API_KEY", raising=False)
    monkeypatch.delenv("SUME_BASE_URL", raising=False)
    if "sb" not in request.fixturenames:
        yield
        return
    handle: SandboxHandle = request.getfixturevalue("sb")
    handle.reset()
    handle.configure(time_scale=FAST, max_active_generations=4, rate_limit_per_second=50, rate_limit_burst=100)
    handle.configure(credits=1_000_000, workspace=handle.primary_workspace)  # type: ignore[attr-defined]
    yield
    handle.reset()


@pytest.fixture
async def client(sb: SandboxHandle) -> AsyncIterator[AsyncSume]:
    async with AsyncSume(api_key=sb.api_key, base_url=sb.url, poll_schedule=QUICK_POLLS) as c:
        yield c


@pytest.fixture
def sume(sb: SandboxHandle) -> Iterator[Sume]:
    with Sume(api_key=sb.api_key, base_url=sb.url, poll_schedule=QUICK_POLLS) as s:
        yield s


def requests_to(handle: SandboxHandle, route: str) -> int:
    """How many requests the sandbox received on a route template since the last reset."""
    return handle.stats()["requests"].get(route, 0)


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


@pytest.fixture(scope="session")
def sample_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 3-second H.264 MP4 with moving colour, written with PyAV."""
    import av
    import numpy as np

    path = tmp_path_factory.mktemp("media") / "clip.mp4"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 160, 288, "yuv420p"
        for i in range(30):
            frame = np.zeros((288, 160, 3), dtype=np.uint8)
            frame[:, :, 0] = (i * 8) % 256
            frame[i * 9 : i * 9 + 20, :, 1] = 255
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path

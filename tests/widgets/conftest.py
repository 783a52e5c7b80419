"""One sandbox for the widget suite over a real loopback socket, blocking clients bound to it, and a record of the
state messages widgets send (taken at ipywidgets' own `Widget._send`, so everything of ours runs for real)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import ipywidgets
import pytest

from sume_notebook import PollSchedule, Sume
from sume_notebook.sandbox import SandboxHandle, start_sandbox

FAST = 0.02  # image ~80 ms, video ~240 ms
QUICK_POLLS = PollSchedule(first=0.05, factor=1.5, cap=0.5)
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+\.[A-Za-z]{2,}")


@pytest.fixture(scope="session")
def sb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    with start_sandbox(data_dir=tmp_path_factory.mktemp("sandbox"), time_scale=FAST) as handle:
        me = httpx.get(f"{handle.url}/me", headers={"Authorization": f"Bearer {handle.api_key}"}).json()
        handle.account = me  # type: ignore[attr-defined]
        yield handle


@pytest.fixture(autouse=True)
def _isolated(sb: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A journal home per test and a sandbox without faults, fast jobs and no rate limit."""
    monkeypatch.setenv("SUME_NOTEBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SUME_API_KEY", raising=False)
    monkeypatch.delenv("SUME_BASE_URL", raising=False)
    sb.reset()
    sb.configure(time_scale=FAST, rate_limit_per_second=0, max_active_generations=20, credits=1_000_000)
    yield
    sb.reset()


@pytest.fixture
def sume(sb: SandboxHandle) -> Iterator[Sume]:
    with Sume(api_key=sb.api_key, base_url=sb.url, poll_schedule=QUICK_POLLS) as client:
        yield client


@dataclass(frozen=True)
class Sent:
    """One state message a widget sent to the frontend."""

    widget: ipywidgets.Widget
    state: dict[str, Any]
    at: float


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[Sent]:
    sent: list[Sent] = []
    original = ipywidgets.Widget._send

    def record(self: ipywidgets.Widget, msg: dict[str, Any], buffers: Any = None) -> None:
        if msg.get("method") == "update":
            sent.append(Sent(self, dict(msg.get("state") or {}), time.monotonic()))
        original(self, msg, buffers)

    monkeypatch.setattr(ipywidgets.Widget, "_send", record)
    return sent



def decode_video(data: bytes) -> tuple[int, float]:
    """(frames decoded, duration in seconds) of MP4 bytes, read with PyAV."""
    import io

    import av

    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        duration = float(stream.duration * stream.time_base) if stream.duration else 0.0
    return frames, duration

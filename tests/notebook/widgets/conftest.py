"""The widget suite: widgets driven by blocking clients against the shared sandbox, and a record of the state
messages they send (taken at ipywidgets' own `Widget._send`, so everything of ours runs for real)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets
import pytest

from tests.support import PLENTY_OF_CREDITS


@pytest.fixture
def sandbox_limits() -> dict[str, Any]:
    """No rate limit (a JobView's eager schedules poll far faster than the service's 50 requests/s), room for 20
    active generations, and plenty of credits in every workspace."""
    return {"rate_limit_per_second": 0, "max_active_generations": 20, "credits": PLENTY_OF_CREDITS}


@pytest.fixture(autouse=True)
def _in_a_notebook_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A widget works in the kernel's working directory, the notebook's folder: a finished video is saved there."""
    monkeypatch.chdir(tmp_path)


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
        if msg.get("method") == "update" and self.comm is not None:  # without its comm, `_send` sends nothing
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

"""Fixtures every part of the suite shares."""

from __future__ import annotations

from pathlib import Path

import pytest


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

"""`videos.generate` end to end, and the seeds' 4-15 s and 480p/720p rules."""

from __future__ import annotations

import av
import pytest

from sume_notebook import AsyncSume, InvalidRequestError
from sume_notebook.sandbox import SandboxHandle


async def test_generate_video_with_audio_and_download(client: AsyncSume, tmp_path) -> None:
    job = await client.videos.generate("Waves at dusk", aspect_ratio="9:16", duration=4, resolution="480p", generate_audio=True)
    assert job.type == "video_generation"
    await job.wait()
    result = await job.result()
    [output] = result.outputs
    assert output.kind == "video" and output.duration_seconds == pytest.approx(4, abs=0.5)
    assert output.thumbnail_url
    [path] = await result.download(tmp_path)
    assert path.suffix == ".mp4"
    with av.open(str(path)) as container:
        assert container.streams.video and container.streams.audio


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"duration": 3}, "duration"),
        ({"duration": 16}, "duration"),
        ({"duration": True}, "duration"),
        ({"resolution": "1080p"}, "resolution"),
        ({"generate_audio": "yes"}, "generate_audio"),
    ],
)
async def test_video_rules(client: AsyncSume, sb: SandboxHandle, options: dict, field: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        await client.videos.generate("waves", **options)
    assert [f.field for f in caught.value.fields] == [field]
    assert sb.stats()["requests"] == {}

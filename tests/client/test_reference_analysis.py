"""`reference_analysis.create`: reel URLs only, and the analysis as records and DataFrames."""

from __future__ import annotations

import pytest

from sume_notebook import AsyncSume, InvalidRequestError, ReferenceAnalysis
from sume_notebook.sandbox import SandboxHandle


async def test_analysis_result_and_frames(client: AsyncSume) -> None:
    job = await client.reference_analysis.create("https://www.tiktok.com/@brand/video/7301234567890")
    assert job.type == "reference_analysis"
    assert job.required_credits  # an extra field of the create answer stays reachable
    await job.wait()
    result = await job.result()
    analysis = result.analysis
    assert isinstance(analysis, ReferenceAnalysis) and result.outputs == []
    assert analysis.platform == "tiktok" and analysis.summary and analysis.hook["text"]
    assert 5 <= len(analysis.scenes) <= 25
    frames = analysis.frames()
    assert {"scenes", "transcript"} <= set(frames)
    scenes = frames["scenes"]
    assert len(scenes) == len(analysis.scenes)
    assert scenes["start_seconds"].dtype == float and str(scenes["shot_type"].dtype) == "category"


@pytest.mark.parametrize(
    "url",
    ["https://www.youtube.com/watch?v=1", "https://www.instagram.com/p/abc/", "not a url", None],
)
async def test_only_reel_urls(client: AsyncSume, sb: SandboxHandle, url: str | None) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        await client.reference_analysis.create(url)  # type: ignore[arg-type]
    assert [f.field for f in caught.value.fields] == ["url"]
    assert sb.stats()["requests"] == {}


async def test_instagram_reel_is_accepted(client: AsyncSume) -> None:
    assert client.reference_analysis.prepare("https://www.instagram.com/reel/Cx1abc/") == {"url": "https://www.instagram.com/reel/Cx1abc/"}

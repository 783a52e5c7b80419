"""`face_swap.create`: one job per avatar over an uploaded source video, primary first."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from sume_notebook import AsyncSume, InvalidRequestError, Job
from sume_notebook.sandbox import SandboxHandle


async def test_face_swap_two_avatars(client: AsyncSume, sample_video: Path) -> None:
    avatars = [a.id for a in await client.avatars.list().to_list() if a.can("face_swap")][:2]
    upload = await client.uploads.upload_file(sample_video, "face_swap_source_video")
    jobs = await client.face_swap.create(upload, avatars, duration_seconds=2, trim_start_seconds=0.5, aspect_ratio="9:16")
    assert len(jobs) == 2 and all(isinstance(j, Job) and j.type == "face_swap" for j in jobs)
    assert len({j.id for j in jobs}) == 2
    await asyncio.gather(*(j.wait() for j in jobs))
    result = await jobs[0].result()
    assert result.outputs[0].kind == "video"


@pytest.mark.parametrize(
    ("kwargs", "fields"),
    [
        ({"avatar_ids": []}, {"avatar_ids"}),
        ({"avatar_ids": ["a", "b", "c", "d", "e", "f"]}, {"avatar_ids"}),
        ({"avatar_ids": "avt_mia"}, {"avatar_ids"}),
        ({"avatar_ids": ["avt_mia"], "duration_seconds": 16}, {"duration_seconds"}),
        ({"avatar_ids": ["avt_mia"], "aspect_ratio": "2:1", "trim_start_seconds": -1}, {"aspect_ratio", "trim_start_seconds"}),
        ({"avatar_ids": ["avt_mia"], "source_video_url": "ftp://x/y.mp4"}, {"source_video_url"}),
    ],
)
async def test_face_swap_rules(client: AsyncSume, sb: SandboxHandle, kwargs: dict, fields: set[str]) -> None:
    kwargs.setdefault("source_video_url", "https://media.example/source.mp4")
    with pytest.raises(InvalidRequestError) as caught:
        await client.face_swap.create(**kwargs)
    assert {f.field for f in caught.value.fields} == fields
    assert sb.stats()["requests"] == {}

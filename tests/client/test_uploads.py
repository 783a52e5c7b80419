"""Presign and streaming uploads: required headers only, no Sume credential, progress, size rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from sume_notebook import AsyncSume, InvalidRequestError, PayloadTooLargeError, Upload
from sume_notebook.sandbox import SandboxHandle
from tests.support import requests_to


async def test_upload_file_streams_with_progress(client: AsyncSume, sb: SandboxHandle, sample_video: Path) -> None:
    progress: list[tuple[int, int]] = []
    upload = await client.uploads.upload_file(sample_video, "face_swap_source_video", on_progress=lambda s, t: progress.append((s, t)))
    size = sample_video.stat().st_size
    assert isinstance(upload, Upload) and upload.media_url and upload.object_key
    assert progress[-1] == (size, size) and all(t == size for _, t in progress)
    text = repr(upload)
    assert upload.upload_url not in text and upload.object_key not in text and "token=" not in text
    # The storage side answers 400 to a request carrying the Sume Authorization header: success proves it was absent.
    assert sum(n for route, n in sb.stats()["requests"].items() if route.startswith("PUT")) == 1


async def test_presign_validation(client: AsyncSume, sb: SandboxHandle) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        await client.uploads.presign("avatar_photo", "", "video/mp4", 0)
    assert {f.field for f in caught.value.fields} == {"purpose", "filename", "size_bytes"}
    assert sb.stats()["requests"] == {}


async def test_missing_and_empty_files_are_refused_before_presign(client: AsyncSume, sb: SandboxHandle, tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    for path in (tmp_path / "missing.mp4", empty):
        with pytest.raises(InvalidRequestError):
            await client.uploads.upload_file(path, "asset_library_video")
    assert sb.stats()["requests"] == {}


async def test_oversized_file_is_refused_at_presign(client: AsyncSume, sb: SandboxHandle, sample_video: Path) -> None:
    sb.configure(max_upload_bytes=1000)
    try:
        with pytest.raises(PayloadTooLargeError) as caught:
            await client.uploads.upload_file(sample_video, "asset_library_video")
    finally:
        sb.configure(max_upload_bytes=500 * 1024 * 1024)
    assert caught.value.status == 413 and caught.value.request_id
    assert not any(route.startswith("PUT") for route in sb.stats()["requests"])


async def test_storage_failure_is_retried(client: AsyncSume, sb: SandboxHandle, sample_video: Path) -> None:
    sb.add_fault(route="PUT *", status=503, count=1)
    await client.uploads.upload_file(sample_video, "asset_library_video")
    puts = sum(n for route, n in sb.stats()["requests"].items() if route.startswith("PUT"))
    assert puts == 2


async def test_presign_is_retried_like_a_read(client: AsyncSume, sb: SandboxHandle, sample_video: Path) -> None:
    sb.add_fault(route="POST /api/v1/uploads/presign", status=502, count=1)
    await client.uploads.presign("asset_library_video", "clip.mp4", "video/mp4", sample_video.stat().st_size)
    assert requests_to(sb, "POST /api/v1/uploads/presign") == 2

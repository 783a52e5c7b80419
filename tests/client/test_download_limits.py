"""Download limits against a hostile media server over a real loopback socket (a dripping body only drips through
a real transport): a page posing as media, too many or too large outputs. Each is refused as a `DownloadError`
with nothing left on disk."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from sume_notebook import AsyncSume, DownloadError

BODY = b"\x89PNG\r\n\x1a\n" + b"\x00" * 992  # 1,000 bytes


def _outputs(job_id: str) -> list[dict[str, object]]:
    count = {"job_many": 17, "job_three": 3}.get(job_id, 1)
    declared = {} if job_id == "job_page" else {"content_type": "image/png"}  # a page declares nothing
    return [{"url": f"/media/{job_id}-{i}", **declared} for i in range(count)]


async def _result(request: Request) -> JSONResponse:
    job_id = request.path_params["job_id"]
    return JSONResponse({"id": job_id, "status": "completed", "result": {"images": _outputs(job_id)}})


async def _media(request: Request) -> Response:
    name = request.path_params["name"]
    if name.startswith("job_drip"):
        async def drip() -> AsyncIterator[bytes]:
            for byte in BODY:
                await asyncio.sleep(0.2)
                yield bytes([byte])

        return StreamingResponse(drip(), media_type="image/png")
    if name.startswith("job_page"):
        return Response(b"<script>alert(1)</script>", media_type="text/html")
    return Response(BODY, media_type="image/png")


APP = Starlette(routes=[Route("/api/v1/jobs/{job_id}/result", _result), Route("/media/{name}", _media)])


@pytest.fixture(scope="module")
def origin() -> Iterator[str]:
    """The hostile server on a loopback port of its own, in a thread."""
    server = uvicorn.Server(uvicorn.Config(APP, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
async def hostile(origin: str) -> AsyncIterator[AsyncSume]:
    async with AsyncSume(api_key="sume_test_limits", base_url=f"{origin}/api/v1", journal=False) as client:
        yield client


def files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


async def test_a_dripping_body_is_cut_at_the_deadline(hostile: AsyncSume, tmp_path: Path) -> None:
    result = await hostile.jobs.result("job_drip")  # 1,000 bytes, one every 0.2 s: over three minutes in all
    with pytest.raises(DownloadError, match="took longer than 0.5 s"):
        await result.download(tmp_path, deadline=0.5)
    assert files(tmp_path) == []


async def test_a_page_posing_as_media_is_never_saved_as_html(hostile: AsyncSume, tmp_path: Path) -> None:
    result = await hostile.jobs.result("job_page")
    [path] = await result.download(tmp_path)
    assert path.suffix == ".bin"  # text/html is no media type: the file can never open as a page


async def test_more_outputs_than_the_cap_are_refused_before_any_fetch(hostile: AsyncSume, tmp_path: Path) -> None:
    result = await hostile.jobs.result("job_many")
    with pytest.raises(DownloadError, match="17 outputs; at most 16"):
        await result.download(tmp_path)
    assert files(tmp_path) == []
    assert len(await result.download(tmp_path, outputs=result.outputs[:2])) == 2


async def test_outputs_over_the_job_budget_stop_the_download(hostile: AsyncSume, tmp_path: Path) -> None:
    result = await hostile.jobs.result("job_three")
    with pytest.raises(DownloadError, match="exceed 2,500 bytes together"):
        await result.download(tmp_path, max_job_bytes=2_500)
    assert len(files(tmp_path)) <= 2 and not any(name.endswith(".part") for name in files(tmp_path))

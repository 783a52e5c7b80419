"""Download safety: loopback-or-https only, no credentials, names from job and index, caps, truncation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from PIL import Image

from sume_notebook import AsyncSume, DownloadError
from sume_notebook.client._downloads import slug
from sume_notebook.sandbox import SandboxHandle
from tests.support import requests_to

from .variant_server import BASE_URL, VariantServer

MEDIA = "GET /media/{path}"


@pytest.fixture
def server() -> VariantServer:
    return VariantServer()


@pytest.fixture
async def variants(server: VariantServer) -> AsyncIterator[AsyncSume]:
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=server.app))
    async with AsyncSume(api_key="sume_test_downloads", base_url=BASE_URL, http_client=http, journal=False) as c:
        yield c
    await http.aclose()


async def finished_image(client: AsyncSume):
    job = await client.images.generate("download me")
    await job.wait()
    return await job.result()


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


async def test_plain_http_to_another_host_is_refused(variants: AsyncSume, server: VariantServer, tmp_path: Path) -> None:
    result = await variants.jobs.result("job_insecure")
    with pytest.raises(DownloadError, match="only https") as caught:
        await result.download(tmp_path / "out")
    assert "token=abc" not in str(caught.value)
    assert server.media_requests == [] and leftovers(tmp_path / "out") == []


async def test_redirect_to_plain_http_is_refused(variants: AsyncSume, tmp_path: Path) -> None:
    result = await variants.jobs.result("job_redirect")
    with pytest.raises(DownloadError, match="only https"):
        await result.download(tmp_path / "out")
    assert leftovers(tmp_path / "out") == []


async def test_names_come_from_prompt_job_and_index_never_the_url(variants: AsyncSume, server: VariantServer, tmp_path: Path) -> None:
    result = await variants.jobs.result("../../escape/job")
    [path] = await result.download(tmp_path / "out")
    assert path.parent == tmp_path / "out" and path.name == "output-escape_j-0.png"
    relative = await variants.jobs.result("job_relative")
    [rel_path] = await relative.download(tmp_path / "out")
    assert rel_path.name == "output-job_relative-0.png"  # attached by id: no prompt known, nor a type here
    assert all("authorization" not in h and "x-api-key" not in h for h in server.media_requests)


async def test_a_created_job_names_its_files_after_its_prompt(client: AsyncSume, tmp_path: Path) -> None:
    job = await client.images.generate("Sérum bottle on marble, soft light — 50 mm, f/2.8, a very long description")
    await job.wait()
    [path] = await (await job.result()).download(tmp_path)
    assert path.name == f"serum-bottle-on-marble-soft-light-50-mm-{job.id[:12]}-0.png"
    [named] = await (await job.result()).download(tmp_path / "named", name="hero shot")
    assert named.name == f"hero-shot-{job.id[:12]}-0.png"
    attached = await client.jobs.attach(job.id)  # a job read by id does not know its prompt: its type names it
    [by_type] = await (await attached.result()).download(tmp_path / "attached")
    assert by_type.name == f"image-generation-{job.id[:12]}-0.png"


def test_slugs_are_short_ascii_and_cut_at_a_word() -> None:
    assert slug("Ünïcode   PROMPT!! ") == "unicode-prompt"
    assert slug("a" * 50) == "a" * 40
    assert slug("one two three four five six seven eight nine") == "one-two-three-four-five-six-seven-eight"
    assert slug("日本語") == ""


async def test_oversize_leaves_nothing(client: AsyncSume, tmp_path: Path) -> None:
    result = await finished_image(client)
    with pytest.raises(DownloadError, match="cap"):
        await result.download(tmp_path / "out", max_bytes=100)
    assert leftovers(tmp_path / "out") == []


async def test_truncated_body_leaves_nothing_then_a_retry_succeeds(sb: SandboxHandle, tmp_path: Path) -> None:
    async with AsyncSume(api_key=sb.api_key, base_url=sb.url, max_retries=0) as strict:
        result = await finished_image(strict)
        sb.add_fault(route="GET /media/*", kind="truncate", count=1)
        with pytest.raises(DownloadError):
            await result.download(tmp_path / "out")
        assert leftovers(tmp_path / "out") == []
    async with AsyncSume(api_key=sb.api_key, base_url=sb.url, max_retries=2) as patient:
        sb.add_fault(route="GET /media/*", kind="truncate", count=1)
        [path] = await (await patient.jobs.result(result.id)).download(tmp_path / "out")
    with Image.open(path) as image:
        image.load()
    assert leftovers(tmp_path / "out") == [path.name]


async def test_identical_existing_file_is_kept(client: AsyncSume, sb: SandboxHandle, tmp_path: Path) -> None:
    result = await finished_image(client)
    [first] = await result.download(tmp_path / "out")
    before = first.stat()
    [again] = await result.download(tmp_path / "out")
    after = again.stat()
    assert again == first and (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert requests_to(sb, MEDIA) == 2 and leftovers(tmp_path / "out") == [first.name]


async def test_download_is_journalled_by_path(client: AsyncSume, tmp_path: Path) -> None:
    from sume_notebook import history

    result = await finished_image(client)
    [path] = await result.download(tmp_path / "out")
    row = history().set_index("job_id").loc[result.id]
    assert row["downloads"] == [str(path)] and row["outputs"][0]["kind"] == "image"

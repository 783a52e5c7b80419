"""Every item of API-CONTRACT.md's Tolerance list, against a server that answers in the variant shapes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from sume_notebook import (
    AmbiguousCreateError,
    APIError,
    AsyncSume,
    BadRequestError,
    ConflictError,
    JobTimeoutError,
    NotFoundError,
    PollSchedule,
    ServerError,
)

from .variant_server import BASE_URL, VariantServer


@pytest.fixture
def server() -> VariantServer:
    return VariantServer()


@pytest.fixture
async def client(server: VariantServer) -> AsyncIterator[AsyncSume]:
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=server.app))
    async with AsyncSume(api_key="sume_test_variants", base_url=BASE_URL, http_client=http, max_retries=0,
                         journal=False, poll_schedule=PollSchedule(first=0.01, cap=0.05)) as c:
        yield c
    await http.aclose()


@pytest.mark.parametrize(("shape", "job_id"), [("nested", "job_nested"), ("job_id", "job_top"), ("id", "job_bare")])
async def test_created_job_id_from_any_field(client: AsyncSume, shape: str, job_id: str) -> None:
    job = await client.images.generate(shape)
    assert job.id == job_id and job.status == "queued"


async def test_face_swap_jobs_primary_first(client: AsyncSume) -> None:
    jobs = await client.face_swap.create("https://media.example/src.mp4", ["a", "b"])
    assert [j.id for j in jobs] == ["job_fs_a", "job_fs_b"] and jobs[0].avatar_id == "a"


async def test_accepted_without_any_id_is_ambiguous(client: AsyncSume) -> None:
    with pytest.raises(AmbiguousCreateError, match="no job id"):
        await client.videos.generate("no id")


@pytest.mark.parametrize("shape", ["items", "bare", "no_cursor", "data"])
async def test_list_items_from_any_envelope(client: AsyncSume, shape: str) -> None:
    jobs = await client.jobs.list(type=shape).to_list()
    assert [j.id for j in jobs] == ["job_0", "job_1", "job_2"]


@pytest.mark.parametrize("shape", ["total", "total_count"])
async def test_a_page_carries_the_lists_total_when_the_service_gives_one(client: AsyncSume, shape: str) -> None:
    pages = [page async for page in client.jobs.list(type=shape).pages()]
    assert [page.total for page in pages] == [40] and len(pages[0]) == 3
    assert [page.total async for page in client.jobs.list(type="data").pages()] == [None]


async def test_paging_follows_next_cursor_until_null(client: AsyncSume) -> None:
    assert [j.id for j in await client.jobs.list(type="paged").to_list()] == ["job_p0", "job_p1", "job_p2"]


async def test_unknown_fields_kept_absent_fields_missing(client: AsyncSume) -> None:
    job = await client.jobs.get("job_extra")
    assert job.priority == "high" and job.eta == {"seconds": 3}
    assert job.created_at is None and job.progress is None and job.type is None
    with pytest.raises(AttributeError):
        job.not_sent_at_all
    bare = await client.images.generate("id")
    assert bare.estimated_seconds == 12


async def test_progress_as_percent(client: AsyncSume) -> None:
    job = await client.jobs.get("job_percent")
    assert job.progress == pytest.approx(0.42)
    await job.wait()
    assert job.progress == 1.0


async def test_unknown_status_is_not_terminal_and_is_named(client: AsyncSume) -> None:
    job = await client.jobs.get("job_unknown")
    assert not job.is_terminal
    with pytest.raises(JobTimeoutError, match="paused_by_provider"):
        await job.wait(timeout=0.2)


@pytest.mark.parametrize(
    ("variant", "error", "message", "request_id"),
    [
        ("message", BadRequestError, "Avatar id is malformed.", "req_hdr"),
        ("detail", NotFoundError, "No such avatar.", "req_hdr"),
        ("text", ServerError, "upstream exploded", None),
        ("body", ConflictError, "Busy.", "req_in_body"),
    ],
)
async def test_error_message_and_request_id_from_any_place(
    client: AsyncSume, variant: str, error: type[APIError], message: str, request_id: str | None
) -> None:
    with pytest.raises(error) as caught:
        await client.avatars.get(variant)
    assert caught.value.message == message and caught.value.request_id == request_id

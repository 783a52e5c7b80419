"""Jobs: list, get, result, attach, and how waiting ends (completed, failed, expired, canceled, timed out)."""

from __future__ import annotations

import asyncio

import pytest

from sume_notebook import (
    AsyncSume,
    ConflictError,
    Job,
    JobFailedError,
    JobTimeoutError,
    NotFoundError,
    Sume,
    SumeError,
)
from sume_notebook.sandbox import SandboxHandle


async def test_list_filters_pages_and_frame(client: AsyncSume) -> None:
    made = [await client.images.generate(f"list test {i}") for i in range(3)]
    await asyncio.gather(*(j.wait() for j in made))
    listed = await client.jobs.list(type="image_generation", limit=2, max_items=3).to_list()
    assert len(listed) == 3 and all(isinstance(j, Job) and j.type == "image_generation" for j in listed)
    pages = [p async for p in client.jobs.list(type="image_generation", limit=2).pages()]
    assert all(len(p) <= 2 for p in pages) and pages[-1].next_cursor is None
    assert {j.id for j in made} <= {j.id for p in pages for j in p}
    completed = await client.jobs.list(status="completed").to_list()
    assert all(j.status == "completed" for j in completed)
    frame = await client.jobs.list(type="image_generation").to_pandas()
    assert str(frame["created_at"].dtype).startswith("datetime64") and str(frame["created_at"].dt.tz) == "UTC"
    assert str(frame["status"].dtype) == "category" and str(frame["id"].dtype) == "string"


async def test_a_listing_continues_from_a_saved_cursor(client: AsyncSume) -> None:
    made = [await client.images.generate(f"cursor test {i}") for i in range(3)]
    await asyncio.gather(*(j.wait() for j in made))
    first = await client.jobs.list(limit=2).pages().__anext__()
    assert first.next_cursor is not None
    rest = await client.jobs.list(limit=2, cursor=first.next_cursor, max_items=2).to_list()
    assert len(rest) == 2 and not {j.id for j in rest} & {j.id for j in first}
    everything = await client.jobs.list(limit=4, max_items=4).to_list()
    assert [j.id for j in everything] == [j.id for j in [*first, *rest]]
    listing = await client.jobs.list(limit=2).listing()  # what a list command shows: one page, read once
    assert [j.id for j in listing.items] == list(listing.frame["id"]) == [j.id for j in first]
    assert listing.next_cursor == first.next_cursor
    assert len((await client.jobs.list(limit=2).listing(pages=None)).items) >= len(everything)


async def test_get_and_result_before_completion(client: AsyncSume, sb: SandboxHandle) -> None:
    sb.configure(time_scale=1.0)
    job = await client.videos.generate("slow video", duration=15)
    sb.configure(time_scale=0.02)
    fetched = await client.jobs.get(job.id)
    assert fetched.id == job.id and not fetched.is_terminal
    with pytest.raises(ConflictError) as caught:
        await client.jobs.result(job.id)
    assert caught.value.status == 409 and caught.value.code == "job_not_completed"


async def test_attach_and_wait_by_id(client: AsyncSume) -> None:
    job = await client.images.generate("attach me")
    attached = await client.jobs.attach(job.id)
    assert attached.id == job.id and attached is not job
    done = await client.jobs.wait(job.id)
    assert done.status == "completed"


async def test_other_workspace_cannot_see_the_job(client: AsyncSume, sb: SandboxHandle) -> None:
    job = await client.images.generate("private")
    async with AsyncSume(api_key=sb.keys["other"], base_url=sb.url) as other:
        with pytest.raises(NotFoundError) as caught:
            await other.jobs.get(job.id)
        with pytest.raises(NotFoundError):
            await other.jobs.wait(job.id)
    assert caught.value.status == 404 and caught.value.request_id


@pytest.mark.parametrize("outcome", ["failed", "expired", "canceled"])
async def test_wait_raises_when_the_job_does_not_complete(client: AsyncSume, sb: SandboxHandle, outcome: str) -> None:
    sb.add_job_fault(outcome=outcome, count=1, code="provider_error", message="The provider rejected the prompt.")
    job = await client.images.generate("doomed")
    with pytest.raises(JobFailedError) as caught:
        await job.wait()
    assert caught.value.job_id == job.id and caught.value.status == outcome == job.status
    if outcome == "failed":
        assert caught.value.code == "provider_error" and "rejected the prompt" in str(caught.value)
        assert job.error and job.error.code == "provider_error"


async def test_wait_timeout_leaves_the_job_running(client: AsyncSume, sb: SandboxHandle) -> None:
    sb.configure(time_scale=1.0)
    job = await client.videos.generate("long one", duration=15)
    sb.configure(time_scale=0.02)
    with pytest.raises(JobTimeoutError) as caught:
        await job.wait(timeout=0.2)
    assert caught.value.job_id == job.id and caught.value.status in ("queued", "running")
    assert "keeps running" in str(caught.value)


async def test_progress_is_reported_to_on_update(client: AsyncSume, sb: SandboxHandle) -> None:
    sb.configure(time_scale=0.1)
    updates: list[float | None] = []
    job = await client.videos.generate("progress please", duration=4)
    await job.wait(on_update=lambda j: updates.append(j.progress))
    assert updates[-1] == 1.0
    assert all(0 <= p <= 1 for p in updates if p is not None)
    assert any(p is not None and 0 < p < 1 for p in updates), updates


async def test_two_waiters_share_one_watch(client: AsyncSume) -> None:
    job = await client.images.generate("shared")
    twin = await client.jobs.get(job.id)
    a, b = await asyncio.gather(job.wait(), twin.wait())
    assert a.status == b.status == "completed"


def test_blocking_wait_and_refresh(sume: Sume) -> None:
    job = sume.images.generate("blocking")
    assert job.refresh().id == job.id
    assert job.wait().status == "completed"
    assert job.result().outputs[0].kind == "image"


async def test_closing_the_client_ends_waits_cleanly(sb: SandboxHandle) -> None:
    sb.configure(time_scale=1.0)
    client = AsyncSume(api_key=sb.api_key, base_url=sb.url)
    job = await client.videos.generate("closed mid-wait", duration=4)
    sb.configure(time_scale=0.02)
    waiting = asyncio.ensure_future(job.wait())
    await asyncio.sleep(0.05)
    await client.close()
    with pytest.raises(SumeError, match="keeps running"):
        await waiting

"""`submit_many`: validation of the whole batch first, input order, and the workspace's capacity kept full."""

from __future__ import annotations

import asyncio

import pytest

from sume_notebook import AsyncSume, InsufficientCreditsError, InvalidRequestError, Sume, history
from sume_notebook.sandbox import SandboxHandle


def prompts_by_job() -> dict[str, str]:
    return {r["job_id"]: r["request_prompt"] for r in history().to_dict("records")}


async def test_batch_keeps_capacity_full_and_returns_in_order(client: AsyncSume, sb: SandboxHandle) -> None:
    requests = [{"prompt": f"batch {i}", "aspect_ratio": "1:1"} for i in range(12)]
    jobs = await client.submit_many(requests)
    await asyncio.gather(*(j.wait() for j in jobs))
    by_job = prompts_by_job()
    assert [by_job[j.id] for j in jobs] == [f"batch {i}" for i in range(12)]
    assert all(j.status == "completed" for j in jobs)
    spans = [sb.job_timeline(j.id) for j in jobs]
    edges = sorted([(s["created_at"], 1) for s in spans] + [(s["ends_at"], -1) for s in spans])
    running = peak = 0
    for _, step in edges:
        running += step
        peak = max(peak, running)
    too_many = sb.stats()["responses"].get("429", 0)
    print(f"\nsubmit_many: 12 jobs, capacity 4: {too_many} answers 429, at most {peak} running at once")
    assert peak == 4 and too_many <= 3


async def test_mixed_kinds(client: AsyncSume) -> None:
    jobs = await client.submit_many([
        {"kind": "image", "prompt": "a"},
        {"kind": "video", "prompt": "b", "duration": 4},
        {"kind": "analysis", "url": "https://www.instagram.com/reel/Cbatch1/"},
    ])
    assert [j.type for j in jobs] == ["image_generation", "video_generation", "reference_analysis"]


async def test_whole_batch_is_validated_before_anything_is_sent(client: AsyncSume, sb: SandboxHandle) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        await client.submit_many([
            {"prompt": "fine"},
            {"kind": "video", "prompt": "bad", "duration": 30},
            {"prompt": "typo", "aspect_ration": "1:1"},
            {"kind": "hologram", "prompt": "x"},
            {"kind": "video"},
            "not a dict",
        ])
    assert {f.field for f in caught.value.fields} == {
        "requests[1].duration", "requests[2].aspect_ration", "requests[3].kind", "requests[4].prompt", "requests[5]",
    }
    assert sb.stats()["requests"] == {}


async def test_capacity_used_by_someone_else_is_waited_for(sb: SandboxHandle) -> None:
    sb.configure(max_active_generations=2)
    async with AsyncSume(api_key=sb.api_key, base_url=sb.url) as other_kernel, \
            AsyncSume(api_key=sb.api_key, base_url=sb.url) as client:
        await other_kernel.videos.generate("someone else's job", duration=4)
        jobs = await client.submit_many([{"prompt": f"squeezed {i}"} for i in range(4)], max_concurrency=2)
        await asyncio.gather(*(j.wait() for j in jobs))
    assert all(j.status == "completed" for j in jobs)


async def test_a_refused_create_stops_the_batch_and_says_what_was_accepted(sb: SandboxHandle) -> None:
    async with AsyncSume(api_key=sb.keys["poor"], base_url=sb.url) as poor:
        with pytest.raises(InsufficientCreditsError) as caught:
            await poor.submit_many([{"prompt": f"cheap {i}"} for i in range(8)], max_concurrency=8)
    accepted = caught.value.submitted_jobs
    assert 0 < len(accepted) < 8 and all(j.id for j in accepted)


def test_blocking_submit_many(sume: Sume) -> None:
    jobs = sume.submit_many([{"prompt": "sync a"}, {"prompt": "sync b"}])
    assert [j.wait().status for j in jobs] == ["completed", "completed"]


async def test_a_batch_starts_even_when_the_capacity_read_keeps_failing(client: AsyncSume, sb: SandboxHandle) -> None:
    sb.add_fault("GET /api/v1/credits", kind="status", status=503, count=3)  # the read and both of its retries
    jobs = await client.submit_many([{"prompt": f"no capacity read {i}"} for i in range(3)])
    assert len(jobs) == 3 and all(job.id for job in jobs)
    await asyncio.gather(*(job.wait() for job in jobs))
    assert sb.stats()["requests"].get("POST /api/v1/images/generations") == 3


async def test_a_dry_run_estimates_what_the_sandbox_then_reserves(client: AsyncSume, sb: SandboxHandle) -> None:
    requests = [
        {"prompt": "estimate a"}, {"prompt": "estimate b", "quality": "high"},
        {"kind": "video", "prompt": "estimate c", "duration": 4, "resolution": "480p", "generate_audio": True},
        {"kind": "analysis", "url": "https://www.instagram.com/reel/Cestimate1/"},
    ]
    estimate = await client.submit_many(requests, dry_run=True)
    before = (await client.credits()).remaining_credits
    assert (estimate.jobs, estimate.credits, estimate.remaining) == (4, 2 + 4 + 2 * 4 + 4 + 5, before)
    assert sb.stats()["requests"].get("POST /api/v1/images/generations") is None  # nothing was created
    await client.submit_many(requests)
    assert before - (await client.credits()).remaining_credits == estimate.credits

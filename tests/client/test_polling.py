"""One poller for every waiting job: list calls instead of one request per job. Figures are printed, not asserted."""

from __future__ import annotations

import asyncio
import statistics
import time

from sume_notebook import AsyncSume, PollSchedule
from sume_notebook.sandbox import SandboxHandle
from tests.support import requests_to


async def test_twenty_concurrent_jobs_cost_a_few_list_calls(sb: SandboxHandle) -> None:
    sb.configure(max_active_generations=20, time_scale=0.5)  # image jobs of about 2 s, the production schedule
    async with AsyncSume(api_key=sb.api_key, base_url=sb.url) as client:
        jobs = await asyncio.gather(*(client.images.generate(f"poll test {i}") for i in range(20)))
        seen_done: dict[str, float] = {}

        def note(job) -> None:
            if job.is_terminal:
                seen_done.setdefault(job.id, time.time())

        sb.reset()  # count polling only
        await asyncio.gather(*(j.wait(on_update=note) for j in jobs))
    lists, singles = requests_to(sb, "GET /api/v1/jobs"), requests_to(sb, "GET /api/v1/jobs/{job_id}")
    lags = [seen_done[j.id] - sb.job_timeline(j.id)["ends_at"] for j in jobs]
    print(f"\n20 concurrent ~2 s jobs: {lists} list calls + {singles} single reads = {lists + singles} polling requests "
          f"({(lists + singles) / 20:.2f} per job); detection lag median {statistics.median(lags):.2f} s, max {max(lags):.2f} s")
    assert all(j.status == "completed" for j in jobs)
    assert lists + singles < 20  # fewer polling requests than jobs


async def test_a_single_job_is_read_directly(client: AsyncSume, sb: SandboxHandle) -> None:
    job = await client.images.generate("alone")
    await job.wait()
    assert requests_to(sb, "GET /api/v1/jobs/{job_id}") >= 1 and requests_to(sb, "GET /api/v1/jobs") == 0


async def test_mixed_types_share_the_list(sb: SandboxHandle) -> None:
    async with AsyncSume(api_key=sb.api_key, base_url=sb.url, poll_schedule=PollSchedule(first=0.05, cap=0.2)) as client:
        jobs = [await client.images.generate("mixed"), await client.videos.generate("mixed", duration=4),
                await client.reference_analysis.create("https://www.instagram.com/reel/Cmixed1/")]
        await asyncio.gather(*(j.wait() for j in jobs))
    assert all(j.status == "completed" for j in jobs)
    assert requests_to(sb, "GET /api/v1/jobs") >= 1


def test_schedule_grows_to_its_cap() -> None:
    schedule = PollSchedule(jitter=0)
    delays = [schedule.delay(n) for n in range(10)]
    assert delays[0] == 0.5 and delays == sorted(delays) and delays[-1] == schedule.cap

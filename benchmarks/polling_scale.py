"""Benchmark 10, polling at scale: status requests per job with 10, 100 and 1,000 image jobs in flight.

The cost of waiting must not grow with the number of jobs: ours reads one `GET /jobs` page for up to 100 jobs
it waits on, so its requests per job stay flat (or fall) as the count grows. The baseline is benchmark 1's
hand-written loop, `GET /jobs/{id}` once a second per job, whose cost per job is the job's duration in seconds
whatever the count. Same sandbox, each count ours then baseline, the request counters reset in between.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from sume_notebook.client import AsyncSume

from ._by_hand import http_client, poll_every_second
from ._sandbox import Bench, fresh_sandbox, status_reads
from ._table import Row

__all__ = ["NUMBER", "run"]

NUMBER = 10
COUNTS = (10, 100, 1000)
_SENDING = 50  # creates in flight at once on either side: 1,000 at once would time out on the connection pool


async def _ours(bench: Bench, count: int) -> int:
    """Create with `submit_many`, then `job.wait()` for every job under `asyncio.gather`; return the jobs seen."""
    async with AsyncSume(api_key=bench.box.api_key, base_url=bench.box.url,
                         journal=bench.workdir / "journal.sqlite3") as client:
        jobs = await client.submit_many([{"prompt": "bench"}] * count, max_concurrency=_SENDING)
        await asyncio.gather(*(job.wait() for job in jobs))
    return len(jobs)


async def _by_hand(bench: Bench, count: int) -> int:
    """POST with at most `_SENDING` at once, then `GET /jobs/{id}` once a second per job until it ends."""
    sending = asyncio.Semaphore(_SENDING)
    async with http_client(bench) as http:

        async def one() -> float:
            async with sending:
                job_id = (await http.post("/images/generations", json={"prompt": "bench"})).raise_for_status()
            return await poll_every_second(http, job_id.json()["job_id"])

        return len(await asyncio.gather(*(one() for _ in range(count))))


def run(counts: Sequence[int] = COUNTS, time_scale: float = 1.0) -> list[Row]:
    rows: list[Row] = []
    with fresh_sandbox(time_scale, max_active_generations=max(counts)) as bench:
        duration = bench.job_duration("image_generation")
        print(f"10 polling at scale: image jobs of ~{duration:.1f} s, created {_SENDING} at a time "
              f"(time scale {time_scale:g})")
        for count in counts:
            reads: dict[str, float] = {}
            for name, phase in (("ours", _ours), ("baseline", _by_hand)):
                bench.box.reset()
                jobs = asyncio.run(phase(bench, count))
                reads[name] = status_reads(bench.box.stats()) / jobs
            print(f"  {count:>5,} jobs: {reads['ours']:.2f} status reads per job (ours), "
                  f"{reads['baseline']:.2f} (baseline)")
            rows.append(Row(f"10 polling: status requests per job, {count:,} jobs", reads["ours"], reads["baseline"]))
    return rows

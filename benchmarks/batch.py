"""Benchmark 2, batch: 200 image jobs through a workspace that runs at most 8 generations at a time.

Makespan is divided by the ideal, ceil(200 / 8) x the nominal job duration (2 s at time scale 0.5): a batch that
keeps all 8 slots busy scores about 1. The sandbox counts every 429 it answers. Lost jobs are requests the client
does not hold as ended; duplicated jobs are jobs the service created beyond those requested. Both must be 0.
Ours: `client.submit_many` then `job.wait()` for all, journalled. Baseline: plain httpx, all 200 creates at once,
each sleeping `Retry-After` on a 429 and retrying, then `GET /jobs/{id}` once a second. Same sandbox, in turn.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from sume_notebook import AsyncSume, Journal

from ._by_hand import TERMINAL, http_client, poll_every_second
from ._sandbox import Bench, fresh_sandbox, job_ids_on_service
from ._table import Row

__all__ = ["NUMBER", "run"]

NUMBER = 2
_JOB_TYPE = "image_generation"


@dataclass(frozen=True)
class _Outcome:
    makespan: float
    rate_limited: int  # 429 answers
    ended: int  # jobs the client holds as ended
    created: int  # jobs the service created


async def _ours(bench: Bench, jobs: int) -> tuple[float, int]:
    journal = Journal(bench.workdir / "journal.sqlite3")
    async with AsyncSume(api_key=bench.box.api_key, base_url=bench.box.url, journal=journal) as client:
        started = time.perf_counter()
        submitted = await client.submit_many({"prompt": f"bench {i}"} for i in range(jobs))
        await asyncio.gather(*(job.wait() for job in submitted))
        makespan = time.perf_counter() - started
    ended = {row["job_id"] for row in journal.entries() if row["job_id"] and row["status"] in TERMINAL}
    return makespan, len(ended)


async def _by_hand(bench: Bench, jobs: int) -> tuple[float, int]:
    async with http_client(bench) as http:

        async def one(index: int) -> str:
            while True:
                response = await http.post("/images/generations", json={"prompt": f"bench {index}"})
                if response.status_code != 429:
                    break
                await asyncio.sleep(float(response.headers.get("retry-after", 1)))
            job_id: str = response.raise_for_status().json()["job_id"]
            await poll_every_second(http, job_id)
            return job_id

        started = time.perf_counter()
        ended = await asyncio.gather(*(one(i) for i in range(jobs)))
        return time.perf_counter() - started, len(set(ended))


Phase = Callable[[Bench, int], Coroutine[Any, Any, tuple[float, int]]]  # (makespan, jobs held as ended)


def _measure(bench: Bench, phase: Phase, jobs: int) -> _Outcome:
    before = job_ids_on_service(bench)
    bench.box.reset()
    makespan, ended = asyncio.run(phase(bench, jobs))
    rate_limited = bench.box.stats()["responses"].get("429", 0)
    return _Outcome(makespan, rate_limited, ended, len(job_ids_on_service(bench) - before))


def run(jobs: int = 200, limit: int = 8, time_scale: float = 0.5) -> list[Row]:
    with fresh_sandbox(time_scale, max_active_generations=limit) as bench:
        duration = bench.job_duration(_JOB_TYPE)
        outcomes = {name: _measure(bench, phase, jobs) for name, phase in (("ours", _ours), ("baseline", _by_hand))}
    ideal = math.ceil(jobs / limit) * duration
    print(f"2 batch: {jobs} image jobs of ~{duration:g} s, {limit} active at most; ideal makespan {ideal:.1f} s")
    for name, o in outcomes.items():
        print(f"  {name:<9} makespan {o.makespan:.1f} s, {o.rate_limited} x 429; {o.ended} jobs ended as held by "
              f"the client, {o.created} created on the service: lost {jobs - o.ended}, "
              f"duplicated {max(0, o.created - jobs)}")
    ours, base = outcomes["ours"], outcomes["baseline"]
    return [
        Row("2 batch: makespan / ideal", ours.makespan / ideal, base.makespan / ideal),
        Row("2 batch: 429 answers", ours.rate_limited, base.rate_limited),
        Row("2 batch: lost jobs", jobs - ours.ended, jobs - base.ended),
        Row("2 batch: duplicated jobs", max(0, ours.created - jobs), max(0, base.created - jobs)),
    ]

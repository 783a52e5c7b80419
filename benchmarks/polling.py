"""Benchmark 1, polling: how soon a job's end is seen, and how many status reads it costs.

50 jobs run at once (half images of about 2.4 s, half reference analyses of about 4.8 s at time scale 0.6).
Detection latency is the moment the client sees a job terminal minus the end the sandbox recorded (`ends_at`).
Ours: `AsyncSume` with its default `PollSchedule`, `job.wait()` for every job under `asyncio.gather`.
Baseline: plain httpx, `GET /jobs/{id}` once a second per job until terminal. Same sandbox, one after the other.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Sequence

from sume_notebook.client import AsyncSume, Job

from ._by_hand import http_client, poll_every_second
from ._sandbox import Bench, fresh_sandbox, status_reads
from ._table import Row

__all__ = ["NUMBER", "run"]

NUMBER = 1
_REEL = "https://www.tiktok.com/@brand/video/7301234567890"
_KINDS = ("image", "analysis")
_TYPES = {"image": "image_generation", "analysis": "reference_analysis"}
_BODIES = {"image": ("/images/generations", {"prompt": "bench"}), "analysis": ("/reference-analysis", {"url": _REEL})}

Seen = list[tuple[str, float]]  # (job id, epoch seconds its end was seen)


async def _create(client: AsyncSume, kind: str) -> Job:
    if kind == "image":
        return await client.images.generate("bench")
    return await client.reference_analysis.create(_REEL)


async def _seen_end(job: Job) -> float:
    await job.wait()
    return time.time()


async def _ours(bench: Bench, kinds: Sequence[str]) -> Seen:
    async with AsyncSume(api_key=bench.box.api_key, base_url=bench.box.url,
                         journal=bench.workdir / "journal.sqlite3") as client:
        jobs = await asyncio.gather(*(_create(client, kind) for kind in kinds))
        seen = await asyncio.gather(*(_seen_end(job) for job in jobs))
    return [(job.id, moment) for job, moment in zip(jobs, seen)]


async def _by_hand(bench: Bench, kinds: Sequence[str]) -> Seen:
    async with http_client(bench) as http:

        async def one(kind: str) -> tuple[str, float]:
            path, body = _BODIES[kind]
            job_id = (await http.post(path, json=body)).raise_for_status().json()["job_id"]
            return job_id, await poll_every_second(http, job_id)

        return list(await asyncio.gather(*(one(kind) for kind in kinds)))


def _p95(values: Sequence[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def _measure(bench: Bench, seen: Seen) -> tuple[list[float], float]:
    """Detection latencies in seconds, and status reads per job, from the sandbox's records."""
    latencies = [moment - bench.ends_at(job_id) for job_id, moment in seen]
    return latencies, status_reads(bench.box.stats()) / len(seen)


def run(jobs: int = 50, time_scale: float = 0.6) -> list[Row]:
    kinds = [_KINDS[i % len(_KINDS)] for i in range(jobs)]
    results: dict[str, tuple[list[float], float]] = {}
    with fresh_sandbox(time_scale, max_active_generations=jobs) as bench:
        for name, phase in (("ours", _ours), ("baseline", _by_hand)):
            bench.box.reset()
            results[name] = _measure(bench, asyncio.run(phase(bench, kinds)))
        durations = ", ".join(f"{kind} ~{bench.job_duration(_TYPES[kind]):.1f} s" for kind in _KINDS)
    print(f"1 polling: {jobs} concurrent jobs ({durations}; time scale {time_scale:g})")
    for name, (latencies, reads) in results.items():
        print(f"  {name:<9} latency median {statistics.median(latencies):.3f} s, p95 {_p95(latencies):.3f} s, "
              f"max {max(latencies):.3f} s; {reads:.2f} status reads per job")
    (ours, ours_reads), (base, base_reads) = results["ours"], results["baseline"]
    return [
        Row("1 polling: detection latency median, s", statistics.median(ours), statistics.median(base)),
        Row("1 polling: detection latency p95, s", _p95(ours), _p95(base)),
        Row("1 polling: status requests per job", ours_reads, base_reads),
    ]

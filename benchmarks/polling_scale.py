"""Benchmark 9, polling at scale: status requests per job with 10, 100 and 1,000 image jobs in flight.

The cost of waiting must not grow with the number of jobs: ours reads one `GET /jobs` page for up to 100 jobs
it waits on, so its requests per job stay flat (or fall) as the count grows. The baseline is benchmark 1's
hand-written loop, `GET /jobs/{id}` once a second per job, whose cost per job is the job's duration in seconds
whatever the count. Same sandbox, each count ours then baseline, the request counters reset in between.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from ._sandbox import fresh_sandbox, status_reads
from ._table import Row
from .polling import _by_hand, _ours

__all__ = ["NUMBER", "run"]

NUMBER = 9
COUNTS = (10, 100, 1000)


def run(counts: Sequence[int] = COUNTS, time_scale: float = 1.0) -> list[Row]:
    rows: list[Row] = []
    with fresh_sandbox(time_scale, max_active_generations=max(counts)) as bench:
        duration = bench.job_duration("image_generation")
        print(f"9 polling at scale: image jobs of ~{duration:.1f} s, all created at once (time scale {time_scale:g})")
        for count in counts:
            reads: dict[str, float] = {}
            for name, phase in (("ours", _ours), ("baseline", _by_hand)):
                bench.box.reset()
                seen = asyncio.run(phase(bench, ["image"] * count))
                reads[name] = status_reads(bench.box.stats()) / len(seen)
            print(f"  {count:>5,} jobs: {reads['ours']:.2f} status reads per job (ours), "
                  f"{reads['baseline']:.2f} (baseline)")
            rows.append(Row(f"9 polling: status requests per job, {count:,} jobs", reads["ours"], reads["baseline"]))
    return rows

"""Benchmark 7, the sandbox itself: how fast it answers job-status reads, so it is shown not to be the bottleneck.

Creates 20 jobs, then times sequential `GET /jobs/{id}` and `GET /jobs?limit=20` requests (500 of each by default)
over one keep-alive connection, which is what a polling client does. The baseline is the target: 500 requests
in under 2 s (250 per second), five times what the 1-second baseline of benchmark 1 asks for 50 jobs.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from ._sandbox import fresh_sandbox
from ._table import Row

__all__ = ["NUMBER", "run"]

NUMBER = 7
TARGET_PER_SECOND = 250.0
_JOBS = 20


def _per_second(get: Callable[[int], httpx.Response], requests: int) -> float:
    started = time.perf_counter()
    for index in range(requests):
        get(index).raise_for_status()
    return requests / (time.perf_counter() - started)


def run(requests: int = 500) -> list[Row]:
    with fresh_sandbox(time_scale=0.05, max_active_generations=_JOBS) as bench, \
            httpx.Client(base_url=bench.box.url, headers=bench.headers) as http:
        job_ids = [http.post("/images/generations", json={"prompt": f"bench {i}"}).raise_for_status().json()["job_id"]
                   for i in range(_JOBS)]
        _per_second(lambda i: http.get(f"/jobs/{job_ids[0]}"), min(requests, 50))  # warm-up
        single = _per_second(lambda i: http.get(f"/jobs/{job_ids[i % _JOBS]}"), requests)
        listed = _per_second(lambda i: http.get("/jobs", params={"limit": _JOBS}), requests)
    print(f"7 sandbox: {requests} sequential requests of each kind over one keep-alive connection; "
          f"baseline = the target of {TARGET_PER_SECOND:g}/s")
    return [
        Row("7 sandbox: GET /jobs/{id} requests/s", single, TARGET_PER_SECOND),
        Row("7 sandbox: GET /jobs?limit=20 requests/s", listed, TARGET_PER_SECOND),
    ]

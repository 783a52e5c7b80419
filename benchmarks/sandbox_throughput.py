"""How fast the sandbox answers job-status reads, so it is shown not to be the bottleneck of other benchmarks.

Creates 20 jobs, then times 500 sequential `GET /jobs/{id}` and 500 `GET /jobs?limit=20` over one
keep-alive connection, which is what a polling client does.
"""

from __future__ import annotations

import tempfile
import time

import httpx

from sume_notebook.sandbox import start_sandbox

REQUESTS = 500


def _timed(get, job_ids: list[str]) -> float:
    started = time.perf_counter()
    for index in range(REQUESTS):
        response = get(f"/jobs/{job_ids[index % len(job_ids)]}")
        response.raise_for_status()
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir, start_sandbox(data_dir=data_dir, time_scale=0.05) as box:
        box.configure(rate_limit_per_second=0, max_active_generations=50)
        headers = {"Authorization": f"Bearer {box.api_key}"}
        with httpx.Client(base_url=box.url, headers=headers) as client:
            job_ids = [client.post("/images/generations", json={"prompt": f"bench {i}"}).json()["job_id"]
                       for i in range(20)]
            _timed(client.get, job_ids[:1])  # warm-up
            single = _timed(client.get, job_ids)
            listed = _timed(lambda path: client.get("/jobs", params={"limit": 20}), job_ids)
    target = 2.0
    print(f"sandbox: {REQUESTS} sequential requests, one keep-alive connection (target: {REQUESTS} in < {target:g} s)")
    print(f"{'figure':<28}{'seconds':>10}{'requests/s':>13}{'vs target':>11}")
    for name, seconds in (("GET /jobs/{id}", single), ("GET /jobs?limit=20", listed)):
        print(f"{name:<28}{seconds:>10.3f}{REQUESTS / seconds:>13.0f}{target / seconds:>10.1f}x")


if __name__ == "__main__":
    main()

"""The code a user would write by hand with plain httpx, shared by the baselines of the polling and batch figures.

Create with `POST`, then `GET /jobs/{id}` once a second until the job reaches a terminal status.
"""

from __future__ import annotations

import asyncio
import time

import httpx

from ._sandbox import Bench

__all__ = ["TERMINAL", "http_client", "poll_every_second"]

TERMINAL = frozenset({"completed", "failed", "canceled", "expired"})
_POLL_SECONDS = 1.0


def http_client(bench: Bench) -> httpx.AsyncClient:
    """A plain client; no pool timeout, so a burst of 1,000 polls queues for a connection instead of failing."""
    return httpx.AsyncClient(base_url=bench.box.url, headers=bench.headers, timeout=httpx.Timeout(60.0, pool=None))


async def poll_every_second(http: httpx.AsyncClient, job_id: str) -> float:
    """Poll one job until it ends; return the wall-clock time (epoch seconds) the end was seen."""
    while True:
        await asyncio.sleep(_POLL_SECONDS)
        job = (await http.get(f"/jobs/{job_id}")).raise_for_status().json()
        if job["status"] in TERMINAL:
            return time.time()

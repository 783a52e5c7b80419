"""Benchmark 7, the sandbox itself: how fast it answers job-status reads, so it is shown not to be the bottleneck,
and how a page of Asset Library search grows with the library.

Creates 20 jobs, then times sequential `GET /jobs/{id}` and `GET /jobs?limit=20` requests (500 of each by default)
over one keep-alive connection, which is what a polling client does. The baseline is the target: 500 requests
in under 2 s (250 per second), five times what the 1-second baseline of benchmark 1 asks for 50 jobs.

Search: the same pages of `GET /assets` (20 scenes: newest first, filtered, a text query by relevance) in a
library of 2,000 scenes (the baseline) and of 200,000 (ours), both served at once, their requests alternating;
the goal is a ratio of at most 2.
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Callable, Mapping

import httpx

from ._sandbox import fresh_sandbox
from ._table import Row

__all__ = ["NUMBER", "run"]

NUMBER = 7
TARGET_PER_SECOND = 250.0
_JOBS = 20
LIBRARIES = (2_000, 200_000)  # the baseline's library and ours, in scenes
# (figure, query): the AssetBrowser's first page, a filtered page, a text search ranked by relevance.
SEARCH_PAGES: tuple[tuple[str, Mapping[str, str]], ...] = (
    ("newest first", {}),
    ("brand + segment filter", {"brand": "Lumen", "segment_type": "hook"}),
    ('text "product demo hook"', {"q": "product demo hook"}),
)


def _per_second(get: Callable[[int], httpx.Response], requests: int) -> float:
    started = time.perf_counter()
    for index in range(requests):
        get(index).raise_for_status()
    return requests / (time.perf_counter() - started)


def _search_page_ms(libraries: tuple[int, int], repeats: int) -> list[dict[str, float]]:
    """Median milliseconds of each search page (first page and the page after it) in a library of each size.

    Both libraries are served at once and their requests alternate, so that load on the shared machine, which
    drifts from minute to minute, weighs on both sides alike.
    """
    timings: list[dict[str, float]] = [{}, {}]
    with contextlib.ExitStack() as stack:
        clients = []
        for scenes in libraries:
            bench = stack.enter_context(fresh_sandbox(time_scale=1.0, seed_scenes=scenes))
            clients.append(stack.enter_context(httpx.Client(base_url=bench.box.url, headers=bench.headers)))
        for label, query in SEARCH_PAGES:
            params = {**query, "limit": "20"}
            cursors = [http.get("/assets", params=params).raise_for_status().json()["next_cursor"]  # warm-up
                       for http in clients]
            runs: list[list[float]] = [[], []]
            for index in range(repeats):
                for side in ((0, 1) if index % 4 < 2 else (1, 0)):
                    paged = {"cursor": cursors[side]} if index % 2 else {}
                    started = time.perf_counter()
                    clients[side].get("/assets", params={**params, **paged}).raise_for_status()
                    runs[side].append((time.perf_counter() - started) * 1000)
            for side in (0, 1):
                timings[side][label] = statistics.median(runs[side])
    return timings


def run(requests: int = 500, search_repeats: int = 20, libraries: tuple[int, int] = LIBRARIES) -> list[Row]:
    with fresh_sandbox(time_scale=0.05, max_active_generations=_JOBS) as bench, \
            httpx.Client(base_url=bench.box.url, headers=bench.headers) as http:
        job_ids = [http.post("/images/generations", json={"prompt": f"bench {i}"}).raise_for_status().json()["job_id"]
                   for i in range(_JOBS)]
        _per_second(lambda i: http.get(f"/jobs/{job_ids[0]}"), min(requests, 50))  # warm-up
        single = _per_second(lambda i: http.get(f"/jobs/{job_ids[i % _JOBS]}"), requests)
        listed = _per_second(lambda i: http.get("/jobs", params={"limit": _JOBS}), requests)
    print(f"7 sandbox: {requests} sequential requests of each kind over one keep-alive connection; "
          f"baseline = the target of {TARGET_PER_SECOND:g}/s")
    small, large = _search_page_ms(libraries, search_repeats)
    print(f"7 sandbox: a search page of 20 (median of {search_repeats}, first and next pages) at "
          f"{libraries[1]:,} scenes; baseline = the same page at {libraries[0]:,}; goal ratio <= 2")
    return [
        Row("7 sandbox: GET /jobs/{id} requests/s", single, TARGET_PER_SECOND),
        Row("7 sandbox: GET /jobs?limit=20 requests/s", listed, TARGET_PER_SECOND),
        *(Row(f"7 search ms 200k/2k: {label}", large[label], small[label]) for label, _ in SEARCH_PAGES),
    ]

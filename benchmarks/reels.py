"""Benchmark 8, reels: five reels analysed, rerun, matched against the library and shown; ours against by hand.

Ours: `reference_analysis.analyze_many` (a rerun reads the journalled analyses back), `ReelSet.match_library`
(searches and thumbnails four at a time) and `match_view()` (thumbnails downscaled and inlined). By hand: what
notebook 04 did before `ReelSet`, `submit_many` of the five URLs on every run, then waiting for each; one search
per reel scene with plain httpx, one after the other, with the same query and filter; and the candidates'
thumbnails inlined as the service sends them. Each side of the match runs in a fresh process (`_reel_matcher`),
best of two; on the local sandbox the searches are CPU work on the same cores, so going four at a time gains
little here: the figure checks that bounding and downscaling cost little, not the speed-up against a remote
service.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from sume_notebook import Sume
from sume_notebook.client import PollSchedule

from ._sandbox import Bench, fresh_sandbox
from ._table import Row
from ._turns import best_per_side

__all__ = ["NUMBER", "run"]

NUMBER = 8
URLS = [
    "https://www.tiktok.com/@weeknightkitchen/video/7351234567890123456",
    "https://www.instagram.com/reel/C4xYzAbCdEf/",
    "https://www.tiktok.com/@calmpaws/video/7359876543210987654",
    "https://www.instagram.com/reel/C5QrStUvWxY/",
    "https://vm.tiktok.com/ZMabc1234/",
]
_ROOT = Path(__file__).resolve().parent.parent
_CREATES = "POST /api/v1/reference-analysis"
_QUICK = PollSchedule(first=0.05, factor=1.5, cap=0.3)


def _by_hand_rerun(sume: Sume, urls: list[str]) -> float:
    started = time.perf_counter()
    for job in sume.submit_many([{"kind": "analysis", "url": url} for url in urls]):
        job.wait()
        job.result()
    return time.perf_counter() - started


def _matched(bench: Bench, side: str, urls: list[str], home: Path) -> dict[str, float]:
    """One side of the library match in a fresh process (see `_reel_matcher`)."""
    env = {**os.environ, "SUME_BASE_URL": bench.box.url, "SUME_API_KEY": bench.box.api_key,
           "SUME_NOTEBOOK_HOME": str(home)}
    command = [sys.executable, "-m", "benchmarks._reel_matcher", side, *urls]
    done = subprocess.run(command, cwd=_ROOT, env=env, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(reel_count: int = 5, time_scale: float = 0.05) -> list[Row]:
    urls = URLS[:reel_count]
    with fresh_sandbox(time_scale=time_scale) as bench:
        home = bench.workdir / "home"
        with Sume(api_key=bench.box.api_key, base_url=bench.box.url, journal=home / "journal.sqlite3",
                  poll_schedule=_QUICK) as sume:
            started = time.perf_counter()
            reels = sume.reference_analysis.analyze_many(urls)
            first = time.perf_counter() - started
            bench.box.reset()
            started = time.perf_counter()
            sume.reference_analysis.analyze_many(urls)
            rerun, rerun_creates = time.perf_counter() - started, bench.box.stats()["requests"].get(_CREATES, 0)
            bench.box.reset()
            by_hand_rerun = _by_hand_rerun(sume, urls)
            by_hand_creates = bench.box.stats()["requests"].get(_CREATES, 0)
        _matched(bench, "baseline", urls, home)  # the sandbox renders each thumbnail once: warm them up, untimed
        best = best_per_side(lambda side, _: _matched(bench, side, urls, home), lambda result: result["seconds"])
        ours, by_hand = best["ours"], best["baseline"]
    scenes = sum(len(a.scenes) for a in reels)
    print(f"8 reels: {len(urls)} reels, {scenes} scenes: analysed in {first:.2f} s, rerun {rerun:.2f} s "
          f"({rerun_creates} creates) vs {by_hand_rerun:.2f} s ({by_hand_creates} creates) by hand; match_library "
          f"{ours['seconds']:.2f} s vs {by_hand['seconds']:.2f} s one at a time (searches and thumbnails, warm, each "
          "in a fresh process, best of 2)")
    return [
        Row("8 reels: creates sent when a notebook reruns", rerun_creates, by_hand_creates),
        Row("8 reels: seconds to have the analyses on a rerun", rerun, by_hand_rerun),
        Row("8 reels: seconds to match every scene, 3 candidates each", ours["seconds"], by_hand["seconds"]),
        Row("8 reels: match view, KB (thumbnails inline)", ours["bytes"] / 1024, by_hand["bytes"] / 1024),
    ]

"""Benchmark 11, the library's local mirror: sync at 20,000 (and, opt-in, 200,000) scenes, full and incremental,
and a question asked of the mirror with DuckDB against the same question asked with pandas of `to_pandas()`.

Setup (not measured): a sandbox started with the library that long (`start_sandbox(seed_scenes=...)`). Each
measurement runs in a fresh process (`_mirror_runner`) so it counts the client alone:
- full sync: ours `assets.sync(DIR)` into an empty folder; baseline every page by hand, `json_normalize`,
  `to_parquet(partition_cols=...)`; best of two runs each, alternated (as are the others);
- incremental sync after a few video generations added new scenes: ours reads only the new ones; by hand there is
  no state, so the baseline reads and writes everything again;
- query: scenes with a call to action per segment type and month, DuckDB over the mirror against pandas over a
  fresh `assets.list().to_pandas()` (what one does without a mirror).
200,000 scenes take minutes: set `SUME_BENCH_LARGE=1` (or pass `sizes=`) to include them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sume_notebook import Sume

from ._sandbox import Bench, fresh_sandbox
from ._table import Row
from ._turns import best_per_side

__all__ = ["NUMBER", "run"]

NUMBER = 11
_ROOT = Path(__file__).resolve().parent.parent
_NEW_VIDEOS = 5  # video generations between the two syncs; each joins the library with its scenes


def default_sizes() -> tuple[int, ...]:
    return (20_000, 200_000) if os.environ.get("SUME_BENCH_LARGE") == "1" else (20_000,)


def _run(bench: Bench, action: str, directory: Path) -> dict[str, Any]:
    env = {**os.environ, "SUME_API_KEY": bench.box.api_key, "SUME_BASE_URL": bench.box.url,
           "SUME_NOTEBOOK_HOME": str(bench.workdir / "home")}
    command = [sys.executable, "-m", "benchmarks._mirror_runner", action, str(directory)]
    done = subprocess.run(command, cwd=_ROOT, env=env, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout)


def _add_new_scenes(bench: Bench) -> None:
    with Sume(api_key=bench.box.api_key, base_url=bench.box.url, journal=False) as client:
        jobs = [client.videos.generate(f"new scene {i}") for i in range(_NEW_VIDEOS)]
        for job in jobs:
            job.wait()


def _best_of_two(bench: Bench, ours: str, baseline: str, directory: Any) -> dict[str, dict[str, Any]]:
    """Each side twice, in turns (see `_turns`); `directory(side, round)` names the folder each run works in."""
    return best_per_side(
        lambda side, turn: _run(bench, ours if side == "ours" else baseline, directory(side, turn // 2)),
        lambda result: result["seconds"],
    )


def _one_size(scenes: int) -> list[Row]:
    with fresh_sandbox(time_scale=0.05, seed_scenes=scenes) as bench:
        folder = bench.workdir
        full = _best_of_two(bench, "sync", "dump", lambda side, round_: folder / f"{side}-{round_}")
        query = _best_of_two(bench, "query", "pandas", lambda side, round_: folder / "ours-1")
        _add_new_scenes(bench)
        again = _best_of_two(bench, "sync", "dump", lambda side, round_: folder / f"{side}-{round_}")
    print(f"11 library mirror: {scenes:,} scenes in the library, then {_NEW_VIDEOS} generated videos' scenes")
    for label, result in (("full sync", full), ("incremental sync", again), ("query", query)):
        ours, base = result["ours"], result["baseline"]
        print(f"  {label:<17} ours {ours['seconds']:6.2f} s ({ours['cpu_seconds']:.2f} s CPU, {ours['rows']:,} rows); "
              f"baseline {base['seconds']:6.2f} s ({base['cpu_seconds']:.2f} s CPU, {base['rows']:,} rows)")
    return [
        Row(f"11 mirror: full sync, {scenes:,} scenes, s", full["ours"]["seconds"], full["baseline"]["seconds"]),
        Row(f"11 mirror: incremental sync, {scenes:,} scenes, s", again["ours"]["seconds"],
            again["baseline"]["seconds"]),
        Row(f"11 mirror: query (DuckDB/to_pandas), {scenes:,}, s", query["ours"]["seconds"],
            query["baseline"]["seconds"]),
    ]


def run(sizes: Sequence[int] | None = None) -> list[Row]:
    rows: list[Row] = []
    for scenes in sizes or default_sizes():
        rows += _one_size(scenes)
    return rows

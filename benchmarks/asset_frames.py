"""Benchmark 3, asset frames: 20,000 scenes paged into a DataFrame, ours against the hand-written loop.

Setup (not measured): the sandbox starts with a library of 20,000 scenes (`start_sandbox(seed_scenes=...)`).
Each side then reads every scene in pages of 100, in a fresh process (see `_frame_reader`) so that the figures
are the client's alone and not the in-process sandbox's:
rows per second end to end (best of four runs each, taken in turns, see `_turns`; ours needs two cores at once,
its client and the sandbox, so another process on this two-core machine costs it more than the baseline, which
waits for each page: three runs of the same code beside another session's work read 1.59, 1.02 and 1.62 with two
runs each, hence four), rows per second of client CPU, and the tracemalloc peak of a separate traced run.
Ours reads the library as three time windows at once (`to_pandas()`'s default for a list in creation-time order)
and, within each, overlaps the sandbox's work on the next page with its own on the previous one; the baseline
waits for each page in turn, as a hand-written loop does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from ._sandbox import Bench, fresh_sandbox
from ._table import Row
from ._turns import best_per_side

__all__ = ["NUMBER", "run"]

NUMBER = 3
_ROOT = Path(__file__).resolve().parent.parent
_MB = 1 << 20
_ROUNDS = 2


def _read(bench: Bench, mode: str, trace: bool) -> dict[str, Any]:
    env = {**os.environ, "SUME_API_KEY": bench.box.api_key, "SUME_BASE_URL": bench.box.url}
    command = [sys.executable, "-m", "benchmarks._frame_reader", mode, *(["--trace"] if trace else [])]
    done = subprocess.run(command, cwd=_ROOT, env=env, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout)


def run(scenes: int = 20_000) -> list[Row]:
    with fresh_sandbox(time_scale=1.0, seed_scenes=scenes) as bench:
        results = best_per_side(lambda mode, _: _read(bench, mode, trace=False), lambda timed: timed["seconds"],
                                rounds=_ROUNDS)
        for mode, result in results.items():
            result["peak_bytes"] = _read(bench, mode, trace=True)["peak_bytes"]
    print(f"3 asset frames: {results['ours']['rows']:,} scenes in pages of 100, each side in a fresh process "
          f"(best of {2 * _ROUNDS} timed runs)")
    for mode, r in results.items():
        dtypes = ", ".join(f"{n} {name}" for name, n in sorted(r["dtypes"].items(), key=lambda item: -item[1]))
        waiting = 1 - r["cpu_seconds"] / r["seconds"]
        print(f"  {mode:<9} {r['rows']:,} rows in {r['seconds']:.2f} s ({r['cpu_seconds']:.2f} s client CPU, "
              f"{waiting:.0%} waiting on the sandbox), peak {r['peak_bytes'] / _MB:.1f} MB; columns: {dtypes}")
    ours, base = results["ours"], results["baseline"]
    return [
        Row("3 asset frames: rows/s, end to end", ours["rows"] / ours["seconds"], base["rows"] / base["seconds"]),
        Row("3 asset frames: rows per client CPU second", ours["rows"] / ours["cpu_seconds"],
            base["rows"] / base["cpu_seconds"]),
        Row("3 asset frames: peak memory, MB (tracemalloc)", ours["peak_bytes"] / _MB, base["peak_bytes"] / _MB),
    ]

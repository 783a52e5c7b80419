"""Each benchmark runs end to end at a tiny size and yields its named figures as numbers; no time is asserted."""

from __future__ import annotations

import math
from types import ModuleType
from typing import Any

import pytest

from benchmarks import (
    asset_frames,
    batch,
    library_mirror,
    notebook_weight,
    polling,
    polling_scale,
    reels,
    report_weight,
    sandbox_throughput,
    startup,
    widget_traffic,
)
from benchmarks.__main__ import BENCHMARKS
from benchmarks._table import Row, format_table

TINY: list[tuple[ModuleType, dict[str, Any], list[str]]] = [
    (polling, {"jobs": 4, "time_scale": 0.05}, [
        "1 polling: detection latency median, s",
        "1 polling: detection latency p95, s",
        "1 polling: status requests per job",
    ]),
    (batch, {"jobs": 6, "limit": 2, "time_scale": 0.05}, [
        "2 batch: makespan / ideal",
        "2 batch: 429 answers",
        "2 batch: lost jobs",
        "2 batch: duplicated jobs",
    ]),
    (asset_frames, {"scenes": 500}, [
        "3 asset frames: rows/s, end to end",
        "3 asset frames: rows per client CPU second",
        "3 asset frames: peak memory, MB (tracemalloc)",
    ]),
    (startup, {"rounds": 1}, [
        "4 start-up: import sume_notebook, ms",
        "4 start-up: %load_ext sume_notebook, ms",
        "4 start-up: modules loaded by %load_ext",
        "4 start-up: heavy packages loaded (of 4)",
    ]),
    (widget_traffic, {"jobs": 4, "time_scale": 0.05}, [
        "5 widget traffic: comm messages/s, jobs running",
        "5 widget traffic: comm messages per job, in all",
        "5 widget traffic: kernel CPU share, % of a core",
        "5 widget traffic: kernel CPU s per job, in all",
    ]),
    (notebook_weight, {"styles": 2, "subjects": 1, "time_scale": 0.05}, [
        "6 notebook weight: .ipynb bytes, 2 images",
        "6 notebook weight: .ipynb bytes per image",
    ]),
    (sandbox_throughput, {"requests": 20, "search_repeats": 2, "libraries": (300, 600)}, [
        "7 sandbox: GET /jobs/{id} requests/s",
        "7 sandbox: GET /jobs?limit=20 requests/s",
        "7 search ms 200k/2k: newest first",
        "7 search ms 200k/2k: brand + segment filter",
        '7 search ms 200k/2k: text "product demo hook"',
    ]),
    (reels, {"reel_count": 2, "time_scale": 0.05}, [
        "8 reels: creates sent when a notebook reruns",
        "8 reels: seconds to have the analyses on a rerun",
        "8 reels: seconds to match every scene, 3 candidates each",
        "8 reels: match view, KB (thumbnails inline)",
    ]),
    (report_weight, {"images": 2}, [
        "9 report weight: .html bytes, 2 images",
        "9 report weight: .html bytes per image",
    ]),
    (polling_scale, {"counts": (2, 4), "time_scale": 0.05}, [
        "10 polling: status requests per job, 2 jobs",
        "10 polling: status requests per job, 4 jobs",
    ]),
    (library_mirror, {"sizes": (300,)}, [
        "11 mirror: full sync, 300 scenes, s",
        "11 mirror: incremental sync, 300 scenes, s",
        "11 mirror: query (DuckDB/to_pandas), 300, s",
    ]),
]


def test_every_registered_benchmark_has_a_smoke_run() -> None:
    assert {module for module, _, _ in TINY} == set(BENCHMARKS)


@pytest.mark.parametrize(("module", "size", "figures"), TINY, ids=[m.__name__ for m, _, _ in TINY])
def test_benchmark_runs_at_a_tiny_size(
    module: ModuleType, size: dict[str, Any], figures: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    rows = module.run(**size)
    assert [row.figure for row in rows] == figures
    for row in rows:
        assert all(isinstance(v, (int, float)) and math.isfinite(v) for v in (row.ours, row.baseline))
    assert capsys.readouterr().out  # each prints its details


def test_table_has_one_line_per_row_and_no_ratio_against_zero() -> None:
    table = format_table([Row("lost jobs", 0, 0), Row("rows/s", 3000.0, 1500.0)])
    lines = table.splitlines()
    assert lines[0].split() == ["figure", "ours", "baseline", "ratio"]
    assert lines[2].split()[-1] == "-" and lines[3].split()[-1] == "2"

"""One side of benchmark 3, run in a fresh process so its CPU time and memory are the client's alone.

`python -m benchmarks._frame_reader ours|baseline [--trace]` reads every scene of `SUME_BASE_URL` with
`SUME_API_KEY` into a DataFrame and prints JSON: rows, seconds, CPU seconds, the column dtypes and, with
`--trace`, the tracemalloc peak (tracing slows allocation, so the timed run goes without it).
Ours: `AsyncSume.assets.list(limit=100).to_pandas()`. Baseline: sequential `GET /assets?limit=100` pages
following `next_cursor`, then `pandas.json_normalize`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
import tracemalloc
from collections import Counter
from typing import Any

import httpx
import pandas as pd

from sume_notebook import AsyncSume

__all__ = ["every_asset_by_hand", "read_baseline", "read_ours"]

PAGE = 100


async def _ours() -> pd.DataFrame:
    async with AsyncSume(journal=False) as client:
        return await client.assets.list(limit=PAGE).to_pandas()


def read_ours() -> pd.DataFrame:
    return asyncio.run(_ours())


def every_asset_by_hand() -> list[dict[str, Any]]:
    """What one writes by hand: sequential `GET /assets?limit=100` pages following `next_cursor`, every record
    kept (the baselines of benchmarks 3 and 11)."""
    headers = {"Authorization": f"Bearer {os.environ['SUME_API_KEY']}"}
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": PAGE}
    with httpx.Client(base_url=os.environ["SUME_BASE_URL"], headers=headers, timeout=60.0) as http:
        while True:
            body = http.get("/assets", params=params).raise_for_status().json()
            items.extend(body["data"])
            if not body.get("next_cursor"):
                break
            params["cursor"] = body["next_cursor"]
    return items


def read_baseline() -> pd.DataFrame:
    return pd.json_normalize(every_asset_by_hand())


def _measure(mode: str, trace: bool) -> dict[str, Any]:
    reader = read_ours if mode == "ours" else read_baseline
    if trace:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    frame = reader()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    dtypes = Counter(str(dtype) for dtype in frame.dtypes)
    return {"rows": len(frame), "seconds": seconds, "cpu_seconds": cpu_seconds, "peak_bytes": peak,
            "dtypes": dict(dtypes)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("mode", choices=("ours", "baseline"))
    parser.add_argument("--trace", action="store_true", help="measure the tracemalloc peak")
    arguments = parser.parse_args()
    print(json.dumps(_measure(arguments.mode, arguments.trace)))


if __name__ == "__main__":
    main()

"""One side of benchmark 11, in a fresh process so its time and CPU are the client's alone.

`python -m benchmarks._mirror_runner ACTION DIR` against `SUME_BASE_URL` with `SUME_API_KEY`; prints JSON with
the seconds, CPU seconds and rows. Actions:
- `sync`: ours, `Sume().assets.sync(DIR)` (the first time everything, later only what is new);
- `dump`: the baseline, what one writes by hand: every `GET /assets?limit=100` page, `pandas.json_normalize`, a
  `month` column, then `DataFrame.to_parquet(DIR, partition_cols=["source_type", "month"])` into a fresh folder
  (by hand there is no state to read only what is new, so every run reads everything again);
- `query`: ours, the question asked of the mirror with DuckDB (`library(DIR)`);
- `pandas`: the baseline, the same question asked with pandas of a fresh `assets.list().to_pandas()`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from collections.abc import Callable

import pandas as pd

from sume_notebook import Sume, library

from ._frame_reader import every_asset_by_hand

__all__ = ["QUESTION"]

PAGE = 100
# Scenes with a call to action: how many per segment type and month, and their mean duration.
QUESTION = ("SELECT segment_type, month, count(*) AS scenes, avg(duration_seconds) AS mean_seconds FROM scenes "
            "WHERE cta_present GROUP BY segment_type, month ORDER BY segment_type, month")


def _sync(directory: str) -> int:
    with Sume() as client:
        return client.assets.sync(directory).fetched


def _dump(directory: str) -> int:
    frame = pd.json_normalize(every_asset_by_hand())
    frame["month"] = frame["created_at"].str[:7]
    shutil.rmtree(directory, ignore_errors=True)
    frame.to_parquet(directory, partition_cols=["source_type", "month"])
    return len(frame)


def _query(directory: str) -> int:
    return len(library(directory).sql(QUESTION).df())


def _pandas(_: str) -> int:
    with Sume() as client:
        frame = client.assets.list(limit=PAGE).to_pandas()
    frame["month"] = frame["created_at"].dt.strftime("%Y-%m")
    answer = (frame[frame["cta_present"]].groupby(["segment_type", "month"], observed=True)["duration_seconds"]
              .agg(scenes="count", mean_seconds="mean").reset_index())
    return len(answer)


ACTIONS: dict[str, Callable[[str], int]] = {"sync": _sync, "dump": _dump, "query": _query, "pandas": _pandas}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("action", choices=sorted(ACTIONS))
    parser.add_argument("directory")
    arguments = parser.parse_args()
    started, cpu = time.perf_counter(), time.process_time()
    rows = ACTIONS[arguments.action](arguments.directory)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    print(json.dumps({"rows": rows, "seconds": seconds, "cpu_seconds": cpu_seconds}), flush=True)


if __name__ == "__main__":
    main()
    # pyarrow's dataset writer (the baseline's `to_parquet(partition_cols=...)`) leaves threads that abort about one
    # interpreter exit in twenty ("terminate called without an active exception", apache/arrow#36980) after the
    # work is done and printed: leave without the interpreter's teardown.
    os._exit(0)

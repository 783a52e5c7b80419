"""`python -m benchmarks [NUMBER ...]` (make bench): run the benchmarks, then print one table of every figure."""

from __future__ import annotations

import argparse
import sys
import time
from types import ModuleType

from . import (
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
from ._table import Row, format_table

BENCHMARKS: tuple[ModuleType, ...] = (
    polling, batch, asset_frames, startup, widget_traffic, notebook_weight, sandbox_throughput, reels, report_weight,
    polling_scale, library_mirror,
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description="Run the benchmarks; print one table.")
    numbers = [module.NUMBER for module in BENCHMARKS]
    parser.add_argument("only", nargs="*", type=int, metavar="NUMBER",
                        help=f"run only these benchmarks (of {', '.join(map(str, numbers))})")
    chosen = set(parser.parse_args(argv).only or numbers)
    if chosen - set(numbers):
        parser.error(f"no benchmark {', '.join(map(str, sorted(chosen - set(numbers))))}")
    rows: list[Row] = []
    started = time.perf_counter()
    for module in BENCHMARKS:
        if module.NUMBER in chosen:
            rows += module.run()
            sys.stdout.flush()
    print(f"\n{len(chosen)} benchmarks in {time.perf_counter() - started:.0f} s\n")
    print(format_table(rows))


if __name__ == "__main__":
    main()

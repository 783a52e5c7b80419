"""Each side of a benchmark measured in turns, its best run kept: the machines are shared and their load drifts.

The turns go ours, baseline, baseline, ours (repeated `rounds` times), so that load rising or falling over the
minutes a benchmark takes favours neither side.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

__all__ = ["TURNS", "best_per_side"]

TURNS = ("ours", "baseline", "baseline", "ours")
T = TypeVar("T")


def best_per_side(measure: Callable[[str, int], T], cost: Callable[[T], float], rounds: int = 1) -> dict[str, T]:
    """`measure(side, turn)` for every turn; each side's result with the lowest `cost`, ours first."""
    best: dict[str, T] = {}
    for turn, side in enumerate(TURNS * rounds):
        result = measure(side, turn)
        if side not in best or cost(result) < cost(best[side]):
            best[side] = result
    return best

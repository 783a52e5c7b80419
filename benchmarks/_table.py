"""The one table `python -m benchmarks` prints: a figure, ours, the hand-written baseline, and their ratio."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Row", "format_table"]

_FIGURE_WIDTH = 50
_NUMBER_WIDTH = 12


@dataclass(frozen=True)
class Row:
    """One figure. `baseline` is what a user would write by hand (or, for the sandbox, the target it must meet)."""

    figure: str
    ours: float
    baseline: float

    @property
    def ratio(self) -> float | None:
        """ours / baseline; None when the baseline is 0 (a ratio would mean nothing)."""
        return None if self.baseline == 0 else self.ours / self.baseline


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    if float(value).is_integer() or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def format_table(rows: Sequence[Row]) -> str:
    header = f"{'figure':<{_FIGURE_WIDTH}}" + "".join(f"{name:>{_NUMBER_WIDTH}}" for name in ("ours", "baseline", "ratio"))
    lines = [header, "-" * len(header)]
    for row in rows:
        numbers = (_number(row.ours), _number(row.baseline), _number(row.ratio))
        lines.append(f"{row.figure:<{_FIGURE_WIDTH}}" + "".join(f"{n:>{_NUMBER_WIDTH}}" for n in numbers))
    lines.append("ratio = ours / baseline")
    return "\n".join(lines)

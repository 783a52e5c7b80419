"""Where each cell of a prompt-matrix grid goes, and the legend that says why (Automatic1111's X/Y/Z plot).

Cells labelled by variable values (`{"style": "noir", "subject": "cat"}`) are placed by those values, not by
their order: the first variable runs down the rows, the second across the columns (`rows=`/`cols=` choose them),
and any further variables make labelled groups, one rows × columns table each. One variable fills balanced rows of
at most `columns` cells, as do cells without values.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Group", "GridLayout", "plan"]


@dataclass(frozen=True)
class Group:
    """One table of the grid: its title (the values of the variables beyond two), and the index of the cell at
    each (row, column), None where no job has those values."""

    title: str
    row_values: tuple[Any, ...]
    column_values: tuple[Any, ...]
    cells: tuple[tuple[int | None, ...], ...]


@dataclass(frozen=True)
class GridLayout:
    """How a grid is laid out: `row_axis`/`column_axis` are variable names (None: no legend on that side)."""

    row_axis: str | None
    column_axis: str | None
    group_axes: tuple[str, ...]
    groups: tuple[Group, ...]

    @property
    def legend(self) -> str:
        """`rows: style × columns: subject; groups: lens`, or "" for a grid of unlabelled cells."""
        parts = [f"rows: {self.row_axis}" if self.row_axis else "", f"columns: {self.column_axis}" if self.column_axis else ""]
        text = " × ".join(p for p in parts if p)
        if self.group_axes:
            text += f"; one table per {', '.join(self.group_axes)}"
        return text


def _axes_of(labels: Sequence[Mapping[str, Any]]) -> list[str]:
    return list(dict.fromkeys(name for label in labels for name in label))


def _values(labels: Sequence[Mapping[str, Any]], axis: str) -> tuple[Any, ...]:
    """The axis's values in order of first appearance (compared by their text: a value may be unhashable)."""
    return tuple({repr(label.get(axis)): label.get(axis) for label in labels}.values())


def _ordered(axes: list[str], rows: str | None, cols: str | None) -> tuple[str | None, str | None, tuple[str, ...]]:
    """(row axis, column axis, group axes): the chosen ones, else in order of the variables; one variable alone
    goes across unless `rows` names it."""
    for wanted in (rows, cols):
        if wanted is not None and wanted not in axes:
            raise ValueError(f"{wanted!r} is not a variable of this grid (its variables: {', '.join(axes)})")
    if rows is not None and rows == cols:
        raise ValueError(f"{rows!r} cannot be both the rows and the columns")
    rest = [a for a in axes if a not in (rows, cols)]
    row_axis = rows if rows is not None else (rest.pop(0) if rest and len(axes) > 1 else None)
    column_axis = cols if cols is not None else (rest.pop(0) if rest else None)
    return row_axis, column_axis, tuple(rest)


def _flow(count: int, columns: int) -> tuple[Group, ...]:
    """Cells in order, in rows of at most `columns`, balanced (4 cells in 3 columns are two rows of two, not 3 + 1)."""
    lines = max(1, math.ceil(count / max(1, columns)))
    width = max(1, math.ceil(count / lines))
    rows = [tuple(i if i < count else None for i in range(start, start + width)) for start in range(0, count, width)]
    return (Group("", (), (), tuple(rows)),)


def plan(labels: Sequence[Any], columns: int, rows: str | None = None, cols: str | None = None) -> GridLayout:
    """The layout of cells labelled `labels` (mappings of variable values, or anything else for a plain grid)."""
    if not labels or not all(isinstance(label, Mapping) and label for label in labels):
        if rows is not None or cols is not None:
            raise ValueError("rows= and cols= need cells labelled by variable values, like {'style': 'noir'}")
        return GridLayout(None, None, (), _flow(len(labels), columns))
    row_axis, column_axis, group_axes = _ordered(_axes_of(labels), rows, cols)
    if row_axis is None:
        return GridLayout(None, column_axis, (), _flow(len(labels), columns))

    def key(values: Sequence[Any]) -> tuple[str, ...]:
        return tuple(repr(v) for v in values)

    where = {key([label.get(row_axis), label.get(column_axis) if column_axis else None,
                  *(label.get(a) for a in group_axes)]): i for i, label in enumerate(labels)}
    row_values = _values(labels, row_axis)
    column_values = _values(labels, column_axis) if column_axis else (None,)
    groups = []
    for group_key in itertools.product(*(_values(labels, a) for a in group_axes)):
        cells = tuple(tuple(where.get(key([r, c, *group_key])) for c in column_values) for r in row_values)
        if any(i is not None for row in cells for i in row):
            title = ", ".join(f"{a}={v}" for a, v in zip(group_axes, group_key, strict=True))
            groups.append(Group(title, row_values, column_values if column_axis else (), cells))
    return GridLayout(row_axis, column_axis, group_axes, tuple(groups))

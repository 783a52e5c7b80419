"""`{name}` interpolation of a cell from the notebook's variables, and its expansion into a prompt matrix.

A variable holding a list, tuple or range is an axis: the cell expands into one prompt per combination of the
axes' values, each labelled `style=noir, subject=cat`. `{{` and `}}` are literal braces.

The text of a cell is data, never code. A field is a plain variable name, optionally with item access
(`{shots[0]}`, `{colors[warm]}`), and optionally a short format spec (`{n:03d}`, `{price:.2f}`, width and
precision of at most two digits). Attribute access (`{obj.__globals__}`), conversions (`!r`) and nested or long
specs are refused with an error naming the field. The number of prompts is counted from the axes' lengths before
any prompt is built, so a matrix too large to run is refused at once. Every problem is found before anything is
sent.
"""

from __future__ import annotations

import itertools
import math
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["MAX_PROMPTS", "Expanded", "MatrixLabels", "TemplateError", "count", "expand"]

MAX_PROMPTS = 1000  # a cell never makes more jobs than this, whatever --yes says
_AXIS_TYPES = (list, tuple, range)
_FIELD = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<items>(?:\[[^\[\]{}.]+\])*)")
_SPEC = re.compile(r"(?:.?[<>=^])?[+\- ]?z?#?0?\d{0,2}[,_]?(?:\.\d{1,2})?[bcdeEfFgGnosxX%]?")


class TemplateError(ValueError):
    """The cell cannot be filled in: unknown names, a refused field, a malformed brace, or too many prompts."""


@dataclass(frozen=True)
class Expanded:
    """One prompt of the matrix and the variable values that made it."""

    text: str
    values: tuple[tuple[str, Any], ...]

    @property
    def label(self) -> str:
        return ", ".join(f"{name}={value}" for name, value in self.values)


class MatrixLabels(list[str]):
    """The labels of a matrix's prompts as text (what text progress and dry runs print), carrying each prompt's
    variable values and the variables chosen for the rows and columns of its grid."""

    def __init__(self, prompts: Sequence[Expanded], rows: str | None = None, cols: str | None = None) -> None:
        super().__init__(p.label for p in prompts)
        self.values = [dict(p.values) for p in prompts]
        self.rows = rows
        self.cols = cols

    @classmethod
    def checked(cls, prompts: Sequence[Expanded], rows: str | None, cols: str | None) -> MatrixLabels:
        """The labels, or a TemplateError when `rows`/`cols` name no list variable of the cell (or the same one)."""
        axes = [name for name, _ in prompts[0].values] if prompts else []
        for option, name in (("--rows", rows), ("--cols", cols)):
            if name is not None and name not in axes:
                known = f"its list variables: {', '.join(axes)}" if axes else "it has no list, tuple or range variable"
                raise TemplateError(f"{option} {name}: not a list variable of the cell ({known})")
        if rows is not None and rows == cols:
            raise TemplateError(f"--rows and --cols both name {rows}: choose two different variables")
        return cls(prompts, rows, cols)


def _fields(template: str) -> list[tuple[str, str]]:
    """(field, root name) of every `{...}` in the template, each checked against the grammar above."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise TemplateError(f"{exc} (write {{{{ and }}}} for literal braces)") from None
    fields = []
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        match = _FIELD.fullmatch(field)
        if match is None and not _FIELD.match(field):
            raise TemplateError(f"{{{field}}} is not a variable name: use {{name}} (and {{{{ }}}} for literal braces)")
        if match is None:
            raise TemplateError(f"{{{field}}} is refused: use a variable name, optionally with [item] access "
                                "(no attributes, no calls); write {{{{ and }}}} for literal braces")
        if conversion is not None:
            raise TemplateError(f"{{{field}!{conversion}}} is refused: conversions are not supported, use {{{field}}}")
        if spec and not _SPEC.fullmatch(spec):
            raise TemplateError(f"{{{field}:{spec}}} is refused: a format spec is at most a fill, an alignment, "
                                "a width and a precision of two digits, and a type (like :>8 or :.2f)")
        fields.append((field, match.group("name")))
    return fields


def _names(template: str) -> list[str]:
    """The variable of every field, in order of first use."""
    names: list[str] = []
    for _, name in _fields(template):
        if name not in names:
            names.append(name)
    return names


def _axes(names: list[str], namespace: Mapping[str, Any]) -> list[str]:
    unknown = [n for n in names if n not in namespace]
    if unknown:
        raise TemplateError(f"unknown variable{'s' if len(unknown) > 1 else ''} in the cell: {', '.join(unknown)}")
    return [n for n in names if isinstance(namespace[n], _AXIS_TYPES)]


def count(template: str, namespace: Mapping[str, Any]) -> int:
    """How many prompts the template makes with `namespace`, without building any."""
    names = _names(template)
    return math.prod(len(namespace[n]) for n in _axes(names, namespace))


def expand(template: str, namespace: Mapping[str, Any]) -> list[Expanded]:
    """Every prompt the template makes with `namespace`, in row-major order of the axes (first variable slowest).

    Refuses more than `MAX_PROMPTS` before building any."""
    names = _names(template)
    axes = _axes(names, namespace)
    total = math.prod(len(namespace[n]) for n in axes)
    if total > MAX_PROMPTS:
        sizes = " × ".join(f"{len(namespace[n])} {n}" for n in axes)
        raise TemplateError(f"this cell makes {total:,} prompts ({sizes}); one cell runs at most {MAX_PROMPTS:,}")
    fixed = {n: namespace[n] for n in names if n not in axes}
    prompts = []
    for combination in itertools.product(*(list(namespace[n]) for n in axes)):
        values = tuple(zip(axes, combination, strict=True))
        try:
            text = string.Formatter().vformat(template, (), {**fixed, **dict(values)})
        except Exception as exc:  # a variable's own __format__ may raise anything: it is still the template's problem
            raise TemplateError(f"cannot fill in the cell: {type(exc).__name__}: {exc}") from None
        prompts.append(Expanded(text, values))
    return prompts

"""`{name}` interpolation of a cell from the notebook's variables, and its expansion into a prompt matrix.

A variable holding a list, tuple or range is an axis: the cell expands into one prompt per combination of the
axes' values, each labelled `style=noir, subject=cat`. Anything else is formatted as it is (`{n:03d}`,
`{item.name}` and `{item[0]}` work as in `str.format`). `{{` and `}}` are literal braces. Every problem (unknown
names, a bad field) is found before anything is sent.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Expanded", "TemplateError", "expand"]

_AXIS_TYPES = (list, tuple, range)
_ROOT = re.compile(r"[^.\[]*")


class TemplateError(ValueError):
    """The cell cannot be filled in: unknown names, positional `{}` fields, or a malformed brace."""


@dataclass(frozen=True)
class Expanded:
    """One prompt of the matrix and the variable values that made it."""

    text: str
    values: tuple[tuple[str, Any], ...]

    @property
    def label(self) -> str:
        return ", ".join(f"{name}={value}" for name, value in self.values)


def _names(template: str) -> list[str]:
    """The root variable of every field, in order of first use (`{a.b[0]:>3}` -> `a`)."""
    names: list[str] = []
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise TemplateError(f"{exc} (write {{{{ and }}}} for literal braces)") from None
    for _, field, spec, _ in fields:
        if field is None:
            continue
        root = _ROOT.match(field).group(0)  # type: ignore[union-attr]  # the pattern matches any string
        if not root.isidentifier():
            raise TemplateError(f"{{{field}}} is not a variable name: use {{name}} (and {{{{ }}}} for literal braces)")
        if spec and "{" in spec:
            names += [n for n in _names(spec) if n not in names]
        if root not in names:
            names.append(root)
    return names


def expand(template: str, namespace: Mapping[str, Any]) -> list[Expanded]:
    """Every prompt the template makes with `namespace`, in row-major order of the axes (first variable slowest)."""
    names = _names(template)
    unknown = [n for n in names if n not in namespace]
    if unknown:
        raise TemplateError(f"unknown variable{'s' if len(unknown) > 1 else ''} in the cell: {', '.join(unknown)}")
    axes = [n for n in names if isinstance(namespace[n], _AXIS_TYPES)]
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

"""What the `%sume` subcommands share: present a list as a DataFrame and one object as a card, or assign it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ..._facade import unwrap
from ...client import JobResult
from ..display import JSONView, card_for, show

if TYPE_CHECKING:
    import pandas as pd

    from .._context import Context

__all__ = ["present_frame", "present_object", "raw_of"]


def raw_of(obj: Any) -> Any:
    """The answer behind a client object, for `--json` (sanitized when shown)."""
    obj = unwrap(obj)
    if isinstance(obj, JobResult):
        return {"job": obj.job.raw, "result": obj.raw}
    return getattr(obj, "raw", obj)


def present_frame(context: Context, args: argparse.Namespace, frame: pd.DataFrame) -> pd.DataFrame | None:
    """A list is a DataFrame: returned to be shown as the cell's value, or assigned by `-o VAR`."""
    return None if context.assign(args.output, frame) else frame


def present_object(context: Context, args: argparse.Namespace, obj: Any) -> None:
    """One object is a card (or its sanitized JSON with `--json`), or assigned by `-o VAR`."""
    if context.assign(args.output, obj):
        return
    show(JSONView(raw_of(obj)) if getattr(args, "json", False) else card_for(obj))

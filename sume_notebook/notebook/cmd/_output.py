"""What the `%sume` subcommands share: assign a result (`-o VAR`) or hand it to the context's presenter."""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from ...client import Listing
    from .._context import Context

__all__ = ["present_frame", "present_listing", "present_object"]


def present_frame(context: Context, args: argparse.Namespace, frame: pd.DataFrame) -> pd.DataFrame | None:
    """A table (the journal's): the cell's value in a notebook, text in a terminal, or assigned by `-o VAR`."""
    return None if context.assign(args.output, frame) else context.presenter.frame(frame)


def present_listing(context: Context, args: argparse.Namespace, listing: Listing[Any],
                    pictures: str | None = None) -> pd.DataFrame | None:
    """A page of a list: its DataFrame (assigned by `-o VAR`), or with `--json` the items and `next_cursor`.
    `pictures` names the items' picture URL (a thumbnail, a face): a notebook's table shows it as a small image in
    place of the URL columns, which the frame keeps."""
    if context.assign(args.output, listing.frame):
        return None
    if pictures is not None:
        from .._pictures import pictured

        listing = replace(listing, frame=pictured(listing.frame, listing.items, pictures, context.session.client()))
    return context.presenter.listing(listing, as_json=getattr(args, "json", False))


def present_object(context: Context, args: argparse.Namespace, obj: Any) -> None:
    """One object is a card (or its sanitized JSON with `--json`), or assigned by `-o VAR`."""
    if not context.assign(args.output, obj):
        context.presenter.value(obj, as_json=getattr(args, "json", False))

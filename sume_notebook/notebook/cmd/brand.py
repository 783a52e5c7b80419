"""`%sume brand list|current`: Brand DNA profiles and their reference images."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .._parsing import add_list_options, add_output_options
from ._output import present_listing, present_object

if TYPE_CHECKING:
    import pandas as pd

    from .._context import Context

__all__ = ["add_parser"]


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("brand", help="Brand DNA profiles: list | current",
                                 description="Brand DNA profiles; `current` is what --brand-references uses.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="profiles, as a DataFrame")
    add_list_options(listing)
    listing.set_defaults(run=_list)
    current = actions.add_parser("current", help="the workspace's current profile")
    add_output_options(current)
    current.set_defaults(run=_current)


def _list(context: Context, args: argparse.Namespace) -> pd.DataFrame | None:
    profiles = context.session.client().brand.list(limit=args.limit, cursor=args.cursor)
    return present_listing(context, args, profiles.listing(pages=1 if args.limit else None))


def _current(context: Context, args: argparse.Namespace) -> None:
    present_object(context, args, context.session.client().brand.current())

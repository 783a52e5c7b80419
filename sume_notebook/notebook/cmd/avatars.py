"""`%sume avatars list|get ID`: the avatars this key can use, and what each can do."""

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
    parser = commands.add_parser("avatars", help="avatars: list | get ID",
                                 description="Public and workspace avatars, for ads (--avatar-id) and face swaps.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="avatars, as a DataFrame")
    add_list_options(listing)
    listing.set_defaults(run=_list)
    get = actions.add_parser("get", help="one avatar")
    get.add_argument("id", metavar="ID")
    add_output_options(get)
    get.set_defaults(run=_get)


def _list(context: Context, args: argparse.Namespace) -> pd.DataFrame | None:
    avatars = context.session.client().avatars.list(limit=args.limit, cursor=args.cursor)
    return present_listing(context, args, avatars.listing(pages=1 if args.limit else None), pictures="preview_image_url")


def _get(context: Context, args: argparse.Namespace) -> None:
    present_object(context, args, context.session.client().avatars.get(args.id))

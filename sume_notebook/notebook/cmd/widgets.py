"""`%sume studio` and `%sume browse [QUERY]`: the PromptStudio and the AssetBrowser, one line away.

Both are widgets of the notebook's process (so neither is a console command); they use the session's client, the
same the magics use (the sandbox, a `%sume login` key, or `SUME_API_KEY`). `-o VAR` keeps the widget in a variable.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .._parsing import add_output_options
from ..display import show

if TYPE_CHECKING:
    from .._context import Context

__all__ = ["add_parser"]


def add_parser(commands: Any) -> None:
    studio = commands.add_parser("studio", help="open a PromptStudio: prompt, options, Brand DNA references, history",
                                 description="Open a PromptStudio on the session's client.")
    add_output_options(studio, json=False)
    studio.set_defaults(run=_studio)
    browse = commands.add_parser("browse", help="open an AssetBrowser on the Asset Library, searching QUERY",
                                 description="Open an AssetBrowser on the session's client, searching QUERY.")
    browse.add_argument("query", nargs="?", default="", metavar="QUERY", help="what to search for (default: nothing)")
    add_output_options(browse, json=False)
    browse.set_defaults(run=_browse)


def _studio(context: Context, args: argparse.Namespace) -> None:
    from ..widgets import PromptStudio

    _offer(context, args, PromptStudio(context.session.client(), preview_size=context.settings.preview_size))


def _browse(context: Context, args: argparse.Namespace) -> None:
    from ..widgets import AssetBrowser

    _offer(context, args, AssetBrowser(context.session.client(), args.query))


def _offer(context: Context, args: argparse.Namespace, widget: Any) -> None:
    if not context.assign(args.output, widget):
        show(widget)

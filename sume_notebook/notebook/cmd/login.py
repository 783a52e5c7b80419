"""`%sume login`: set this kernel's API key through a masked box; the key is never echoed, printed or saved.

In a notebook the box is an `ipywidgets.Password` that empties itself as soon as the key arrives, so the saved
widget state never holds it; in a terminal it is `getpass`. The key lives in this process's memory only, and is
checked with `GET /me` before it is kept.
"""

from __future__ import annotations

import argparse
import getpass
import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from IPython.core.error import UsageError

from ..._redaction import register_secret
from ..display import show

if TYPE_CHECKING:
    import ipywidgets

    from .._context import Context

__all__ = ["add_parser"]


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("login", help="enter an API key in a masked box (kept in memory only)",
                                 description="Enter an API key for this kernel session; it takes precedence over "
                                 "SUME_API_KEY and is never written anywhere.")
    parser.add_argument("key", nargs="?", help=argparse.SUPPRESS)  # only to refuse it without echoing it
    parser.set_defaults(run=run)


def use_key(context: Context, key: str, report: Callable[[str], None]) -> bool:
    """Keep `key` for this session if the service accepts it; say what happened without ever showing it."""
    from ...client import SumeError

    if not key:
        report("No key entered; nothing changed.")
        return False
    session = context.session
    previous = session.login(key)
    try:
        account = session.client().me()
    except SumeError as exc:
        session.restore_login(previous)
        report(f"That key was not accepted, nothing changed: {str(exc).splitlines()[0]}")
        return False
    report(f"Logged in to the workspace {account.workspace_name or '(unnamed)'!r} for this kernel session; "
           "the key is kept in memory only.")
    return True


def key_box(context: Context) -> ipywidgets.VBox:
    """A masked field that hands the key over on Enter and empties itself at once."""
    import ipywidgets

    field = ipywidgets.Password(description="API key", placeholder="paste the key, then press Enter",
                                continuous_update=False)
    status = ipywidgets.HTML()
    box = ipywidgets.VBox([field, status])

    def entered(change: dict[str, Any]) -> None:
        key = str(change["new"]).strip()
        if not key:
            return
        field.value = ""  # out of the widget state before anything else: a saved notebook never holds it
        if use_key(context, key, lambda text: setattr(status, "value", html.escape(text))):
            box.children = (status,)
            field.close()

    field.observe(entered, names="value")
    return box


def run(context: Context, args: argparse.Namespace) -> None:
    if args.key is not None:
        register_secret(args.key)
        raise UsageError("%sume login takes no key on the line (the line stays in the notebook and its history): "
                         "run `%sume login` alone and paste the key into the masked box, or set SUME_API_KEY.")
    if context.widgets:
        show(key_box(context))
    else:
        use_key(context, getpass.getpass("Sume API key (input hidden): ").strip(), print)

"""The commands behind the magics: one module per `%sume` subcommand, as the Sume CLI names them.

`generate` and `prompt` hold `%sume_generate` and `%%sume_prompt`; the private modules are what they share
(building requests, re-attaching, running them, presenting results).
"""

from __future__ import annotations

import functools
import importlib

from .._parsing import MagicParser

__all__ = ["SUBCOMMANDS", "sume_parser"]

SUBCOMMANDS = ("credits", "me", "brand", "avatars", "jobs", "assets", "history", "pending", "login", "sandbox", "help")


@functools.cache
def sume_parser() -> MagicParser:
    """The `%sume` parser, built on first use so that loading the extension imports no subcommand."""
    parser = MagicParser(prog="%sume", description="Sume from a notebook, mirroring the Sume CLI.")
    commands = parser.add_subparsers(dest="command", metavar="SUBCOMMAND", required=True)
    for name in SUBCOMMANDS:
        importlib.import_module(f"{__name__}.{name}").add_parser(commands)
    return parser

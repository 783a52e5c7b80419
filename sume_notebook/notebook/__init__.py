"""The notebook layer: the Sume magics, their display, and (in `widgets`) the live widgets.

`%load_ext sume_notebook` registers the magics and imports only IPython and this layer's small modules: the
client, pandas, ipywidgets and the sandbox load when a command first needs them.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

__all__ = ["load_ipython_extension", "unload_ipython_extension"]

_MAGICS = {"line": ("sume_generate", "sume", "sume_prompt"), "cell": ("sume_prompt",)}


def load_ipython_extension(ipython: InteractiveShell) -> None:
    """Register `%sume_generate`, `%%sume_prompt` and `%sume` (and `SumeMagics` for `%config`)."""
    from .magics import SumeMagics

    ipython.register_magics(SumeMagics(ipython))
    _announce_target()


def _announce_target() -> None:
    """Say in one line where jobs will go, so nobody spends credits by surprise (or wonders about the sandbox)."""
    from .._hosts import is_loopback_url
    from ._session import SANDBOX_BANNER

    base_url = os.environ.get("SUME_BASE_URL")
    if base_url and is_loopback_url(base_url):
        print(SANDBOX_BANNER.format(origin=base_url.split("/api/")[0]))
    elif not base_url and not os.environ.get("SUME_API_KEY"):
        print("No SUME_API_KEY: the local Sume sandbox starts on first use (no credits spent).")


def unload_ipython_extension(ipython: InteractiveShell) -> None:
    """Remove the magics and their configurable, and close their clients (jobs keep running on the service)."""
    manager = ipython.magics_manager
    magics = manager.registry.pop("SumeMagics", None)
    for kind, names in _MAGICS.items():
        for name in names:
            manager.magics[kind].pop(name, None)
    if magics is not None:
        if magics in ipython.configurables:
            ipython.configurables.remove(magics)
        magics.close()

"""What a command needs from the magics, handed to it instead of `SumeMagics` itself.

`cmd/` modules receive a `Context`: the session (which client to use), a snapshot of the `%config SumeMagics`
settings, whether live widgets show, the notebook's namespace (for `-o VAR` and `{name}` interpolation), and the
presenter that shows results. So the commands depend on these few things, not on the magics class that calls
them, and the console `sume` runs the same commands with a context of its own (no namespace, a terminal presenter).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._parsing import USE_CONFIGURED_DIR
from ._settings import Settings

if TYPE_CHECKING:
    from ._presenter import Presenter
    from ._session import Session

__all__ = ["Context", "Settings"]


@dataclass(frozen=True)
class Context:
    session: Session
    settings: Settings
    widgets: bool
    namespace: dict[str, Any] | None  # None in a terminal: there `-o VAR` has nowhere to go, the result is shown
    presenter: Presenter

    def assign(self, name: str | None, value: Any) -> bool:
        """Put `value` in the notebook's namespace as `name` (from `-o VAR`); False without a name or namespace."""
        if name is None or self.namespace is None:
            return False
        self.namespace[name] = value
        return True

    def download_directory(self, option: str | None) -> str | None:
        """The directory of `--download [DIR]`: DIR, `download_dir` when DIR is left out, None without the option."""
        return self.settings.download_dir if option == USE_CONFIGURED_DIR else option

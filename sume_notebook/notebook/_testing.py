"""A real IPython shell with the Sume magics loaded, for tests and docs: run a cell, get everything it showed.

As jupysql's `_testing.py`: no mock of IPython, the magics run exactly as in a terminal session, and what a
person would see (printed text, displayed objects, usage errors, tracebacks) comes back as data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

if TYPE_CHECKING:
    from ..client import PollSchedule
    from .magics import SumeMagics

__all__ = ["CellRun", "SumeShell"]


@dataclass
class CellRun:
    """What one cell produced: printed text, displayed mimebundles, its value, and its error if any."""

    stdout: str
    stderr: str
    outputs: list[dict[str, Any]]
    result: Any
    error: BaseException | None

    @property
    def text(self) -> str:
        """Everything a terminal would show: printed text and the plain-text form of each displayed object."""
        shown = [str(bundle.get("text/plain", "")) for bundle in self.outputs]
        return "\n".join([self.stdout, self.stderr, *shown])

    @property
    def html(self) -> str:
        return "\n".join(str(bundle.get("text/html", "")) for bundle in self.outputs)

    @property
    def has_traceback(self) -> bool:
        return "Traceback" in self.stdout or "Traceback" in self.stderr


class SumeShell:
    """The process's `InteractiveShell` with `%load_ext sume_notebook` done; `close()` unloads it."""

    def __init__(self, *, widgets: str = "auto", poll_schedule: PollSchedule | None = None) -> None:
        self.shell = InteractiveShell.instance()
        self.shell.run_line_magic("load_ext", "sume_notebook")
        self.magics.widgets = widgets
        self.magics.session.poll_schedule = poll_schedule

    @property
    def magics(self) -> SumeMagics:
        return self.shell.magics_manager.registry["SumeMagics"]  # type: ignore[no-any-return]

    def run(self, cell: str) -> CellRun:
        """Run one cell as a person would, capturing its output instead of printing it."""
        with capture_output(display=True) as captured:
            outcome = self.shell.run_cell(cell, store_history=False)
        # A display *update* (a widget replacing its static snapshot when its job ends) is not a new output.
        shown = [output.data for output in captured.outputs if not output.update]
        return CellRun(
            captured.stdout, captured.stderr, shown, outcome.result,
            outcome.error_before_exec or outcome.error_in_exec,
        )

    def close(self) -> None:
        self.shell.run_line_magic("unload_ext", "sume_notebook")

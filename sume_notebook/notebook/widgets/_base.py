"""What every widget of the kit shares: a static text and HTML copy of itself next to the live view.

A saved notebook is read on GitHub, in nbconvert HTML and in VS Code without a kernel, where a widget view is
empty. So each widget's mimebundle also carries `text/plain` and `text/html` snapshots, and a widget displayed by
IPython keeps its display handle to replace that snapshot once the widget reaches a resting state (a job ended,
credits loaded), so the saved copy shows the outcome rather than the first second.

A widget with a quick first load (credits, brand references, a search) is displayed once that load is done or
`SETTLE_SECONDS` passed: it appears complete, and its first messages belong to the cell that displayed it (a
headless runner such as nbclient listens to one cell at a time and drops what arrives between cells).
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Sequence
from typing import Any

import ipywidgets

from . import _dispatch

__all__ = ["SETTLE_SECONDS", "SnapshotBox"]

SETTLE_SECONDS = 5.0


class SnapshotBox(ipywidgets.VBox):
    """A VBox whose displays carry a snapshot; subclasses say what it is in `_snapshot()`."""

    def __init__(self, children: Sequence[ipywidgets.Widget] = (), **kwargs: Any) -> None:
        super().__init__(children, **kwargs)
        self._display_handles: list[Any] = []

    def _snapshot(self) -> tuple[str, str]:
        """The widget's current state as plain text and as self-contained HTML (no secrets, no URLs)."""
        raise NotImplementedError

    def _is_static(self) -> bool:
        """True once the widget's outcome is final: its displays then carry the static copy alone, which every
        frontend shows with or without a kernel (a widget view without its model reads "Error displaying widget")."""
        return False

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        text, html = self._snapshot()
        bundle = {} if self._is_static() else super()._repr_mimebundle_(**kwargs) or {}
        return {**bundle, "text/plain": text, "text/html": html}

    def _first_load(self) -> concurrent.futures.Future[Any] | None:
        """The load to wait for before the first display (None: display at once, as live views do)."""
        return None

    def _ipython_display_(self) -> None:
        from IPython.display import display

        first_load = self._first_load()
        if first_load is not None:
            concurrent.futures.wait([first_load], timeout=SETTLE_SECONDS)
        handle = display(self._repr_mimebundle_(), raw=True, display_id=True)
        if handle is not None:
            self._display_handles.append(handle)

    def _refresh_displays(self) -> None:
        """Replace the snapshot wherever this widget was displayed (and the live view itself once it is static);
        from the loop thread too, after the displaying cell ended: ipykernel sends it as an update_display_data."""
        if not self._display_handles:  # a part of another widget (a grid's cell): its owner's display shows it
            return
        bundle = self._repr_mimebundle_()
        for handle in self._display_handles:
            _dispatch.update([], lambda handle=handle: handle.update(bundle, raw=True))

    def __repr__(self) -> str:
        return self._snapshot()[0]

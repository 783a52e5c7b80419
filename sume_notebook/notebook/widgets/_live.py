"""A job view's status row (pill, bar, `elapsed · percent`, masked id), animated by the browser, fed only real changes.

Elapsed time and an estimated bar follow from numbers the kernel knows once: when the job started and how long
its type typically takes. So the browser draws them by itself, every second, and the kernel sends a message only
when something really changed: the status, the progress the service reported, the end. A kernel ticking a clock
for each of 100 jobs sent more messages than a naive bar per job; now 100 quiet jobs send none.

Many rows share one `LiveBoard`: the state of every row of a `JobGrid` travels in one trait, so the changes of a
whole grid within one throttle tick reach the browser as one message, not one per cell. Each `LiveStatus` (one per
view, never changed after it is made) finds its row on the board by its key.

Why anywidget rather than CSS animations in the HTML the kernel already sends: a CSS animation restarts whenever
its HTML is re-rendered and knows nothing of the time between the kernel sending it and the browser drawing it
(a reopened tab, a second view of the same output), and one HTML widget per cell cannot carry a grid's changes in
one message. anywidget ships this module's small ES module through the widget's comm (no network, no frontend
build, no extension of ours to install; its own pip package enables it in JupyterLab 4 and Notebook 7), and the
browser computes elapsed time from the job's start on every tick, so it is right whenever it is drawn. Where no
widget manager runs (GitHub, nbconvert, a closed kernel) the view's static `text/html` snapshot shows instead.
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any

import anywidget
import traitlets
from ipywidgets import widget_serialization

from . import _dispatch
from ._progress import ESTIMATE_CEILING, RUNNING_CAP

__all__ = ["LiveBoard", "LiveStatus"]

_ESM = Path(__file__).with_name("_live.js")
_CSS = Path(__file__).with_name("_live.css")


class LiveBoard(anywidget.AnyWidget):
    """The rows of one view or of a whole grid: staged by renders, sent together by `publish` (never displayed).

    `cells` maps a row's key to its state (see `JobView._live_state`); `pills` holds each status pill's HTML once;
    `now` is the kernel's clock at the last publish, from which the browser corrects its own clock's offset.
    """

    _esm = _ESM
    cells = traitlets.Dict().tag(sync=True)
    pills = traitlets.Dict().tag(sync=True)
    now = traitlets.Float(0.0).tag(sync=True)
    curve = traitlets.Dict({"ceiling": ESTIMATE_CEILING, "cap": RUNNING_CAP}).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._keys = itertools.count()
        self._staged: dict[str, dict[str, Any]] = {}
        self._staged_pills: dict[str, str] = {}

    def new_status(self, **kwargs: Any) -> LiveStatus:
        """A status row of its own on this board (`kwargs`: the widget's, such as `caption` and `layout`)."""
        return LiveStatus(board=self, key=str(next(self._keys)), **kwargs)

    def stage(self, key: str, state: dict[str, Any], pill_html: str) -> None:
        """Record a row's state for the next `publish` (from a render: the dispatch lock is held)."""
        self._staged[key] = state
        self._staged_pills.setdefault(state["phase"], pill_html)

    def publish(self) -> None:
        """Send every staged row in one message, if any differs from what the browser has."""

        def apply() -> None:
            if self._staged == self.cells:
                return
            self.now = round(time.time(), 3)
            if self._staged_pills.keys() - self.pills.keys():
                self.pills = dict(self._staged_pills)
            self.cells = dict(self._staged)  # a new mapping of the staged rows, which are never changed in place

        _dispatch.update([self], apply)


class LiveStatus(anywidget.AnyWidget):
    """One job's status row, drawn by the browser from its row on `board`, ending in a fixed `caption` (the
    view's masked job id).

    anywidget declares its synced module, style and id traits on each instance it makes, and traitlets makes a new
    class for every instance given traits: half of what a grid's views cost the kernel to build. A grid makes one
    row per job, so this class declares those traits once, and `add_traits` adds only what it does not declare.
    """

    _esm = traitlets.Unicode(_ESM.read_text(encoding="utf-8")).tag(sync=True)
    _css = traitlets.Unicode(_CSS.read_text(encoding="utf-8")).tag(sync=True)
    _anywidget_id = traitlets.Unicode(f"{__name__}.LiveStatus").tag(sync=True)
    board = traitlets.Instance(LiveBoard).tag(sync=True, **widget_serialization)
    key = traitlets.Unicode().tag(sync=True)
    caption = traitlets.Unicode().tag(sync=True)

    def add_traits(self, **traits: Any) -> None:
        missing = {name: trait for name, trait in traits.items() if not self.has_trait(name)}
        if missing:
            super().add_traits(**missing)

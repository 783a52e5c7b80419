"""How a command's results reach a person: one small interface, implemented once per front end.

The commands of `cmd/` never display results themselves: they hand them to the `Presenter` of their `Context`, so
one command serves `%sume` in a notebook (`NotebookPresenter`: cards, DataFrames and widgets through IPython's
display) and `sume` in a terminal (`console.TerminalPresenter`: text on stdout, or only JSON with `--json`).
What `--json` prints is built here, so both front ends print the same document for the same answer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .._facade import unwrap
from .._redaction import sanitize
from ..client import JobResult
from ._files import SavedFiles
from ._problems import MAGIC_WAIT_AGAIN, problem_from
from .display import JSONView, TextProgress, card_for, show, show_jobs

if TYPE_CHECKING:
    import pandas as pd

    from .._facade import Blocking, Sume
    from ..client import Listing
    from ._settings import Settings

__all__ = ["NotebookPresenter", "Presenter", "Progress", "json_data", "listing_data", "raw_of"]


def raw_of(obj: Any) -> Any:
    """The answer behind a client object, for `--json` (sanitized when shown)."""
    obj = unwrap(obj)
    if isinstance(obj, JobResult):
        return {"job": obj.job.raw, "result": obj.raw}
    return getattr(obj, "raw", obj)


def json_data(data: Any) -> Any:
    """What `--json` shows of `data`: sanitized (no signed URL, key or storage field), plain JSON types only."""
    return json.loads(json.dumps(sanitize(data), default=str))


def listing_data(listing: Listing[Any]) -> dict[str, Any]:
    """A list as `--json` shows it: the API's list envelope, with the `next_cursor` a script passes to `--cursor`."""
    return {"data": [raw_of(item) for item in listing.items], "next_cursor": listing.next_cursor}


class Progress(Protocol):
    def update(self, job: Any) -> None: ...


class Presenter(Protocol):
    """What a command may show: one object, a list, JSON data, jobs it started, a problem, and progress."""

    prog: str  # how hints name the command line: "%sume" or "sume"

    def value(self, obj: Any, *, as_json: bool) -> None: ...

    def listing(self, listing: Listing[Any], *, as_json: bool) -> pd.DataFrame | None: ...

    def frame(self, frame: pd.DataFrame) -> pd.DataFrame | None: ...

    def data(self, data: Any) -> None: ...

    def jobs(self, jobs: Sequence[Blocking], labels: Sequence[str] | None, *, client: Sume, settings: Settings,
             timeout: float | None) -> None: ...

    def saved(self, job_id: str, paths: Sequence[Path]) -> None: ...

    def problem(self, error: BaseException) -> None: ...

    def progress(self, jobs: Sequence[Any], labels: Sequence[str] | None) -> Progress | None: ...


class NotebookPresenter:
    """Cards, DataFrames (returned to be the cell's value), JSON trees, live widgets or text progress lines."""

    prog = "%sume"

    def __init__(self, widgets: bool) -> None:
        self.widgets = widgets

    def value(self, obj: Any, *, as_json: bool) -> None:
        show(JSONView(raw_of(obj)) if as_json else card_for(obj) or obj)

    def listing(self, listing: Listing[Any], *, as_json: bool) -> pd.DataFrame | None:
        if as_json:
            show(JSONView(listing_data(listing)))
            return None
        return listing.frame

    def frame(self, frame: pd.DataFrame) -> pd.DataFrame | None:
        return frame

    def data(self, data: Any) -> None:
        show(JSONView(data))

    def jobs(self, jobs: Sequence[Blocking], labels: Sequence[str] | None, *, client: Sume, settings: Settings,
             timeout: float | None) -> None:
        show_jobs(jobs, labels, widgets=self.widgets, client=client, settings=settings, timeout=timeout)

    def saved(self, job_id: str, paths: Sequence[Path]) -> None:
        """The paths, and links that download the files through the Jupyter server."""
        show(SavedFiles(job_id, paths))

    def problem(self, error: BaseException) -> None:
        show(problem_from(error, wait_again=MAGIC_WAIT_AGAIN))

    def progress(self, jobs: Sequence[Any], labels: Sequence[str] | None) -> Progress | None:
        return None if self.widgets else TextProgress(jobs, labels)

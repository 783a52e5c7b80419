"""The console's presenter: readable text on stdout, or with `--json` one sanitized JSON document and nothing else.

Messages and progress go to stderr (the console sends every `print` of a command there), so `sume ... --json |
python -m json.tool` always reads exactly one document. Progress is a bar redrawn in place when stderr is a
terminal, and nothing when it is piped: a log gets the outcome, not a hundred progress lines. Each problem shown
is remembered as the exit code it means (`EXIT_CODES` in `cmd`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from ._presenter import json_data, listing_data, raw_of
from ._problems import problem_from
from .display import card_for

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from .._facade import Blocking, Sume
    from ..client import Listing
    from ._settings import Settings

__all__ = ["TerminalPresenter"]

TERMINAL_WAIT_AGAIN = "wait again with `sume jobs wait {job_id}`"
_EXIT_BY_STATUS = {"failed": 1, "canceled": 1, "expired": 1, "timed out": 4, "error": 3}


class _Bar:
    """`job_… running [#######.....] 58% 3.1 s` on one stderr line, redrawn as the job moves."""

    WIDTH = 24

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._started = time.monotonic()

    def update(self, job: Any) -> None:
        done = 1.0 if job.is_terminal else max(0.0, min(1.0, job.progress or 0.0))
        filled = round(done * self.WIDTH)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        elapsed = time.monotonic() - self._started
        end = "\n" if job.is_terminal else ""
        self._stream.write(f"\r{job.id} {job.status:<10} [{bar}] {done:>4.0%} {elapsed:.1f} s\x1b[K{end}")
        self._stream.flush()


class TerminalPresenter:
    prog = "sume"

    def __init__(self, out: IO[str], err: IO[str]) -> None:
        self.out = out
        self.err = err
        self.exit_code = 0

    def _json(self, data: Any) -> None:
        self.out.write(json.dumps(json_data(data), indent=2, ensure_ascii=False) + "\n")

    def _text(self, text: str) -> None:
        self.out.write(text.rstrip("\n") + "\n")

    def value(self, obj: Any, *, as_json: bool) -> None:
        if as_json:
            self._json(raw_of(obj))
        else:
            card = card_for(obj)
            self._text(card.text() if card is not None else repr(obj))

    def listing(self, listing: Listing[Any], *, as_json: bool) -> pd.DataFrame | None:
        if as_json:
            self._json(listing_data(listing))
            return None
        self.frame(listing.frame)
        if listing.next_cursor:
            self.err.write(f"More: add --cursor {listing.next_cursor}\n")
        return None

    def frame(self, frame: pd.DataFrame) -> pd.DataFrame | None:
        self._text(frame.to_string(index=False) if len(frame) else "(none)")
        return None

    def data(self, data: Any) -> None:
        self._json(data)

    def jobs(self, jobs: Sequence[Blocking], labels: Sequence[str] | None, *, client: Sume, settings: Settings,
             timeout: float | None) -> None:
        for i, job in enumerate(jobs):
            label = f"  [{labels[i]}]" if labels is not None else ""
            self._text(f"{job.id}  {job.type}  {job.status}{label}")
        if not all(job.is_terminal for job in jobs):
            self.err.write(f"Follow it with `sume jobs wait {jobs[0].id}` (or see `sume pending`).\n")

    def saved(self, job_id: str, paths: Sequence[Path]) -> None:
        """A message, not a result: stderr, so that `--json` leaves stdout one document."""
        self.err.write(f"Saved {job_id}: " + ", ".join(str(p) for p in paths) + "\n")

    def problem(self, error: BaseException) -> None:
        problem = problem_from(error, wait_again=TERMINAL_WAIT_AGAIN)
        self.err.write(problem.text().rstrip("\n") + "\n")
        self.exit_code = max(self.exit_code, _EXIT_BY_STATUS.get(problem.status, 3))

    def progress(self, jobs: Sequence[Any], labels: Sequence[str] | None) -> _Bar | None:
        return _Bar(self.err) if self.err.isatty() else None

"""`CreditsBadge`: remaining credits and how many generations run out of how many may, with a refresh button."""

from __future__ import annotations

import concurrent.futures
from typing import Any

import ipywidgets

from ..._facade import Sume
from ...client import AsyncSume, Credits, SumeError
from ...client.reprs import esc
from .._problems import Problem, problem_from
from . import _dispatch
from ._base import SnapshotBox
from ._runner import runner_for_client

__all__ = ["CreditsBadge"]


class CreditsBadge(SnapshotBox):
    """Reads `GET /credits` at once and on every click of refresh; `badge.loaded` is the future of the last read."""

    def __init__(self, client: Sume | AsyncSume | None = None) -> None:
        self._runner = runner_for_client(client)
        self.credits: Credits | None = None
        self._problem: Problem | None = None
        self._summary = ipywidgets.HTML(esc("Loading credits…"))
        refresh = ipywidgets.Button(icon="refresh", tooltip="Read the credits again", layout=ipywidgets.Layout(width="36px"))
        refresh.on_click(lambda _: self.refresh())
        super().__init__([ipywidgets.HBox([self._summary, refresh])])
        self.loaded: concurrent.futures.Future[Credits] = self.refresh()

    def refresh(self) -> concurrent.futures.Future[Credits]:
        """Read the credits again without blocking; the badge updates when they arrive."""
        self.loaded = self._runner.start(self._load())
        return self.loaded

    async def _load(self) -> Credits:
        try:
            self.credits = await self._runner.client.credits()
            self._problem = None
        except SumeError as error:
            self._problem = problem_from(error)
            raise
        finally:
            _dispatch.update([self._summary], self._apply)
            self._refresh_displays()
        return self.credits

    def _apply(self) -> None:
        self._summary.value = self._snapshot()[1]

    def _first_load(self) -> concurrent.futures.Future[Any] | None:
        return self.loaded if self._runner.on_library_loop else None

    def _snapshot(self) -> tuple[str, str]:
        if self._problem is not None:
            return self._problem.text(), self._problem.html()
        credits = self.credits
        if credits is None:
            return "Sume credits: loading", esc("Loading credits…")
        remaining = "?" if credits.remaining_credits is None else f"{credits.remaining_credits:,.0f}"
        active = f"{credits.active_generations or 0} of {credits.max_active_generations or '?'} generations active"
        return f"Sume credits: {remaining} remaining, {active}", credits.card().html()

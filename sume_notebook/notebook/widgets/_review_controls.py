"""A job's review as compact controls: five clickable stars, a shortlist toggle, tags and a note.

Every change is written through the client's journal (`client.jobs.set_review`), so it survives the kernel and joins
`history()`; a refused value (a tag with a comma, a note too long) shows the client's short error beside the
controls and the controls go back to what is stored. `review_html` is the same review, read-only, for the static
output of a finished view, and `ReviewControls.on_change` lets a view refresh that output after a change. Controls of
one job shown twice (in a comparison and in the studio) follow each other, and a view showing the review read-only
(`follow_reviews`) is told when a control changes it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import ipywidgets

from ...client import SumeError
from ...client.reprs import esc
from . import _dispatch

__all__ = ["ReviewControls", "follow_reviews", "review_html", "review_text"]

_STARS = 5
_GOLD = "#d97706"


def review_text(review: Any) -> str:
    """`★★★☆☆ · shortlisted · #hero #warm · "note"`; empty when nothing was said about the job."""
    parts = []
    if review.rating:
        parts.append("★" * review.rating + "☆" * (_STARS - review.rating))
    if review.starred:
        parts.append("shortlisted")
    if review.tags:
        parts.append(" ".join(f"#{tag}" for tag in review.tags))
    if review.note:
        parts.append(f"“{review.note}”")
    return " · ".join(parts)


def review_html(review: Any) -> str:
    """The review, read-only, as a line of HTML (empty when there is none)."""
    if not review_text(review):
        return ""
    parts = []
    if review.rating:
        parts.append(f'<span style="color:{_GOLD}" title="{review.rating} of {_STARS} stars">'
                     f'{"★" * review.rating}</span><span style="opacity:.35">{"★" * (_STARS - review.rating)}</span>')
    if review.starred:
        parts.append(f'<span style="color:{_GOLD}">⚑ shortlisted</span>')
    parts += [f'<span style="background:#e5e7eb;border-radius:8px;padding:0 6px">{esc(tag)}</span>' for tag in review.tags]
    if review.note:
        parts.append(f"<i>{esc(review.note)}</i>")
    return f'<div class="sume-review" style="font-size:13px;margin:2px 0">{" ".join(parts)}</div>'


# Views that show a job's review read-only (no controls of their own): each has `job_id`, `review_client` and
# `review_changed()`.
_followers: weakref.WeakSet[Any] = weakref.WeakSet()


def follow_reviews(view: Any) -> None:
    """Call `view.review_changed()` whenever controls change the review of `view.job_id` (on the same service)."""
    _followers.add(view)


class ReviewControls(ipywidgets.VBox):
    """Stars, shortlist, tags and note of one job, read from and written to `client`'s journal."""

    _open: weakref.WeakSet[ReviewControls] = weakref.WeakSet()

    def __init__(self, client: Any, job_id: str) -> None:
        self._client = client
        self.job_id = job_id
        self._listeners: list[Callable[[Any], None]] = []
        self._stars = [
            ipywidgets.Button(description="☆", tooltip=f"{n} star{'s' if n > 1 else ''} (click again to clear)",
                              layout=ipywidgets.Layout(width="28px", padding="0"), _dom_classes=("sume-star",))
            for n in range(1, _STARS + 1)
        ]
        for n, button in enumerate(self._stars, 1):
            button.on_click(lambda _, n=n: self._clicked_star(n))
        self._shortlist = ipywidgets.ToggleButton(description="Shortlist", icon="flag", tooltip="Put on the shortlist",
                                                  layout=ipywidgets.Layout(width="auto"))
        self._shortlist.observe(self._toggled, names="value")
        self._tags = ipywidgets.TagsInput(allow_duplicates=False, tooltip="tags: type one, then Enter",
                                          layout=ipywidgets.Layout(flex="1 1 80px", min_width="60px"))
        self._tags.observe(self._tagged, names="value")
        self._note = ipywidgets.Text(placeholder="note", continuous_update=False,
                                     layout=ipywidgets.Layout(flex="1 1 100px", min_width="0", width="auto"))
        self._note.observe(self._noted, names="value")
        self._error = ipywidgets.HTML()
        self._applying = False
        super().__init__([
            ipywidgets.HBox([*self._stars, self._shortlist], layout=ipywidgets.Layout(flex_flow="row wrap")),
            ipywidgets.HBox([ipywidgets.HTML('<span style="font-size:12px;opacity:.7">tags</span>'), self._tags,
                             self._note], layout=ipywidgets.Layout(flex_flow="row wrap", align_items="center")),
            self._error,
        ], layout=ipywidgets.Layout(margin="2px 0"), _dom_classes=("sume-review-controls",))
        self.review = self._read()
        self._show(self.review, "")
        ReviewControls._open.add(self)

    def on_change(self, listener: Callable[[Any], None]) -> None:
        """Call `listener(review)` after every stored change."""
        self._listeners.append(listener)

    def reload(self) -> None:
        """Show what the journal holds now (another view of the same job may have changed it)."""
        self.review = self._read()
        self._show(self.review, "")
        for listener in self._listeners:
            listener(self.review)

    def _same_job(self, other: ReviewControls) -> bool:
        return other is not self and other.job_id == self.job_id and other._client.base_url == self._client.base_url

    # --- changes from the page ----------------------------------------------------------------------------------

    def _clicked_star(self, stars: int) -> None:
        self._store(rating=None if self.review.rating == stars else stars)

    def _toggled(self, change: dict[str, Any]) -> None:
        if not self._applying:
            self._store(starred=bool(change["new"]))

    def _tagged(self, change: dict[str, Any]) -> None:
        if not self._applying:
            self._store(tags=list(change["new"]))

    def _noted(self, change: dict[str, Any]) -> None:
        if not self._applying:
            self._store(note=change["new"])

    def _read(self) -> Any:
        return self._client.jobs.review(self.job_id)

    def _store(self, **changes: Any) -> None:
        try:
            self.review = self._client.jobs.set_review(self.job_id, **changes)
        except SumeError as error:
            self._show(self._read(), str(error).splitlines()[0])
            return
        self._show(self.review, "")
        for listener in self._listeners:
            listener(self.review)
        for other in list(ReviewControls._open):
            if self._same_job(other):
                other.reload()
        for view in list(_followers):
            if view.job_id == self.job_id and view.review_client.base_url == self._client.base_url:
                view.review_changed()

    # --- rendering ----------------------------------------------------------------------------------------------

    def _show(self, review: Any, error: str) -> None:
        """Set what differs from the page (an unchanged trait sends nothing: a grid of 100 views stays quiet)."""
        def apply() -> None:
            self._applying = True
            try:
                for n, button in enumerate(self._stars, 1):
                    lit = bool(review.rating) and n <= review.rating
                    button.description = "★" if lit else "☆"
                    button.style.text_color = _GOLD if lit else None
                self._shortlist.value = review.starred
                self._shortlist.button_style = "warning" if review.starred else ""
                self._tags.value = list(review.tags)
                self._note.value = review.note
                self._error.value = f'<span style="color:#b91c1c">{esc(error)}</span>' if error else ""
            finally:
                self._applying = False

        _dispatch.update([*self._stars, self._shortlist, self._tags, self._note, self._error], apply)

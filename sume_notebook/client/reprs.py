"""How every client object reads, as text and as HTML, from one description of it: its `Card`.

A model's `_repr_html_`, its text/plain in IPython (`_repr_pretty_`), the `%sume` magics' cards and the widgets'
error boxes all come from a `Card` built by one function per object, so one object reads the same everywhere.
No IPython here: a Job or an Asset renders in any frontend, and a saved notebook keeps a readable copy. Every text
goes through the redactor, ids are shown by their first characters, URLs without their query, and no media is
linked (its URL may carry a token).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from .._redaction import mask_email, mask_id, redact, redact_url

if TYPE_CHECKING:
    from ._job import Job, JobResult
    from ._models import Account, Asset, AssetUpload, Avatar, Brand, Credits
    from ._pagination import AsyncPaginator, Page
    from ._reviews import Review

__all__ = [
    "Card", "Rendered", "Table", "account_card", "asset_card", "asset_upload_card", "avatar_card", "brand_card",
    "card_of", "credits_card", "esc", "format_duration", "items_card", "job_card", "page_card",
    "paginator_card", "pill", "result_card", "review_card",
]

Tone = Literal["info", "error"]

_STATUS_COLORS = {
    "queued": "#6b7280", "attaching": "#6b7280", "running": "#2563eb", "processing": "#2563eb",
    "completed": "#16a34a", "failed": "#dc2626", "error": "#dc2626", "expired": "#d97706",
    "timed out": "#d97706", "canceled": "#6b7280", "cancelled": "#6b7280",
}
_BORDER = {"info": "#d0d7de", "error": "#cf222e"}
_BACKGROUND = {"info": "transparent", "error": "rgba(207, 34, 46, 0.06)"}
_ID_NAMES = ("id", "job_id", "avatar_id", "workspace_id", "user_id")


def esc(value: object) -> str:
    """Text safe to put into HTML: secrets masked, markup escaped."""
    return html.escape(redact("" if value is None else value))


def _status_color(status: str) -> str:
    return _STATUS_COLORS.get(status, "#6b7280")


def pill(status: str) -> str:
    """A coloured status label."""
    return (
        f'<span style="background:{_status_color(status)};color:#fff;border-radius:9px;padding:1px 8px;'
        f'font-size:12px;white-space:nowrap">{esc(status)}</span>'
    )


def format_duration(seconds: float | None) -> str:
    """`0:04`, `1:05`, `1:02:03`: the clock-like elapsed time tqdm users know."""
    if seconds is None:
        return ""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class Table:
    """Rows of plain-text cells under a head, for lists inside a card (outputs, page items)."""

    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def text(self) -> str:
        widths = [max(len(c) for c in column) for column in zip(self.head, *self.rows, strict=True)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
                 for row in (self.head, *self.rows)]
        return "\n".join("  " + line for line in lines)

    def html(self) -> str:
        th = "".join(f'<th style="text-align:left;padding:0 8px 0 0">{esc(h)}</th>' for h in self.head)
        cell = '<td style="text-align:left;padding:0 8px 0 0">{}</td>'
        body = "".join("<tr>" + "".join(cell.format(esc(c)) for c in row) + "</tr>" for row in self.rows)
        return f'<table style="border-collapse:collapse;margin-top:4px"><tr>{th}</tr>{body}</table>'


@dataclass(frozen=True)
class Card:
    """One object as a person reads it: a title, an optional status, label/value rows, a table and a note.

    `text()` and `html()` read the same data, so the text/plain and text/html of an output never disagree.
    `extra_html` is already-safe HTML for what only a page can show (thumbnails, a nested box); `extra_text`
    stands in for it in the text.
    """

    title: str
    rows: tuple[tuple[str, str], ...] = ()
    status: str | None = None
    table: Table | None = None
    note: str | None = None
    tone: Tone = "info"
    extra_html: str = ""
    extra_text: str = ""

    def text(self) -> str:
        rows = [(k, v) for k, v in self.rows if v]
        width = max((len(k) for k, _ in rows), default=0)
        head = f"{self.title}: {self.status}" if self.status else self.title
        lines = [head, *(f"  {k.ljust(width)}  {v}" for k, v in rows)]
        if self.table is not None:
            lines.append(self.table.text())
        lines += [part for part in (self.note, self.extra_text) if part]
        return redact("\n".join(lines))

    def html(self) -> str:
        cells = "".join(
            f"<tr><th style='text-align:left;padding:1px 12px 1px 0;font-weight:500;opacity:.75'>{esc(k)}</th>"
            f"<td style='text-align:left;padding:1px 0'>{esc(v)}</td></tr>"
            for k, v in self.rows
            if v
        )
        status = f" {pill(self.status)}" if self.status else ""
        table = self.table.html() if self.table is not None else ""
        note = f"<div style='margin-top:4px;opacity:.75'>{esc(self.note)}</div>" if self.note else ""
        return (
            f"<div class='sume-card sume-{self.tone}' style='border:1px solid {_BORDER[self.tone]};border-radius:6px;"
            f"background:{_BACKGROUND[self.tone]};padding:6px 12px;margin:2px 0;max-width:720px;font-size:13px'>"
            f"<div><b>{esc(self.title)}</b>{status}</div>"
            f"<table style='border-collapse:collapse;margin:0'>{cells}</table>{table}{note}{self.extra_html}</div>"
        )

    def _repr_html_(self) -> str:
        return self.html()

    def __repr__(self) -> str:
        return self.text()


class Rendered:
    """What an object with a `card()` shows: its card as HTML, and as text at the top of an IPython output.

    Nested in a list or dict, IPython gets the one-line `repr()` instead, so a list of jobs stays a list.
    """

    def card(self) -> Card:
        raise NotImplementedError

    def _repr_html_(self) -> str:
        return self.card().html()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self) if cycle or printer.indentation else self.card().text())


def card_of(obj: Any) -> Card | None:
    """The card of a client object; None for anything that has none."""
    return obj.card() if isinstance(obj, Rendered) else None


# --- values ----------------------------------------------------------------------------------------------------


def _text(name: str, value: Any) -> str:
    """One value as short text: ids masked, URLs cut, times to the minute, lists joined, empties empty."""
    if value is None or value == [] or value == {} or value == "":
        return ""
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return redact_url(value)
    if name in _ID_NAMES or name.endswith("_id"):
        return mask_id(str(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name == "progress" and isinstance(value, (int, float)):
        return f"{value:.0%}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() and abs(value) >= 1000 else f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_text("", v) for v in value)
    return redact(value)


def _rows(*pairs: tuple[str, Any]) -> tuple[tuple[str, str], ...]:
    """Label/value rows, each value made safe to show; the name of a pair picks how (`id`, `url`, ...)."""
    return tuple((label, _text(label, value)) for label, value in pairs)


def _seconds(a: datetime | None, b: datetime | None) -> float | None:
    return (b - a).total_seconds() if a and b else None


# --- one card per object -------------------------------------------------------------------------------------


def job_card(job: Job) -> Card:
    progress = job.progress if job.progress is not None and not job.is_terminal else None
    error = job.error
    return Card("Sume job", _rows(
        ("type", job.type), ("id", job.id), ("progress", progress), ("created", job.created_at),
        ("took", format_duration(_seconds(job.created_at, job.completed_at)) or None),
        ("error", ": ".join(p for p in (error.code, error.message) if p) if error else None),
        ("request", job.request_id if error else None),
    ), status=job.status)


def _output_row(output: Any) -> tuple[str, ...]:
    size = f"{output.width}×{output.height}" if output.width and output.height else ""
    return (str(output.index), _text("kind", output.kind), size, _text("seconds", output.duration_seconds),
            _text("type", output.content_type), _text("url", output.url))


def result_card(result: JobResult) -> Card:
    rows = _rows(("type", result.job.type), ("id", result.id))
    table = Table(("output", "kind", "size", "seconds", "type", "url"),
                  tuple(_output_row(o) for o in result.outputs)) if result.outputs else None
    analysis = result.analysis
    if analysis is not None:
        rows += _rows(("platform", analysis.platform), ("duration", analysis.duration_seconds),
                      ("summary", analysis.summary), ("hook", (analysis.hook or {}).get("text")),
                      ("scenes", len(analysis.scenes or [])), ("tags", analysis.tags))
    return Card("Sume job result", rows, status=result.status, table=table)


def credits_card(credits: Credits) -> Card:
    active = (
        f"{credits.active_generations or 0} of {credits.max_active_generations}"
        if credits.max_active_generations is not None else credits.active_generations
    )
    return Card("Sume credits", _rows(
        ("remaining", credits.remaining_credits), ("plan", credits.plan), ("monthly", credits.monthly_credits),
        ("bonus", credits.bonus_credits), ("active generations", active),
    ))


def account_card(account: Account) -> Card:
    user, workspace, key = account.user or {}, account.workspace or {}, account.api_key or {}
    return Card("Sume account", (
        ("user", redact(" ".join(p for p in (user.get("name"), f"({mask_id(user.get('id'))})") if p))),
        ("email", mask_email(user.get("email"))),
        ("workspace", redact(f"{workspace.get('name') or ''} ({mask_id(workspace.get('id'))})")),
        ("API key", redact(" ".join(p for p in (key.get("name"), mask_id(key.get("prefix"))) if p))),
        ("key last used", _text("", key.get("last_used_at"))),
    ))


def avatar_card(avatar: Avatar) -> Card:
    able = [name for name, yes in (avatar.capabilities or {}).items() if yes]
    return Card(f"Avatar: {avatar.name or avatar.slug or 'avatar'}", _rows(
        ("id", avatar.id), ("slug", avatar.slug), ("visibility", avatar.visibility), ("can do", able),
        ("preview", avatar.preview_image_url),
    ))


def brand_card(brand: Brand) -> Card:
    images = tuple((_text("id", i.id), _text("caption", i.caption), _text("url", i.reference_url))
                   for i in brand.images or [])
    return Card(f"Brand DNA: {brand.name or 'Brand DNA'}", _rows(("id", brand.id), ("description", brand.description)),
                table=Table(("image", "caption", "reference url"), images) if images else None)


def asset_card(asset: Asset) -> Card:
    times = f"{asset.start_seconds or 0:.1f}–{asset.end_seconds:.1f} s" if asset.end_seconds is not None else None
    return Card(f"Scene: {asset.segment_type or 'scene'}", _rows(
        ("id", asset.id), ("time", times), ("source", asset.source_type), ("description", asset.description),
        ("tags", asset.tags), ("brands", asset.brands), ("products", asset.products),
        ("call to action", asset.cta_present), ("score", asset.search_score), ("preview", asset.preview_url),
    ))


def asset_upload_card(upload: AssetUpload) -> Card:
    return Card("Asset Library upload", _rows(("id", upload.id), ("job_id", upload.job_id)), status=upload.status,
                note="Its scenes become searchable when the processing job completes.")


def items_card(items: Iterable[Any], title: str = "") -> Card:
    """A table of items of one kind (jobs or API models), one row each."""
    items = list(items)
    if not items:
        return Card(title or "no items")
    first = items[0]
    columns = ("id", "type", "status", "progress", "created_at") if hasattr(first, "is_terminal") else tuple(
        n for n in getattr(first, "_shown", ()) if n != "raw"
    )
    rows = tuple(tuple(_text(n, getattr(item, n, None)) for n in columns) for item in items)
    return Card(title or f"{len(items)} items", table=Table(columns, rows))


def page_card(page: Page[Any]) -> Card:
    more = "more pages follow" if page.next_cursor else "last page"
    return items_card(page.items, f"{len(page.items)} items ({more})")


def paginator_card(paginator: AsyncPaginator[Any]) -> Card:
    filters = ", ".join(f"{k}={_text(k, v)}" for k, v in paginator.params.items())
    return Card(f"Lazy list of {paginator.path}", (
        ("filters", filters), ("fetch", "iterate it, or call to_list() / to_pandas()"),
    ))


def review_card(review: Review) -> Card:
    stars = "\u2605" * review.rating + "\u2606" * (5 - review.rating) if review.rating else ""
    empty = review.rating is None and not review.starred and not review.tags and not review.note
    return Card("Review", _rows(("rating", stars), ("starred", review.starred), ("tags", list(review.tags)),
                                ("note", review.note)),
                note="No rating, star, tag or note yet." if empty else None)

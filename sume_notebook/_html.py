"""Plain HTML for the rich reprs of the client's objects and the widgets' static snapshots.

No IPython here: the client's models call these from `_repr_html_`, so a Job or an Asset renders as a card in any
frontend, and a saved notebook keeps a readable copy. Every text goes through the redactor, ids are shown by their
first characters, URLs without their query, and no media is linked (its URL may carry a token).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ._redaction import mask_id, redact, redact_url

if TYPE_CHECKING:
    from .client._job import Job, JobResult
    from .client._models import Account, Asset, Avatar, Brand, Credits
    from .client._pagination import AsyncPaginator, Page

__all__ = [
    "account_html", "asset_html", "avatar_html", "brand_html", "card", "credits_html", "error_box", "esc",
    "format_duration", "items_html", "job_html", "page_html", "paginator_html", "pill", "result_html", "status_color",
]

_STATUS_COLORS = {
    "queued": "#6b7280", "attaching": "#6b7280", "running": "#2563eb", "processing": "#2563eb",
    "completed": "#16a34a", "failed": "#dc2626", "error": "#dc2626", "expired": "#d97706",
    "timed out": "#d97706", "canceled": "#6b7280", "cancelled": "#6b7280",
}
_CARD = "border:1px solid rgba(127,127,127,.35);border-radius:6px;padding:6px 10px;margin:2px 0;font-size:13px"
_ID_NAMES = ("id", "job_id", "avatar_id", "workspace_id", "user_id")


def esc(value: object) -> str:
    """Text safe to put into HTML: secrets masked, markup escaped."""
    return html.escape(redact("" if value is None else value))


def status_color(status: str) -> str:
    return _STATUS_COLORS.get(status, "#6b7280")


def pill(status: str) -> str:
    """A coloured status label."""
    return (
        f'<span style="background:{status_color(status)};color:#fff;border-radius:9px;padding:1px 8px;'
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


def card(title: str, rows: Sequence[tuple[str, str]] = (), extra: str = "") -> str:
    """A bordered box: an HTML title line, then `name: value` rows (values already HTML)."""
    body = "".join(
        f'<tr><td style="padding:0 10px 0 0;opacity:.7;text-align:left">{esc(name)}</td>'
        f'<td style="text-align:left">{value}</td></tr>'
        for name, value in rows
        if value
    )
    table = f'<table style="border-collapse:collapse;margin-top:4px">{body}</table>' if body else ""
    return f'<div style="{_CARD}"><div>{title}</div>{table}{extra}</div>'


def error_box(title: str, lines: Sequence[tuple[str, str]], advice: str) -> str:
    """A red-bordered box: what went wrong (`lines` are plain text) and what to do about it."""
    rows = "".join(f"<div><b>{esc(name)}</b>: {esc(value)}</div>" for name, value in lines if value)
    return (
        '<div style="border:1px solid #dc2626;border-left:4px solid #dc2626;border-radius:4px;padding:6px 10px;'
        f'margin:4px 0;font-size:13px"><div style="font-weight:600">{esc(title)}</div>{rows}'
        f'<div style="margin-top:4px">{esc(advice)}</div></div>'
    )


def _cell(name: str, value: Any) -> str:
    """One value as short HTML text: ids masked, URLs cut, times to the minute, lists joined."""
    if value is None or value == [] or value == {}:
        return ""
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return esc(redact_url(value))
    if name in _ID_NAMES or name.endswith("_id"):
        return esc(mask_id(str(value)))
    if isinstance(value, datetime):
        return esc(value.strftime("%Y-%m-%d %H:%M UTC"))
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if name == "progress" and isinstance(value, (int, float)):
        return esc(f"{value:.0%}")
    if isinstance(value, float):
        return esc(f"{value:g}")
    if isinstance(value, (list, tuple)):
        return esc(", ".join(str(v) for v in value))
    return esc(value)


def _seconds(a: datetime | None, b: datetime | None) -> float | None:
    return (b - a).total_seconds() if a and b else None


def job_html(job: Job) -> str:
    progress = f"{job.progress:.0%}" if job.progress is not None and not job.is_terminal else ""
    error = job.error
    rows = [
        ("id", _cell("id", job.id)),
        ("progress", progress),
        ("created", _cell("created_at", job.created_at)),
        ("took", esc(format_duration(_seconds(job.created_at, job.completed_at)))),
        ("error", esc(": ".join(p for p in (error.code, error.message) if p)) if error else ""),
        ("request", esc(job.request_id) if error else ""),
    ]
    return card(f"{pill(job.status)} <b>{esc(job.type or 'job')}</b>", rows)


def result_html(result: JobResult) -> str:
    head = ["output", "kind", "size", "seconds", "type", "url"]
    rows = [
        [str(o.index), _cell("kind", o.kind), f"{o.width}×{o.height}" if o.width and o.height else "",
         _cell("duration_seconds", o.duration_seconds), _cell("content_type", o.content_type), _cell("url", o.url)]
        for o in result.outputs
    ]
    analysis = result.analysis
    summary = f'<div style="margin-top:4px">{esc(analysis.summary)}</div>' if analysis and analysis.summary else ""
    outputs = _table(head, rows) if rows else ""
    return card(f"{pill(result.status)} <b>result</b> of {esc(mask_id(result.id))}", extra=outputs + summary)


def credits_html(credits: Credits) -> str:
    active = (
        f"{credits.active_generations or 0} of {credits.max_active_generations}"
        if credits.max_active_generations is not None else _cell("active", credits.active_generations)
    )
    rows = [
        ("plan", _cell("plan", credits.plan)),
        ("monthly", _cell("monthly", credits.monthly_credits)),
        ("bonus", _cell("bonus", credits.bonus_credits)),
        ("active generations", esc(active)),
    ]
    remaining = "?" if credits.remaining_credits is None else f"{credits.remaining_credits:,.0f}"
    return card(f"<b>{esc(remaining)}</b> credits remaining", rows)


def account_html(account: Account) -> str:
    user, workspace, key = account.user or {}, account.workspace or {}, account.api_key or {}
    rows = [
        ("user", esc(" ".join(p for p in (user.get("name"), f"({mask_id(user.get('id'))})") if p))),
        ("email", esc(_masked_email(user.get("email")))),
        ("workspace", esc(f"{workspace.get('name') or ''} ({mask_id(workspace.get('id'))})")),
        ("key", esc(" ".join(p for p in (key.get("name"), mask_id(key.get("prefix"))) if p))),
    ]
    return card("<b>Sume account</b>", rows)


def _masked_email(email: str | None) -> str:
    if not email or "@" not in email:
        return ""
    local, _, domain = email.partition("@")
    return f"{local[:1]}…@{domain[:1]}…"


def avatar_html(avatar: Avatar) -> str:
    capabilities = ", ".join(name for name, yes in (avatar.capabilities or {}).items() if yes)
    rows = [
        ("id", _cell("id", avatar.id)),
        ("slug", _cell("slug", avatar.slug)),
        ("visibility", _cell("visibility", avatar.visibility)),
        ("can", esc(capabilities)),
        ("preview", _cell("url", avatar.preview_image_url)),
    ]
    return card(f"<b>{esc(avatar.name or avatar.slug or 'avatar')}</b>", rows)


def brand_html(brand: Brand) -> str:
    images = [[_cell("id", i.id), esc(i.caption), _cell("url", i.reference_url)] for i in brand.images or []]
    description = f"<div>{esc(brand.description)}</div>" if brand.description else ""
    table = _table(["image", "caption", "reference url"], images) if images else ""
    return card(f"<b>{esc(brand.name or 'Brand DNA')}</b> {esc(mask_id(brand.id))}", extra=description + table)


def asset_html(asset: Asset) -> str:
    times = f"{asset.start_seconds or 0:.1f}–{asset.end_seconds:.1f} s" if asset.end_seconds is not None else ""
    rows = [
        ("id", _cell("id", asset.id)),
        ("scene", esc(times)),
        ("source", _cell("source_type", asset.source_type)),
        ("tags", _cell("tags", asset.tags)),
        ("cta", _cell("cta", asset.cta_present)),
        ("score", _cell("score", asset.search_score)),
        ("preview", _cell("url", asset.preview_url)),
    ]
    description = f"<div>{esc(asset.description)}</div>" if asset.description else ""
    return card(f"<b>{esc(asset.segment_type or 'scene')}</b>", rows, description)


def items_html(items: Iterable[Any], title: str = "") -> str:
    """A table of items of one kind (jobs or API models), one row each."""
    items = list(items)
    if not items:
        return card(f"<b>{esc(title or 'no items')}</b>")
    first = items[0]
    columns = ["id", "type", "status", "progress", "created_at"] if hasattr(first, "is_terminal") else [
        n for n in getattr(first, "_shown", ()) if n not in ("raw",)
    ]
    rows = [[_cell(n, getattr(item, n, None)) for n in columns] for item in items]
    return card(f"<b>{esc(title or f'{len(items)} items')}</b>", extra=_table(columns, rows))


def paginator_html(paginator: AsyncPaginator[Any]) -> str:
    filters = ", ".join(f"{k}={_cell(k, v)}" for k, v in paginator._params.items())
    return card(
        f"<b>lazy list</b> of {esc(paginator._path)}",
        [("filters", filters), ("fetch", esc("iterate it, or call to_list() / to_pandas()"))],
    )


def page_html(page: Page[Any]) -> str:
    more = "more pages follow" if page.next_cursor else "last page"
    return items_html(page.items, f"{len(page.items)} items ({more})")


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    th = "".join(f'<th style="text-align:left;padding:0 8px 0 0">{esc(h)}</th>' for h in head)
    cell = '<td style="text-align:left;padding:0 8px 0 0">{}</td>'
    body = "".join("<tr>" + "".join(cell.format(c) for c in row) + "</tr>" for row in rows)
    return f'<table style="border-collapse:collapse;margin-top:4px"><tr>{th}</tr>{body}</table>'


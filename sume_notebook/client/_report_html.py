"""A report as one standalone HTML file: a contact sheet that opens in any browser, offline, with no script.

Everything is inside the file: stills as data URIs, the style inline, and a Content-Security-Policy that lets the
page load nothing else, so a forgotten URL could never reach the network. The filters (all, starred, a tag) are
radio buttons and CSS `:has()`; a browser without it shows every card. Printing drops the filters and keeps cards
whole. Every text goes through `esc` (redacted, escaped).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from .._version import __version__
from ._report_data import ReportItem
from ._report_media import ReportFile
from .reprs import esc, format_duration
from .stills import data_uri

__all__ = ["render_report"]

_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
_STYLE = """
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --paper: #f6f8fa; --accent: #bf8700; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: #fff; }
header { margin-bottom: 16px; }
h1 { font-size: 22px; margin: 0 0 4px; }
.summary { color: var(--muted); margin: 0 0 12px; }
.filters { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.filters input { position: absolute; opacity: 0; }
.filters label { border: 1px solid var(--line); border-radius: 999px; padding: 2px 10px; cursor: pointer; }
.filters input:checked + label { background: var(--ink); color: #fff; border-color: var(--ink); }
.sheet { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 16px; }
.card { border: 1px solid var(--line); border-radius: 8px; overflow: hidden; display: flex; flex-direction: column;
        break-inside: avoid; background: #fff; }
.card.starred { border-color: var(--accent); box-shadow: 0 0 0 1px var(--accent); }
.card.failed { border-color: #cf222e; }
figure { margin: 0; position: relative; background: var(--paper); }
figure img { display: block; width: 100%; height: 300px; object-fit: contain; }
figure .play { position: absolute; top: 8px; left: 8px; background: rgba(0,0,0,.65); color: #fff; border-radius: 4px;
               padding: 1px 7px; font-size: 12px; }
figcaption { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; color: var(--muted); padding: 4px 10px;
             overflow-wrap: anywhere; }
.empty { padding: 28px 12px; text-align: center; color: var(--muted); }
.body { padding: 10px 12px 12px; display: flex; flex-direction: column; gap: 6px; }
.prompt { margin: 0; font-weight: 600; white-space: pre-wrap; overflow-wrap: anywhere; }
.what { margin: 0; color: var(--muted); }
.status { display: inline-block; border-radius: 999px; padding: 0 8px; font-size: 12px; color: #fff;
          background: #6b7280; }
.status.completed { background: #1a7f37; } .status.failed, .status.rejected { background: #cf222e; }
.review { margin: 0; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.stars { color: var(--accent); letter-spacing: 1px; }
.stars .off { color: var(--line); }
.shortlist { color: var(--accent); font-weight: 600; }
.tag { background: #ddf4ff; color: #0969da; border-radius: 999px; padding: 0 8px; font-size: 12px; }
.note { margin: 0; padding: 6px 8px; background: #fff8c5; border-radius: 4px; white-space: pre-wrap; }
.reason { margin: 0; padding: 6px 8px; background: rgba(207,34,46,.08); border-left: 3px solid #cf222e; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 0 10px; margin: 0; font-size: 12px; color: var(--muted); }
dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
footer { margin-top: 24px; color: var(--muted); font-size: 12px; }
@media print { body { padding: 0; } .filters { display: none; } .sheet { gap: 8px; }
               figure img { height: 200px; } }
"""


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _credits(amount: float | None, estimated: bool) -> str:
    if amount is None:
        return ""
    return f"{amount:,.0f}{' (estimated)' if estimated else ''}"


def _option(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return f"{value:g}" if isinstance(value, float) else str(value)  # a duration of 4.0 reads 4


def _figure(file: ReportFile, linked: bool) -> str:
    name = esc(file.name)
    caption = f'<a href="files/{name}">{name}</a>' if linked and file.path is not None and file.name else name
    if file.kind == "video":
        caption = f"clip: {caption}"
    if file.still is None:
        return (f'<figure><div class="empty">{esc(file.kind)}: {esc(file.note or "no preview")}</div>'
                f"<figcaption>{caption}</figcaption></figure>")
    size = f' width="{file.still.width}" height="{file.still.height}"' if file.still.width else ""
    play = '<span class="play">&#9654; video</span>' if file.kind == "video" else ""
    return (f'<figure><img src="{data_uri(file.still)}" alt="{name}"{size}>{play}'
            f"<figcaption>{caption}</figcaption></figure>")


def _stars(rating: int | None) -> str:
    if rating is None:
        return ""
    return (f'<span class="stars" title="{rating} of 5">{"&#9733;" * rating}'
            f'<span class="off">{"&#9733;" * (5 - rating)}</span></span>')


def _card(item: ReportItem, tag_ids: Mapping[str, int], linked: bool) -> str:
    classes = ["card", *(["starred"] if item.review.starred else []), *(["failed"] if item.failed else []),
               *(f"t{tag_ids[tag]}" for tag in item.review.tags)]
    media = "".join(_figure(f, linked) for f in item.files)
    if not media:
        media = f'<figure><div class="empty">{esc(item.status)}</div></figure>'
    options = " &middot; ".join(f"{esc(k.replace('_', ' '))} {esc(_option(v))}" for k, v in item.options.items())
    what = f'<span class="status {esc(item.status)}">{esc(item.status)}</span> {esc(item.kind or "")}'
    review = "".join((
        _stars(item.review.rating),
        '<span class="shortlist">&#9733; starred</span>' if item.review.starred else "",
        "".join(f'<span class="tag">{esc(tag)}</span>' for tag in item.review.tags),
    ))
    duration = (item.finished_at - item.created_at).total_seconds() if item.finished_at and item.created_at else None
    facts = [("credits", _credits(item.credits, item.credits_estimated)), ("created", _when(item.created_at)),
             ("finished", _when(item.finished_at)), ("took", format_duration(duration)), ("job", item.job_id or "")]
    return "".join((
        f'<article class="{" ".join(classes)}" id="{esc(item.job_id or "")}">', media, '<div class="body">',
        f'<p class="prompt">{esc(item.prompt or "(no prompt)")}</p>',
        f'<p class="what">{what}{" &middot; " + options if options else ""}</p>',
        f'<p class="review">{review}</p>' if review else "",
        f'<p class="note">{esc(item.review.note)}</p>' if item.review.note else "",
        f'<p class="reason">{esc(item.reason)}</p>' if item.reason else "",
        "<dl>", "".join(f"<dt>{name}</dt><dd>{esc(value)}</dd>" for name, value in facts if value), "</dl>",
        "</div></article>",
    ))


def _filters(items: Sequence[ReportItem], tag_ids: Mapping[str, int]) -> tuple[str, str]:
    """The filter buttons and the CSS rules that make them work (no script)."""
    choices = [("all", "All"), *([("starred", "&#9733; Starred")] if any(i.review.starred for i in items) else []),
               *((f"t{n}", f"#{esc(tag)}") for tag, n in tag_ids.items())]
    if len(choices) == 1:
        return "", ""
    buttons = "".join(f'<input type="radio" name="show" id="show-{key}"{" checked" if key == "all" else ""}>'
                      f'<label for="show-{key}">{label}</label>' for key, label in choices)
    rules = "".join(f"body:has(#show-{key}:checked) .card:not(.{key}) {{ display: none; }}\n"
                    for key, _ in choices[1:])
    return f'<nav class="filters" aria-label="Show">{buttons}</nav>', rules


def _summary(items: Sequence[ReportItem]) -> str:
    completed = sum(item.status == "completed" for item in items)
    failed = sum(item.failed for item in items)
    spent = [item for item in items if item.credits is not None]
    parts = [f"{len(items)} job{'s' if len(items) != 1 else ''}", f"{completed} completed"]
    if failed:
        parts.append(f"{failed} failed")
    if spent:
        estimated = any(item.credits_estimated for item in spent)
        parts.append(f"{sum(i.credits or 0 for i in spent):,.0f} credits{' (partly estimated)' if estimated else ''}")
    rated = sum(item.review.rating is not None for item in items)
    if rated:
        parts.append(f"{rated} rated")
    starred = sum(item.review.starred for item in items)
    if starred:
        parts.append(f"{starred} starred")
    return " &middot; ".join(parts)


def render_report(items: Sequence[ReportItem], title: str, *, linked: bool = False) -> str:
    """The report's HTML; `linked` makes each file name a link to `files/NAME` (the zip's layout)."""
    tags = dict.fromkeys(tag for item in items for tag in item.review.tags)
    tag_ids = {tag: n for n, tag in enumerate(tags)}
    filters, rules = _filters(items, tag_ids)
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return "".join((
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title><style>{_STYLE}{rules}</style></head>\n<body>",
        f'<header><h1>{esc(title)}</h1><p class="summary">{_summary(items)}</p>{filters}</header>\n',
        '<main class="sheet">\n', "\n".join(_card(item, tag_ids, linked) for item in items), "\n</main>",
        f"<footer>Made {made} with sume-notebook {esc(__version__)}. Times are UTC; credits are what the service "
        "reserved, or an estimate where marked.</footer>\n</body></html>\n",
    ))

"""The static text and HTML copies of the widgets: what a saved notebook shows where no kernel runs them.

Each function takes plain, already-safe values (masked ids, no URLs; thumbnails as inline data) and returns
`(text, html)`. Every text still passes through the redactor on its way into HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..._redaction import redact
from ...client import Card
from ...client.reprs import esc, format_duration
from ._grid_layout import GridLayout

__all__ = ["browser_snapshot", "grid_snapshot", "header_html", "job_snapshot", "studio_snapshot", "thumbnail_html"]

Snapshot = tuple[str, str]


def thumbnail_html(uri: str, title: str = "") -> str:
    return (
        f'<img src="{uri}" alt="{esc(title)}" title="{esc(title)}" '
        'style="max-width:160px;max-height:160px;margin:4px 4px 0 0;border-radius:4px">'
    )


def job_snapshot(
    *, phase: str, job_type: str | None, short_id: str, label: str | None, fraction: float, estimated: bool,
    elapsed: float, media: Sequence[str], note: str, problem: tuple[str, str] | None, saved: Sequence[str] = (),
    review: Snapshot = ("", ""),
) -> Snapshot:
    """`media` are ready HTML fragments (thumbnails, or a final job's previews and links, which show where files
    were `saved`: the text names them itself); `problem` is the (text, html) of an error box; `review` the job's
    rating, star, tags and note (read-only: the saved notebook keeps them)."""
    percent = f"{'~' if estimated else ''}{fraction:.0%}"
    head = " · ".join(p for p in (job_type or "job", short_id, phase, percent, format_duration(elapsed)) if p)
    text = redact("\n".join(p for p in (label, head, review[0], note, *saved, problem[0] if problem else "") if p))
    rows = (("label", label or ""), ("progress", percent), ("elapsed", format_duration(elapsed)))
    extra = review[1]
    extra += f"<div>{''.join(media)}</div>" if media else ""
    extra += f"<div>{esc(note)}</div>" if note else ""
    extra += problem[1] if problem else ""
    return text, Card(f"{job_type or 'job'} {short_id}", rows, status=phase, extra_html=extra).html()


def header_html(header: tuple[str, str]) -> str:
    """A grid's header, `(title, details)`, as its live view and its snapshot show it."""
    return f"<b>{esc(header[0])}</b>: {esc(header[1])}"


def grid_snapshot(header: tuple[str, str], layout: GridLayout, cells: Sequence[Snapshot]) -> Snapshot:
    """The grid's `header` (counts, credits, legend) over its cells, placed as `layout` says with the axis values
    as table headers, so a saved matrix reads like its live grid."""
    text = "\n\n".join([f"{header[0]}: {header[1]}", *(t for t, _ in cells)])
    tables = []
    for group in layout.groups:
        rows = []
        if group.column_values:
            corner = "<th></th>" if layout.row_axis else ""
            rows.append(f"<tr>{corner}" + "".join(f"<th>{esc(layout.column_axis)}={esc(v)}</th>"
                                                  for v in group.column_values) + "</tr>")
        for value, row in zip(group.row_values or [None] * len(group.cells), group.cells, strict=True):
            head = f'<th style="text-align:left">{esc(layout.row_axis)}={esc(value)}</th>' if layout.row_axis else ""
            tds = "".join(f'<td style="vertical-align:top">{cells[i][1] if i is not None else ""}</td>' for i in row)
            rows.append(f"<tr>{head}{tds}</tr>")
        title = f"<div><b>{esc(group.title)}</b></div>" if group.title else ""
        tables.append(f'{title}<table class="sume-grid" style="table-layout:fixed;border-collapse:separate;border-spacing:4px">'
                      f'{"".join(rows)}</table>')
    return redact(text), f"<div>{header_html(header)}</div>{''.join(tables)}"


def studio_snapshot(kind: str, prompt: str, options: Mapping[str, object], last: Snapshot | None) -> Snapshot:
    settings = ", ".join(f"{k}={v}" for k, v in options.items() if v not in (None, "", False))
    text = "\n".join(p for p in (f"PromptStudio ({kind}): {prompt or '(no prompt yet)'}", settings) if p)
    rows = (("prompt", prompt), ("options", settings))
    html = Card(f"Prompt studio: {kind}", rows, extra_html=last[1] if last else "").html()
    return redact(text + (f"\n{last[0]}" if last else "")), html


def browser_snapshot(query: str, filters: Mapping[str, object], tiles: Sequence[tuple[str, str | None]]) -> Snapshot:
    """`tiles`: (caption, thumbnail data URI or None) per scene found."""
    settings = ", ".join(f"{k}={v}" for k, v in filters.items() if v not in (None, ""))
    head = f"AssetBrowser: {len(tiles)} scenes for {query!r}" + (f" ({settings})" if settings else "")
    text = "\n".join([head, *(f"  {caption}" for caption, _ in tiles)])
    figures = "".join(
        f'<figure style="display:inline-block;margin:0 6px 6px 0">{thumbnail_html(uri, caption) if uri else ""}'
        f'<figcaption style="font-size:12px">{esc(caption)}</figcaption></figure>'
        for caption, uri in tiles
    )
    card = Card(f"{len(tiles)} scenes for {query!r}", (("filters", settings),), extra_html=figures)
    return redact(text), card.html()

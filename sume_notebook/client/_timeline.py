"""`Timeline`: a `ReelSet` drawn as lanes on one time axis, in plain SVG.

SVG inside text/html, with inline attributes only (no script, no stylesheet, no external file), because that is
what survives everywhere a notebook is read: a saved .ipynb, GitHub, nbconvert and static reports. Each scene is a
block coloured by its segment type (the same colour for the same type in every lane, named in the legend), the
hook is underlined, the CTA is a red marker, and hovering a block shows its time, description and transcript
(an SVG `<title>`). Blocks carry `data-reel` and `data-scene`, so a live view can make them clickable.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._redaction import redact_url
from ._reel_measures import OTHER_SEGMENT, scene_segment_type

if TYPE_CHECKING:
    from ._models import ReferenceAnalysis
    from ._reels import ReelSet

__all__ = ["SEGMENT_COLORS", "Timeline", "segment_color"]

# The Asset Library's segment types first, in a fixed order, so a type keeps its colour from one timeline to the
# next; colours from Tableau 10 and its lighter twins, readable on white and distinct for common colour blindness.
SEGMENT_COLORS = {
    "hook": "#4e79a7", "problem": "#e15759", "product_demo": "#59a14f", "testimonial": "#b07aa1",
    "b_roll": "#bab0ac", "before_after": "#edc948", "solution": "#76b7b2", "unboxing": "#9c755f",
    "offer": "#ff9da7", "cta": "#f28e2b", OTHER_SEGMENT: "#d4d4d4",
}
_SPARE_COLORS = ("#86bcb6", "#8cd17d", "#b6992d", "#f1ce63", "#499894", "#d37295", "#fabfd2", "#a0cbe8")
_CTA_COLOR = "#c0392b"
_HOOK_COLOR = "#1f2d3d"
_LABEL_WIDTH = 250  # a reel's full name and its length: `instagram-C4xYzAbCdEf 53 s`
_RIGHT = 24
_TOP = 34
_LANE = 26
_GAP = 12
_FONT = "font-family='system-ui, -apple-system, Segoe UI, Roboto, sans-serif'"


def segment_color(segment_type: str, unknown: list[str] | None = None) -> str:
    """The colour of a segment type; a type outside the table takes the next spare colour (by its order in
    `unknown`), then grey."""
    if segment_type in SEGMENT_COLORS:
        return SEGMENT_COLORS[segment_type]
    order = unknown or []
    index = order.index(segment_type) if segment_type in order else len(_SPARE_COLORS)
    return _SPARE_COLORS[index] if index < len(_SPARE_COLORS) else SEGMENT_COLORS[OTHER_SEGMENT]


def _step(span: float) -> float:
    """A tick spacing of 1, 2 or 5 times a power of ten giving about eight ticks."""
    raw = max(span, 1e-9) / 8
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _seconds(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def scene_caption(name: str, scene: dict[str, Any], segment: str) -> str:
    """What hovering a block says: where and what the scene is, and what is said in it."""
    start, end = _seconds(scene.get("start_seconds")) or 0.0, _seconds(scene.get("end_seconds")) or 0.0
    lines = [f"{name} · scene {scene.get('index', '?')} · {segment} · {start:.2f}–{end:.2f} s"]
    for label, key in (("", "description"), ("on screen: ", "on_screen_text")):
        if scene.get(key):
            lines.append(f"{label}{scene[key]}")
    if scene.get("transcript"):
        lines.append(f"“{scene['transcript']}”")
    return "\n".join(lines)


class Timeline:
    """The SVG of a `ReelSet` (`.svg`), shown as HTML in a notebook; `save(path)` writes it as a .svg or .html."""

    def __init__(self, reels: ReelSet, *, width: int = 960) -> None:
        self.reels = reels
        self.width = max(480, int(width))
        self.svg = self._draw()

    def __repr__(self) -> str:
        return f"Timeline({len(self.reels)} reels, {self._blocks} scenes)"

    def _repr_html_(self) -> str:
        return f"<div class='sume-timeline' style='overflow-x:auto;max-width:100%'>{self.svg}</div>"

    def save(self, path: str | Path) -> Path:
        """Write the timeline to `path`: the bare SVG for a .svg name, else an HTML page; returns the path."""
        target = Path(path)
        body = self.svg if target.suffix.lower() == ".svg" else (
            "<!doctype html><meta charset='utf-8'><title>Reels timeline</title>" + self._repr_html_())
        target.write_text(body, encoding="utf-8")
        return target

    # --- drawing ---------------------------------------------------------------------------------------------

    def _draw(self) -> str:
        analyses = list(self.reels.analyses)
        longest = max((self._duration(a) for a in analyses), default=0.0) or 1.0
        plot = self.width - _LABEL_WIDTH - _RIGHT
        self._scale = plot / longest
        self._blocks = 0
        segments: list[str] = []
        for analysis in analyses:
            for scene in analysis.scenes or []:
                segments.append(scene_segment_type(scene, analysis.raw))
        present = list(dict.fromkeys(segments))
        self._unknown = sorted(s for s in present if s not in SEGMENT_COLORS)
        lanes_bottom = _TOP + len(analyses) * (_LANE + _GAP)
        parts = [self._axis(longest, lanes_bottom)]
        parts += [self._lane(i, a) for i, a in enumerate(analyses)]
        legend, legend_height = self._legend(present, lanes_bottom + 8)
        parts.append(legend)
        height = lanes_bottom + 8 + legend_height
        # As wide as the output (up to `width`), the height following: nothing is cut off in a narrow notebook.
        return (f"<svg xmlns='http://www.w3.org/2000/svg' width='100%' viewBox='0 0 {self.width} {height}' "
                f"style='max-width:{self.width}px;height:auto' role='img' {_FONT} font-size='12'>"
                f"<title>Reels timeline: {len(analyses)} reels, scenes by segment type</title>"
                + "".join(parts) + "</svg>")

    @staticmethod
    def _duration(analysis: ReferenceAnalysis) -> float:
        ends = [_seconds(s.get("end_seconds")) or 0.0 for s in analysis.scenes or []]
        return max([analysis.duration_seconds or 0.0, *ends])

    def _x(self, seconds: float) -> float:
        return round(_LABEL_WIDTH + seconds * self._scale, 2)

    def _axis(self, longest: float, bottom: int) -> str:
        step = _step(longest)
        ticks = []
        for k in range(int(longest / step + 1e-9) + 1):
            x = self._x(k * step)
            label = f"{k * step:g} s" if k else "0"
            ticks.append(f"<line x1='{x}' y1='{_TOP - 6}' x2='{x}' y2='{bottom - _GAP + 2}' stroke='#e6e6e6'/>"
                         f"<text x='{x}' y='{_TOP - 10}' text-anchor='middle' fill='#555'>{label}</text>")
        return "<g class='axis'>" + "".join(ticks) + "</g>"

    def _lane(self, row: int, analysis: ReferenceAnalysis) -> str:
        name = self.reels.name_of(analysis)
        y = _TOP + row * (_LANE + _GAP)
        duration = self._duration(analysis)
        url = html.escape(redact_url(analysis.source_url or ""), quote=True)
        label = html.escape(name if len(name) <= 30 else name[:29] + "…")
        parts = [f"<g class='lane' data-reel='{row}'>",
                 f"<text x='{_LABEL_WIDTH - 8}' y='{y + _LANE / 2 + 4}' text-anchor='end' fill='#222'>"
                 f"{label} <tspan fill='#777'>{duration:.0f} s</tspan><title>{url}</title></text>",
                 f"<rect x='{_LABEL_WIDTH}' y='{y}' width='{self._x(duration) - _LABEL_WIDTH}' height='{_LANE}' "
                 f"fill='#f4f4f4'/>"]
        for j, scene in enumerate(analysis.scenes or []):
            start, end = _seconds(scene.get("start_seconds")), _seconds(scene.get("end_seconds"))
            if start is None or end is None:
                continue
            segment = scene_segment_type(scene, analysis.raw)
            caption, kind = html.escape(scene_caption(name, scene, segment)), html.escape(segment, quote=True)
            parts.append(
                f"<rect class='scene' data-reel='{row}' data-scene='{j}' data-segment='{kind}' "
                f"x='{self._x(start)}' y='{y}' width='{max(0.5, self._x(end) - self._x(start))}' height='{_LANE}' "
                f"fill='{segment_color(segment, self._unknown)}' stroke='#fff' stroke-width='1' "
                f"style='cursor:pointer'><title>{caption}</title></rect>")
            self._blocks += 1
        parts.append(self._marks(analysis, y))
        parts.append("</g>")
        return "".join(parts)

    def _marks(self, analysis: ReferenceAnalysis, y: int) -> str:
        """The hook as a bar under the lane, the CTA as a red triangle above it with a line through the lane."""
        marks = []
        hook = analysis.hook or {}
        hook_end = _seconds(hook.get("end_seconds"))
        if hook_end is not None:
            x0, x1 = self._x(_seconds(hook.get("start_seconds")) or 0.0), self._x(hook_end)
            kind, line = hook.get("hook_type") or "hook", hook.get("text") or ""
            text = html.escape(f"Hook ({kind}), until {hook_end:.2f} s: {line}")
            marks.append(f"<rect class='hook' x='{x0}' y='{y + _LANE + 1}' width='{max(1.0, x1 - x0)}' height='4' "
                         f"fill='{_HOOK_COLOR}'><title>{text}</title></rect>")
        cta = analysis.cta or {}
        cta_at = _seconds(cta.get("start_seconds"))
        if cta.get("present") and cta_at is not None:
            x = self._x(cta_at)
            text = html.escape(f"CTA at {cta_at:.2f} s: {cta.get('text') or ''}")
            marks.append(f"<g class='cta'><title>{text}</title>"
                         f"<line x1='{x}' y1='{y}' x2='{x}' y2='{y + _LANE}' stroke='{_CTA_COLOR}' stroke-width='2'/>"
                         f"<path d='M{x - 6},{y - 9} L{x + 6},{y - 9} L{x},{y - 1} Z' fill='{_CTA_COLOR}'/></g>")
        return "".join(marks)

    def _legend(self, present: list[str], top: int) -> tuple[str, int]:
        """A swatch per segment type drawn (in the table's order), then the hook and CTA marks, wrapped to width."""
        ordered = [s for s in SEGMENT_COLORS if s in present] + self._unknown
        items = [(f"<rect x='0' y='-9' width='14' height='12' fill='{segment_color(s, self._unknown)}'/>",
                  s.replace("_", " ")) for s in ordered]
        items.append((f"<rect x='0' y='-3' width='14' height='4' fill='{_HOOK_COLOR}'/>", "hook span"))
        items.append((f"<path d='M1,-10 L13,-10 L7,-2 Z' fill='{_CTA_COLOR}'/>", "CTA starts"))
        parts, x, line = [], _LABEL_WIDTH, 0
        for swatch, label in items:
            item_width = 24 + 7 * len(label) + 16  # 12 px text averages under 7 px a letter
            if x + item_width > self.width - _RIGHT and x > _LABEL_WIDTH:
                x, line = _LABEL_WIDTH, line + 1
            parts.append(f"<g transform='translate({x},{top + 14 + line * 20})'>{swatch}"
                         f"<text x='20' y='1' fill='#333'>{html.escape(label)}</text></g>")
            x += item_width
        title = f"<text x='{_LABEL_WIDTH - 8}' y='{top + 15}' text-anchor='end' fill='#555'>segment type</text>"
        return f"<g class='legend'>{title}{''.join(parts)}</g>", 14 + (line + 1) * 20

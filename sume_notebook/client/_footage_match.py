"""`ReelSet.match_library`: footage of our own Asset Library that could fill each scene of the reels we admire.

Each reel scene becomes one search: its description and transcript as the query, its segment type as the filter
(topped up without the filter when too few library scenes of that type match). The candidates come back as one
frame, a row per (reel scene, candidate), with the search `score`, `duration_fit` (the shorter length over the
longer: 1.0 when the candidate is as long as the scene) and `preview_url` (the clip, else the scene media, else
the source video). Searches, then thumbnails, go a few at a time (`run_bounded`, as every batch).

`MatchView` shows that frame as rows: the reel scene on the left, its candidates' thumbnails to the right. The
thumbnails are downscaled and inlined, so the view stays in a saved notebook without a URL or a token.
"""

from __future__ import annotations

import base64
import html
import io
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._redaction import redact, redact_url
from ._batch import run_bounded
from ._errors import FieldError, InvalidRequestError, SumeError
from ._reel_measures import scene_seconds, scene_segment_type
from ._timeline import segment_color

if TYPE_CHECKING:
    import pandas as pd

    from ._client import AsyncSume
    from ._models import Asset, ReferenceAnalysis
    from ._reels import ReelSet

__all__ = ["MatchView", "match_library"]

logger = logging.getLogger("sume_notebook.client")
MAX_PER_SCENE = 20
_QUERY_CHARS = 400  # a scene's description and line are short; a runaway one should not make a huge URL
_THUMBNAIL_BYTES = 2 * 1024**2
_THUMBNAIL_EDGE = 120


def _checked(per_scene: Any, reels: ReelSet) -> int:
    errors = []
    if isinstance(per_scene, bool) or not isinstance(per_scene, int) or not 1 <= per_scene <= MAX_PER_SCENE:
        errors.append(FieldError("per_scene", f"must be a whole number from 1 to {MAX_PER_SCENE}"))
    if not any(a.scenes for a in reels):
        errors.append(FieldError("reels", "has no scene to match"))
    if errors:
        raise InvalidRequestError(errors)
    return per_scene


def _query(scene: Mapping[str, Any]) -> str:
    words = " ".join(str(scene.get(k) or "") for k in ("description", "transcript", "on_screen_text")).split()
    return " ".join(words)[:_QUERY_CHARS] or "scene"


def duration_fit(scene_length: float, candidate_length: float | None) -> float | None:
    """How well a candidate's length fits the scene: the shorter over the longer (1.0: the same length)."""
    if not candidate_length or not scene_length:
        return None
    return round(min(scene_length, candidate_length) / max(scene_length, candidate_length), 3)


async def match_library(client: AsyncSume, reels: ReelSet, per_scene: int, max_concurrency: int | None,
                        full_urls: bool, filters: dict[str, Any]) -> pd.DataFrame:
    from ._frames import records_frame, redact_url_columns

    per_scene = _checked(per_scene, reels)
    wanted = [(analysis, scene) for analysis in reels for scene in analysis.scenes or [] if isinstance(scene, Mapping)]
    segment_filter = filters.pop("segment_type", None)
    for key in ("limit", "max_items", "cursor"):
        if key in filters:
            raise InvalidRequestError([FieldError(key, "is set by match_library (use per_scene)")])
    searches = []
    for analysis, scene in wanted:  # every search is built (and so validated) before the first is sent
        segment = segment_filter or scene_segment_type(scene, analysis.raw)
        typed = client.assets.search(_query(scene), segment_type=segment, max_items=per_scene, limit=per_scene,
                                     **filters)
        loose = client.assets.search(_query(scene), max_items=2 * per_scene, limit=2 * per_scene, **filters)
        searches.append((typed, loose))

    async def candidates(typed: Any, loose: Any) -> list[tuple[Asset, bool]]:
        found = [(asset, True) async for asset in typed]
        if len(found) < per_scene:  # too few of its segment type: the best of any type fill the row
            seen = {asset.id for asset, _ in found}
            found += [(a, False) async for a in loose if a.id not in seen][: per_scene - len(found)]
        return found

    results = await run_bounded([lambda t=t, lo=lo: candidates(t, lo) for t, lo in searches], max_concurrency)
    rows = []
    for (analysis, scene), found in zip(wanted, results):
        rows += _rows(reels, analysis, scene, found)
    thumbnails = await _thumbnails(client, [r for r in rows if r["thumbnail_url"]], max_concurrency)
    frame = records_frame(rows) if rows else records_frame([]).reindex(columns=_COLUMNS)
    reels.matches, reels._thumbnails = redact_url_columns(frame.copy()), thumbnails
    return frame if full_urls else redact_url_columns(frame)


_COLUMNS = ["reel", "source_url", "scene", "start_seconds", "end_seconds", "scene_seconds", "segment_type",
            "scene_description", "rank", "asset_id", "asset_segment_type", "same_segment_type", "score",
            "asset_seconds", "duration_fit", "asset_description", "preview_url", "thumbnail_url"]


def _rows(reels: ReelSet, analysis: ReferenceAnalysis, scene: Mapping[str, Any],
          found: list[tuple[Asset, bool]]) -> list[dict[str, Any]]:
    length = scene_seconds(scene)
    base = {"reel": reels.name_of(analysis), "source_url": analysis.source_url, "scene": scene.get("index"),
            "start_seconds": scene.get("start_seconds"), "end_seconds": scene.get("end_seconds"),
            "scene_seconds": length, "segment_type": scene_segment_type(scene, analysis.raw),
            "scene_description": scene.get("description")}
    rows = []
    for rank, (asset, same_type) in enumerate(found, start=1):
        asset_length = asset.duration_seconds
        if asset_length is None and asset.start_seconds is not None and asset.end_seconds is not None:
            asset_length = asset.end_seconds - asset.start_seconds
        rows.append({**base, "rank": rank, "asset_id": asset.id, "asset_segment_type": asset.segment_type,
                     "same_segment_type": same_type, "score": asset.search_score, "asset_seconds": asset_length,
                     "duration_fit": duration_fit(length, asset_length), "asset_description": asset.description,
                     "preview_url": asset.preview_url, "thumbnail_url": asset.thumbnail_url})
    return rows


async def _thumbnails(client: AsyncSume, rows: list[dict[str, Any]], max_concurrency: int | None) -> dict[str, str]:
    """Each candidate's thumbnail, downscaled and inline (a data URI); one that cannot be read is left out."""
    urls = {row["asset_id"]: row["thumbnail_url"] for row in rows}

    async def inline(url: str) -> str | None:
        try:
            return _data_uri(await client.read_media(url, max_bytes=_THUMBNAIL_BYTES))
        except (SumeError, OSError, ValueError) as exc:  # a thumbnail is a nicety: the row keeps its text
            logger.info("thumbnail not shown: %s", redact(exc).split("\n", 1)[0])
            return None

    found = await run_bounded([lambda u=u: inline(u) for u in urls.values()], max_concurrency)
    return {asset_id: uri for asset_id, uri in zip(urls, found) if uri}


def _data_uri(data: bytes) -> str:
    """A small JPEG of the image, inline: a saved notebook carries a few kilobytes per thumbnail, no URL."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", (_THUMBNAIL_EDGE, _THUMBNAIL_EDGE))
        image.thumbnail((_THUMBNAIL_EDGE, _THUMBNAIL_EDGE))
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=80, optimize=True)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


class MatchView:
    """The last library match as rows of HTML: a reel scene, then its candidates with thumbnail, score and fit."""

    def __init__(self, matches: pd.DataFrame, thumbnails: dict[str, str]) -> None:
        self.matches = matches
        self.thumbnails = thumbnails

    def __repr__(self) -> str:
        scenes = self.matches.groupby(["reel", "scene"], observed=True).ngroups if len(self.matches) else 0
        return f"MatchView({scenes} reel scenes, {len(self.matches)} candidates)"

    def _repr_html_(self) -> str:
        rows = []
        for (reel, scene), group in self.matches.groupby(["reel", "scene"], observed=True, sort=False):
            first = group.iloc[0]
            segment = str(first["segment_type"])
            left = (f"<td style='vertical-align:top;text-align:left;padding:6px 10px;border-left:6px solid "
                    f"{segment_color(segment)};min-width:220px;max-width:300px'>"
                    f"<div style='font-weight:600'>{html.escape(str(reel))} · scene {scene}</div>"
                    f"<div style='color:#555'>{segment.replace('_', ' ')} · {first['start_seconds']:.2f}–"
                    f"{first['end_seconds']:.2f} s ({first['scene_seconds']:.1f} s)</div>"
                    f"<div style='font-size:12px;margin-top:4px'>{html.escape(str(first['scene_description'] or ''))}"
                    f"</div></td>")
            cells = [self._candidate(c) for _, c in group.iterrows()]
            rows.append(f"<tr style='border-top:1px solid #ddd'>{left}<td style='padding:6px;text-align:left'>"
                        f"<div style='display:flex;gap:10px;flex-wrap:wrap'>{''.join(cells)}</div></td></tr>")
        return ("<div class='sume-match-view' style='font-family:system-ui,sans-serif;font-size:13px'>"
                "<table style='border-collapse:collapse'><thead><tr><th style='text-align:left;padding:4px 10px'>"
                "Reel scene</th><th style='text-align:left;padding:4px 6px'>Library candidates (score · length fit)"
                "</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")

    def _candidate(self, row: Any) -> str:
        thumbnail = self.thumbnails.get(str(row["asset_id"]))
        box = "width:120px;height:96px;border-radius:4px;display:block;background:#2b2b2b"
        picture = (f"<img src='{thumbnail}' alt='' style='{box};object-fit:contain'>" if thumbnail
                   else f"<div style='{box};background:#eee'></div>")
        score = f"{row['score']:.2f}" if row["score"] == row["score"] and row["score"] is not None else "–"
        fit = f"{row['duration_fit']:.0%}" if row["duration_fit"] == row["duration_fit"] else "–"
        segment = str(row["asset_segment_type"] or "")
        mark = "" if row["same_segment_type"] else " (other type)"
        preview = redact_url(row["preview_url"] or "")
        title = html.escape(f"{row['asset_id']}: {row['asset_description'] or ''}\n{preview}")
        return (f"<div title='{title}' style='width:120px;text-align:left'>{picture}"
                f"<div style='font-size:11px;color:#333;margin-top:2px'>{html.escape(segment.replace('_', ' '))}"
                f"{mark}</div><div style='font-size:11px;color:#555'>{score} · {fit} · "
                f"{row['asset_seconds']:.1f} s</div></div>")

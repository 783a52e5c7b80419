"""What a comparison of reels looks at, derived from one Reference Analysis: a reel's name, each scene's segment
type, and the `reels` row of measures (duration, scene count, median scene, hook, first CTA, speech rate, time
per segment type).

Plain functions over the analysis's raw record, so every measure can be checked by hand against its JSON.
"""

from __future__ import annotations

import hashlib
import re
import statistics
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

__all__ = ["OTHER_SEGMENT", "reel_measures", "reel_name", "scene_segment_type", "scene_seconds"]

OTHER_SEGMENT = "other"  # a scene the analysis gives no segment type and that is neither hook nor CTA
_TIKTOK_VIDEO = re.compile(r"/video/(\d+)")
_INSTAGRAM_REEL = re.compile(r"^/reels?/([A-Za-z0-9_-]+)")
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def reel_name(source_url: str, platform: str | None = None) -> str:
    """`tiktok-7351234567890123456`, `instagram-C4xYzAbCdEf`: the platform and the reel's id, safe as a file name
    (a URL whose id cannot be read gets a short hash of its host and path instead)."""
    parts = urlsplit(source_url)
    host = (parts.hostname or "").lower()
    platform = platform or ("instagram" if "instagram" in host else "tiktok" if "tiktok" in host else "reel")
    found = _TIKTOK_VIDEO.search(parts.path) or _INSTAGRAM_REEL.search(parts.path)
    if found:
        reel_id = found.group(1)
    elif host.endswith("tiktok.com") and parts.path.strip("/"):  # a short link: vm.tiktok.com/CODE
        reel_id = parts.path.strip("/").split("/")[0]
    else:
        reel_id = hashlib.sha256(f"{host}{parts.path}".encode()).hexdigest()[:10]
    return f"{platform}-{_UNSAFE.sub('_', reel_id)}"


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def scene_seconds(scene: Mapping[str, Any]) -> float:
    start, end = _number(scene.get("start_seconds")), _number(scene.get("end_seconds"))
    return max(0.0, end - start) if start is not None and end is not None else 0.0


def scene_segment_type(scene: Mapping[str, Any], analysis: Mapping[str, Any]) -> str:
    """The scene's `segment_type` as the service gives it; for a service that gives none, `hook` for a scene that
    starts within the hook, `cta` for the one where the call to action starts, else `other`."""
    given = scene.get("segment_type")
    if isinstance(given, str) and given:
        return given
    start, end = _number(scene.get("start_seconds")), _number(scene.get("end_seconds"))
    if start is None or end is None:
        return OTHER_SEGMENT
    hook_end = _number((analysis.get("hook") or {}).get("end_seconds"))
    if hook_end is not None and start < hook_end:
        return "hook"
    cta = analysis.get("cta") or {}
    cta_start = _number(cta.get("start_seconds"))
    if cta.get("present") and cta_start is not None and start <= cta_start < end:
        return "cta"
    return OTHER_SEGMENT


def _first_cta(analysis: Mapping[str, Any], scenes: list[Mapping[str, Any]]) -> float | None:
    """When the first call to action starts: the analysis's `cta`, else the first scene typed `cta`."""
    cta = analysis.get("cta") or {}
    if cta.get("present") and _number(cta.get("start_seconds")) is not None:
        return _number(cta.get("start_seconds"))
    starts = [_number(s.get("start_seconds")) for s in scenes if scene_segment_type(s, analysis) == "cta"]
    return min((s for s in starts if s is not None), default=None)


def _words_per_minute(transcript: list[Mapping[str, Any]]) -> float | None:
    """Words spoken per minute of speech (the transcript's segments, not the silent scenes between them)."""
    words = sum(len(str(segment.get("text") or "").split()) for segment in transcript)
    seconds = sum(scene_seconds(segment) for segment in transcript if str(segment.get("text") or "").strip())
    return words * 60 / seconds if words and seconds else None


def reel_measures(analysis: Mapping[str, Any]) -> dict[str, Any]:
    """One reel's row of the `reels` frame. `share_<type>` is the fraction of the reel's duration spent in scenes
    of that segment type; `hook_seconds` the hook's length; `first_cta_seconds` None when the reel asks nothing."""
    scenes = [s for s in analysis.get("scenes") or [] if isinstance(s, Mapping)]
    transcript = [t for t in analysis.get("transcript") or [] if isinstance(t, Mapping)]
    source_url = str(analysis.get("source_url") or "")
    timed = [s for s in scenes if None not in (_number(s.get("start_seconds")), _number(s.get("end_seconds")))]
    durations = [scene_seconds(s) for s in timed]
    duration = _number(analysis.get("duration_seconds")) or (sum(durations) or None)
    hook = analysis.get("hook") or {}
    hook_start, hook_end = _number(hook.get("start_seconds")), _number(hook.get("end_seconds"))
    shares: dict[str, float] = {}
    for scene, seconds in zip(timed, durations):
        kind = f"share_{scene_segment_type(scene, analysis)}"
        shares[kind] = shares.get(kind, 0.0) + seconds
    return {
        "source_url": source_url,
        "reel": reel_name(source_url, analysis.get("platform")),
        "platform": analysis.get("platform"),
        "duration_seconds": duration,
        "scene_count": len(scenes),
        "median_scene_seconds": statistics.median(durations) if durations else None,
        "hook_type": hook.get("hook_type"),
        "hook_seconds": hook_end - (hook_start or 0.0) if hook_end is not None else None,
        "first_cta_seconds": _first_cta(analysis, scenes),
        "words_per_minute": _words_per_minute(transcript),
        **({kind: seconds / duration for kind, seconds in sorted(shares.items())} if duration else {}),
    }

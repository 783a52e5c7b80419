"""`ReelSet.export`: the reels in the files editors and analysts open, written by the libraries made for them.

- `csv`, `parquet`: the frames of `ReelSet.frames()` (pandas; Parquet through pyarrow).
- `vtt`: the transcript as WebVTT subtitles (webvtt-py).
- `otio`: the scenes as an OpenTimelineIO timeline, one clip per scene referencing the reel, with the hook and the
  CTA as markers and each scene's segment type, description and transcript in the clip's metadata.
- `edl`: the scenes as a CMX 3600 EDL (OpenTimelineIO's `cmx_3600` adapter).

One file per reel, named from its platform and id (`tiktok-7351234567890123456.otio`), plus one combined, named
`reels`: the frames stacked; an OTIO timeline with one track per reel, all starting at zero as in the timeline
view; an EDL and a WebVTT with the reels back to back (an EDL has a single track). Cuts are snapped to frames at
`fps`, so every file agrees to the frame.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import FieldError, InvalidRequestError
from ._reel_measures import scene_segment_type

if TYPE_CHECKING:
    import opentimelineio as otio
    import pandas as pd

    from ._models import ReferenceAnalysis
    from ._reels import ReelSet

__all__ = ["EXPORT_FORMATS", "export_reels", "frame_of"]

EXPORT_FORMATS = ("csv", "parquet", "vtt", "otio", "edl")
COMBINED = "reels"
_INSTALL = "pip install 'sume-notebook[editors]'"


def frame_of(seconds: float, fps: float) -> int:
    """The frame a time falls on, to the nearest frame: the one rounding every export shares."""
    return round(seconds * fps)


def _checked(formats: Sequence[str], fps: float) -> list[str]:
    chosen = [formats] if isinstance(formats, str) else list(formats)
    errors = [FieldError("formats", f"{f!r} is not one of {', '.join(EXPORT_FORMATS)}") for f in chosen
              if f not in EXPORT_FORMATS]
    if not chosen:
        errors.append(FieldError("formats", f"must name at least one of {', '.join(EXPORT_FORMATS)}"))
    if isinstance(fps, bool) or not isinstance(fps, (int, float)) or not 1 <= fps <= 240:
        errors.append(FieldError("fps", "must be a number of frames per second from 1 to 240"))
    if errors:
        raise InvalidRequestError(errors)
    return list(dict.fromkeys(chosen))


def _module(name: str, package: str) -> Any:
    """An export library, with the extra that installs it named when it is missing."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        raise ImportError(f"Exporting needs {package}: {_INSTALL}") from None


def export_reels(reels: ReelSet, directory: Path, formats: Sequence[str], fps: float) -> list[Path]:
    chosen = _checked(formats, fps)
    if not len(reels):
        raise InvalidRequestError([FieldError("reels", "has no analysis to export")])
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if "csv" in chosen or "parquet" in chosen:
        written += _tables(reels, directory, [f for f in chosen if f in ("csv", "parquet")])
    if "vtt" in chosen:
        written += _subtitles(reels, directory)
    if "otio" in chosen or "edl" in chosen:
        written += _timelines(reels, directory, fps, otio_file="otio" in chosen, edl_file="edl" in chosen)
    return written


# --- frames --------------------------------------------------------------------------------------------------


def _tables(reels: ReelSet, directory: Path, formats: list[str]) -> list[Path]:
    if "parquet" in formats:
        _module("pyarrow", "pyarrow")
    written = []
    for name, frame in reels.frames().items():
        per_reel = [] if name == "reels" else list(frame.groupby("reel", observed=True, sort=False))
        for stem, part in [*per_reel, (COMBINED, frame)]:
            for fmt in formats:
                path = directory / (f"{COMBINED}.{fmt}" if name == "reels" else f"{stem}.{name}.{fmt}")
                _write_table(part.reset_index(drop=True), path, fmt)
                written.append(path)
    return written


def _write_table(frame: pd.DataFrame, path: Path, fmt: str) -> None:
    if fmt == "csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, engine="pyarrow", index=False)


# --- subtitles -----------------------------------------------------------------------------------------------


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _subtitles(reels: ReelSet, directory: Path) -> list[Path]:
    webvtt = _module("webvtt", "webvtt-py")
    combined, offset, written = webvtt.WebVTT(), 0.0, []
    for analysis in reels:
        own = webvtt.WebVTT()
        for segment in analysis.transcript or []:
            text = str(segment.get("text") or "").strip()
            start, end = segment.get("start_seconds"), segment.get("end_seconds")
            if not text or not isinstance(start, (int, float)) or not isinstance(end, (int, float)):
                continue
            own.captions.append(webvtt.Caption(_timestamp(start), _timestamp(end), text))
            combined.captions.append(webvtt.Caption(_timestamp(offset + start), _timestamp(offset + end),
                                                    f"[{reels.name_of(analysis)}] {text}"))
        path = directory / f"{reels.name_of(analysis)}.vtt"
        own.save(str(path))
        written.append(path)
        offset += _reel_seconds(analysis)
    path = directory / f"{COMBINED}.vtt"
    combined.save(str(path))
    return [*written, path]


# --- editing timelines ---------------------------------------------------------------------------------------


def _frames(ot: Any, start: int, length: int, fps: float) -> Any:
    """A time range of whole frames."""
    return ot.opentime.TimeRange(ot.opentime.RationalTime(start, fps), ot.opentime.RationalTime(length, fps))


def _reel_seconds(analysis: ReferenceAnalysis) -> float:
    ends = [s.get("end_seconds") for s in analysis.scenes or [] if isinstance(s.get("end_seconds"), (int, float))]
    return max([analysis.duration_seconds or 0.0, *ends])


def _track(otio_module: Any, analysis: ReferenceAnalysis, name: str, fps: float) -> otio.schema.Track:
    """One reel as a video track: a clip per scene, cut at its frames, referencing the reel it comes from."""
    ot = otio_module
    track = ot.schema.Track(name=name, kind=ot.schema.TrackKind.Video)
    duration = frame_of(_reel_seconds(analysis), fps)
    reference = ot.schema.ExternalReference(
        target_url=analysis.source_url or "",
        available_range=_frames(ot, 0, duration, fps),
    )
    # An EDL names a source by a reel of 8 letters or digits at most: the end of the reel's id
    tape = re.sub(r"[^A-Za-z0-9]", "", name.split("-", 1)[-1])[-8:] or "AX"
    at = 0
    for scene in analysis.scenes or []:
        if not all(isinstance(scene.get(k), (int, float)) for k in ("start_seconds", "end_seconds")):
            continue  # a scene without its times has no place on a timeline
        start, end = frame_of(scene["start_seconds"], fps), frame_of(scene["end_seconds"], fps)
        if end <= start:
            continue
        if start > at:  # a stretch the analysis left out stays a gap, so later scenes keep their times
            track.append(ot.schema.Gap(source_range=_frames(ot, 0, start - at, fps)))
        segment = scene_segment_type(scene, analysis.raw)
        track.append(ot.schema.Clip(
            name=f"{name} scene {scene.get('index', '')} {segment}".strip(),
            media_reference=reference.clone(),
            source_range=_frames(ot, start, end - start, fps),
            metadata={"cmx_3600": {"reel": tape},
                      "sume": {"source_url": analysis.source_url, "scene": scene.get("index"), "segment_type": segment,
                               "description": scene.get("description"), "transcript": scene.get("transcript") or "",
                               "shot_type": scene.get("shot_type")}},
        ))
        at = end
    track.markers.extend(_markers(ot, analysis, fps))
    return track


def _markers(ot: Any, analysis: ReferenceAnalysis, fps: float) -> list[Any]:
    """The hook (its span) and the CTA (its start) as markers an editor sees on the track."""
    markers = []
    hook = analysis.hook or {}
    if isinstance(hook.get("end_seconds"), (int, float)):
        start = frame_of(hook.get("start_seconds") or 0.0, fps)
        markers.append(ot.schema.Marker(
            name=f"hook: {hook.get('hook_type') or ''}".strip(), color=ot.schema.MarkerColor.BLUE,
            marked_range=_frames(ot, start, frame_of(hook["end_seconds"], fps) - start, fps),
            metadata={"sume": {"text": hook.get("text")}}))
    cta = analysis.cta or {}
    if cta.get("present") and isinstance(cta.get("start_seconds"), (int, float)):
        markers.append(ot.schema.Marker(
            name="CTA", color=ot.schema.MarkerColor.RED,
            marked_range=_frames(ot, frame_of(cta["start_seconds"], fps), 0, fps),
            metadata={"sume": {"text": cta.get("text")}}))
    return markers


def _timelines(reels: ReelSet, directory: Path, fps: float, *, otio_file: bool, edl_file: bool) -> list[Path]:
    ot = _module("opentimelineio", "opentimelineio")
    if edl_file and "cmx_3600" not in ot.adapters.available_adapter_names():
        raise ImportError(f"Exporting an EDL needs otio-cmx3600-adapter: {_INSTALL}")
    written: list[Path] = []
    lanes = ot.schema.Timeline(name="Reels")
    back_to_back = ot.schema.Track(name="Reels", kind=ot.schema.TrackKind.Video)
    for analysis in reels:
        name = reels.name_of(analysis)
        track = _track(ot, analysis, name, fps)
        timeline = ot.schema.Timeline(name=name)
        timeline.tracks.append(track)
        written += _write_timeline(ot, timeline, directory / name, otio_file, edl_file)
        lanes.tracks.append(track.clone())
        for item in track:
            back_to_back.append(item.clone())
        tail = frame_of(_reel_seconds(analysis), fps) - sum(item.duration().value for item in track)
        if tail > 0:
            back_to_back.append(ot.schema.Gap(source_range=_frames(ot, 0, tail, fps)))
    if otio_file:
        path = directory / f"{COMBINED}.otio"
        ot.adapters.write_to_file(lanes, str(path))
        written.append(path)
    if edl_file:
        sequence = ot.schema.Timeline(name="Reels back to back")
        sequence.tracks.append(back_to_back)
        written += _write_timeline(ot, sequence, directory / COMBINED, False, True)
    return written


def _write_timeline(ot: Any, timeline: Any, stem: Path, otio_file: bool, edl_file: bool) -> list[Path]:
    written = []
    if otio_file:
        written.append(stem.with_name(stem.name + ".otio"))
        ot.adapters.write_to_file(timeline, str(written[-1]))
    if edl_file:
        written.append(stem.with_name(stem.name + ".edl"))
        ot.adapters.write_to_file(timeline, str(written[-1]), adapter_name="cmx_3600")
    return written

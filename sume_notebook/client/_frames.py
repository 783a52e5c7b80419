"""API records as typed pandas DataFrames, whatever fields the service sends.

No fixed schema: every field becomes a column (one level of nested objects is flattened to `parent_child`),
missing values are NaN, and types follow the values and a few naming conventions of the API: `*_at` times become
timezone-aware datetimes, `*_seconds`/durations/scores floats, ids strings, known enum-like fields categoricals,
booleans bool, lists stay lists. pandas is imported here only, when a frame is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._redaction import redact_url

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["assets_frame", "records_frame", "redact_url_columns"]

_CATEGORIES = {"source_type", "segment_type", "status", "type", "search_mode", "platform", "visibility", "kind",
               "shot_type", "hook_type", "emotion", "speaker", "plan", "object"}
_FLOATS = ("_seconds", "_score", "score", "duration", "progress", "bpm", "cuts_per_minute")
_FLATTEN_LIMIT = 12  # nested objects with more keys stay as one dict column


def _flatten(record: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, Mapping) and len(value) <= _FLATTEN_LIMIT:
            for sub, inner in value.items():
                flat[f"{key}_{sub}"] = inner
        else:
            flat[key] = value
    return flat


def _is_id(name: str) -> bool:
    return name == "id" or name.endswith("_id")


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    for name in frame.columns:
        column = frame[name]
        values = column.dropna()
        if values.empty:
            continue
        if any(isinstance(v, (list, tuple, dict)) for v in values):
            continue  # lists stay lists
        if name.endswith("_at") or name in {"created_after", "created_before", "expires_at"}:
            frame[name] = pd.to_datetime(column, utc=True, errors="coerce", format="ISO8601")
        elif _is_id(name):
            frame[name] = column.astype("string")
        elif all(isinstance(v, bool) for v in values):
            frame[name] = column.astype(bool if len(values) == len(column) else "boolean")
        elif name.endswith(_FLOATS) or name in _FLOATS:
            frame[name] = pd.to_numeric(column, errors="coerce").astype(float)
        elif name in _CATEGORIES or name.endswith(tuple(f"_{c}" for c in ("source_type", "segment_type", "status"))):
            frame[name] = column.astype("category")
    return frame


def records_frame(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Any list of API records as a typed DataFrame."""
    import pandas as pd

    return _typed(pd.DataFrame.from_records([_flatten(r) for r in records]))


def assets_frame(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Scenes with a `preview_url` column: the clip, else the scene media, else the source video."""
    rows = list(records)
    frame = records_frame(rows)
    frame["preview_url"] = [r.get("clip_url") or r.get("media_url") or r.get("source_media_url") for r in rows]
    return frame


def redact_url_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Cut the query (tokens) off every URL cell, so a displayed or saved frame leaks nothing."""

    def cut(value: Any) -> Any:
        if isinstance(value, str):
            return redact_url(value)
        if isinstance(value, list):
            return [redact_url(v) if isinstance(v, str) else v for v in value]
        return value

    for name in frame.columns:
        if str(name).endswith(("url", "urls")):
            frame[name] = frame[name].map(cut)
    return frame

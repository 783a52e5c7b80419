"""API records as typed pandas DataFrames, whatever fields the service sends.

No fixed schema: every field becomes a column (one level of nested objects is flattened to `parent_child`),
missing values are NaN, and types follow the values and a few naming conventions of the API: `*_at` times become
timezone-aware datetimes, `*_seconds`/durations/scores floats, ids strings, known enum-like fields categoricals,
booleans bool, lists stay lists. pandas is imported here only, when a frame is asked for.

Records go into `Columns` page by page: one list per field, no per-row objects, so a page's dicts can be dropped
as soon as it is read; the typing at the end is one vectorised conversion per column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import chain, repeat
from typing import TYPE_CHECKING, Any

from .._redaction import (
    PLAIN_URL_HEAD,
    PLAIN_URL_QUERY,
    mask_present,
    redact_urls,
    registered_in,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Columns", "assets_frame", "records_frame", "redact_url_columns"]

_CATEGORIES = {"source_type", "segment_type", "status", "type", "search_mode", "platform", "visibility", "kind",
               "shot_type", "hook_type", "emotion", "speaker", "plan", "object"}
_CATEGORY_SUFFIXES = tuple(f"_{c}" for c in ("source_type", "segment_type", "status"))
_FLOATS = ("_seconds", "_score", "score", "duration", "progress", "bpm", "cuts_per_minute")
_TIMES = {"created_after", "created_before", "expires_at"}
_FLATTEN_LIMIT = 12  # nested objects with more keys stay as one dict column
_NOTHING = type(None)
_CONTAINERS = (list, tuple, dict)


class Columns:
    """Records gathered as one list of values per column, page after page, in the order fields first appear.

    Each column also remembers the Python types it has seen, so typing needs no second pass over the values.
    """

    def __init__(self) -> None:
        self.rows = 0
        self.values: dict[str, list[Any]] = {}
        self.types: dict[str, set[type]] = {}

    def add(self, records: Sequence[dict[str, Any]]) -> None:
        """Append one page of records, dicts as JSON gives them (a field a record lacks is None in its column)."""
        if not records:
            return
        start, count = self.rows, len(records)
        filled: set[str] = set()
        for key in dict.fromkeys(chain.from_iterable(records)):
            values = list(map(dict.get, records, repeat(key, count)))
            types = set(map(type, values))
            if dict not in types:  # JSON objects are plain dicts
                self._put(key, values, types, start, filled)
                continue
            small = [type(v) is dict and len(v) <= _FLATTEN_LIMIT for v in values]
            nested = values if all(small) else [v if flat else {} for v, flat in zip(values, small)]
            for sub in dict.fromkeys(chain.from_iterable(nested)):
                inner = list(map(dict.get, nested, repeat(sub, count)))
                self._put(f"{key}_{sub}", inner, set(map(type, inner)), start, filled)
            if not all(small):  # some record holds a value that stays whole
                kept = [None if flat else v for v, flat in zip(values, small)]
                self._put(key, kept, set(map(type, kept)), start, filled)
        self.rows += count
        self._pad()

    def _column(self, name: str) -> list[Any]:
        """The column `name`, made empty-valued for the rows already there if it is new."""
        column = self.values.get(name)
        if column is None:
            column = self.values[name] = [None] * self.rows
            self.types[name] = {_NOTHING} if self.rows else set()
        return column

    def _pad(self) -> None:
        """Fill the columns the last records lacked with None up to `rows`."""
        for name, column in self.values.items():
            if len(column) < self.rows:
                column.extend([None] * (self.rows - len(column)))
                self.types[name].add(_NOTHING)

    def _put(self, name: str, values: list[Any], types: set[type], start: int, filled: set[str]) -> None:
        column = self._column(name)
        if name in filled:  # a flattened `parent_child` meeting a field of the same name: the later value wins
            for offset, value in enumerate(values):
                if value is not None:
                    column[start + offset] = value
        else:
            column.extend(values)
            filled.add(name)
        self.types[name] |= types

    @classmethod
    def joined(cls, parts: Sequence[Columns], unique: str) -> Columns:
        """The parts' records end to end, a record whose `unique` value an earlier one had left out."""
        joined = cls()
        seen: set[Any] = set()
        for part in parts:
            keys = part.values.get(unique, [None] * part.rows)
            kept = [row for row, key in enumerate(keys) if key is None or key not in seen]
            seen.update(keys)
            for name, values in part.values.items():
                joined._column(name).extend(values if len(kept) == part.rows else [values[row] for row in kept])
                joined.types[name] |= part.types[name]
            joined.rows += len(kept)
            joined._pad()
        return joined

    def frame(self) -> pd.DataFrame:
        """The typed DataFrame of everything added: each column made in its type straight from its values (a text
        column read as text first and converted again would cost twice)."""
        import pandas as pd

        typed = {name: _typed(name, values, self.types[name]) for name, values in self.values.items()}
        return pd.DataFrame(typed, index=pd.RangeIndex(self.rows), columns=list(self.values))


def _plain(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record as JSON gives it: plain dicts, also one level down (a record built from other mappings)."""
    return {key: dict(value) if isinstance(value, Mapping) and type(value) is not dict else value
            for key, value in record.items()}


def _columns(records: Iterable[Mapping[str, Any]] | Columns) -> Columns:
    if isinstance(records, Columns):
        return records
    columns = Columns()
    columns.add([_plain(record) for record in records])
    return columns


def _is_id(name: str) -> bool:
    return name == "id" or name.endswith("_id")


def _typed(name: str, values: list[Any], types: set[type]) -> Any:
    """A column's values in the type its name and values call for; the list itself when pandas' own inference
    is right (text, lists, mixed values, nothing but missing values). Text and numbers, the columns of an API
    answer, are converted straight from the list; anything else as pandas reads it first, which decides what a
    conversion of mixed values makes of them."""
    import numpy as np
    import pandas as pd

    seen = types - {_NOTHING}
    if not seen or (float in seen and all(v != v for v in values if v is not None)):  # only None and NaN
        return values
    if any(issubclass(t, _CONTAINERS) for t in seen):
        return values  # lists stay lists
    text = seen == {str}
    if name.endswith("_at") or name in _TIMES:
        return pd.to_datetime(values if text else pd.Series(values), utc=True, errors="coerce", format="ISO8601")
    if _is_id(name):
        return pd.array(values, dtype="string") if text else pd.Series(values).astype("string").array
    if seen == {bool}:
        return np.array(values, dtype=bool) if _NOTHING not in types else pd.array(values, dtype="boolean")
    if name.endswith(_FLOATS) or name in _FLOATS:
        if seen <= {int, float}:  # not bool: True is an int to issubclass, not to this set
            return np.array(values, dtype=float)  # None becomes NaN
        return pd.to_numeric(pd.Series(values), errors="coerce").astype(float).array
    if name in _CATEGORIES or name.endswith(_CATEGORY_SUFFIXES):
        return pd.Categorical(values) if text else pd.Series(values).astype("category").array
    return values


def records_frame(records: Iterable[Mapping[str, Any]] | Columns) -> pd.DataFrame:
    """Any list of API records (or `Columns` gathered from pages) as a typed DataFrame."""
    return _columns(records).frame()


def assets_frame(records: Iterable[Mapping[str, Any]] | Columns) -> pd.DataFrame:
    """Scenes with a `preview_url` column: the clip, else the scene media, else the source video."""
    frame = _columns(records).frame()
    preview = None
    for name in ("clip_url", "media_url", "source_media_url"):
        if name in frame.columns:
            preview = frame[name] if preview is None else preview.where(preview.notna() & (preview != ""), frame[name])
    frame["preview_url"] = preview if preview is not None else None
    return frame


def _cut_at_query(column: pd.Series) -> tuple[pd.Series, str]:
    """Each string up to its first `?`, then `?…` if it had one (right for the plain URLs only; the caller picks),
    and the text of all the cut strings at once, to look registered secrets up in."""
    import pandas as pd

    if column.dtype.storage != "pyarrow":  # type: ignore[attr-defined]  # a StringDtype
        cut = column.str.replace(r"\?.*", "?…", n=1, regex=True)
        return cut, "\n".join(cut.dropna())
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pa.array(column.array)
    head = pc.list_element(pc.split_pattern(values, "?", max_splits=1), 0)
    with_query = pc.not_equal(pc.binary_length(head), pc.binary_length(values))
    marked = pc.binary_join_element_wise(head, pa.scalar("?…", head.type), pa.scalar("", head.type))
    cut = pc.if_else(with_query, marked, head)
    text = b"".join(bytes(chunk.buffers()[2] or b"") for chunk in getattr(cut, "chunks", [cut]))
    return pd.Series(cut, index=column.index, dtype=column.dtype), text.decode("utf-8", "replace")


def redact_url_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Cut the query (tokens) off every URL cell, so a displayed or saved frame leaks nothing."""
    import pandas as pd

    for name in frame.columns:
        if not str(name).endswith(("url", "urls")):
            continue
        column = frame[name]
        if not isinstance(column.dtype, pd.StringDtype):
            frame[name] = redact_urls(column.array)  # lists of URLs, or a column of mixed values
            continue
        # A column of strings: the plain URLs are cut in one vectorised pass, the few others one by one.
        plain = column.str.fullmatch(f"(?:{PLAIN_URL_HEAD})(?:{PLAIN_URL_QUERY})?").fillna(False).astype(bool)
        cut, text = _cut_at_query(column)
        # A registered id or object key inside a path is masked, as redact_url does: looked up in the whole
        # column's text once, and only a column that holds one has its cells masked one by one.
        if (present := registered_in(text)) and plain.any():
            cut[plain] = [mask_present(value, present) for value in cut[plain]]
        other = column.notna() & ~plain
        if other.any():
            cut[other] = redact_urls(column[other].tolist())
        frame[name] = cut
    return frame

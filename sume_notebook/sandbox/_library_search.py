"""The search behind ``GET /assets``: query parameters, filters, text relevance, order and keyset cursors.

A search is one SQL query over the tables ``_library_index`` keeps: FTS5 finds and ranks the text matches
(bm25), indexed columns filter and order, and a keyset cursor starts the next page where the last one
ended, so a page costs about the same in a library of two thousand scenes or two hundred thousand. Which
scenes exist, and the segment and source types they may have, is the catalogue's business
(``_library_catalogue``); this module only finds them.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ._json_input import parse_json
from ._library_catalogue import SEGMENT_TYPES, SOURCE_TYPES, as_utc, parse_iso
from ._library_index import LABEL_FIELDS, search_terms
from ._store import Store, loads

SEARCH_MODES = ("auto", "text")
SORTS = ("relevance", "created_at_desc", "created_at_asc", "duration_desc")
MAX_LIMIT = 100
# A query term is a run of letters or digits; a q without one finds nothing and is refused.
_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"[0-9]{1,9}")  # int() also reads " 5", "1_0" and "٣"


# --- query parameters -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchParams:
    """One ``GET /assets`` query, validated; ``None`` means the filter is off."""

    q: str | None = None
    search_mode: str | None = None
    source_type: str | None = None
    segment_type: str | None = None
    brand: str | None = None
    product: str | None = None
    tag: str | None = None
    keyword: str | None = None
    cta_present: bool | None = None
    min_duration: float | None = None
    max_duration: float | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    sort: str | None = None
    limit: int = 20
    cursor: str | None = None

    @property
    def effective_sort(self) -> str:
        """Relevance when there is a query, newest first otherwise."""
        return self.sort or ("relevance" if self.q else "created_at_desc")


def parse_search_params(params: Mapping[str, str]) -> tuple[SearchParams, list[dict[str, str]]]:
    """Read the query string and report every bad parameter at once, each with what it accepts."""
    errors: list[dict[str, str]] = []

    def fail(field: str, message: str) -> None:
        errors.append({"field": field, "message": message})

    def text(field: str) -> str | None:
        value = params.get(field)
        return (value.strip() or None) if value is not None else None

    def typed(field: str) -> str | None:
        """A parameter with a type or an enum: blank is not "absent" but a value it does not accept."""
        value = params.get(field)
        if value is not None and not value.strip():
            fail(field, f"{field} must not be empty; omit it instead")
        return text(field)

    def choice(field: str, allowed: Sequence[str]) -> str | None:
        value = typed(field)
        if value is None or value.lower() in allowed:
            return value and value.lower()
        fail(field, f"{field} must be one of: {', '.join(allowed)}")
        return None

    def seconds(field: str) -> float | None:
        value = typed(field)
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if math.isfinite(number) and number >= 0:
            return number
        fail(field, f"{field} must be a number of seconds >= 0")
        return None

    def moment(field: str) -> datetime | None:
        value = typed(field)
        if value is None:
            return None
        try:
            return parse_iso(value)
        except ValueError:
            fail(field, f"{field} must be an ISO 8601 date or date-time, e.g. 2025-01-31T12:00:00Z")
            return None

    q = text("q")
    if q is not None and not _WORD.search(q):
        fail("q", "q must contain at least one letter or digit")
        q = None
    elif q is not None and len(q) > 500:
        fail("q", "q must be at most 500 characters")
        q = None

    cta_present = choice("cta_present", ("true", "false"))
    min_duration, max_duration = seconds("min_duration"), seconds("max_duration")
    if min_duration is not None and max_duration is not None and min_duration > max_duration:
        fail("max_duration", "max_duration must be greater than or equal to min_duration")
    created_after, created_before = moment("created_after"), moment("created_before")
    if created_after and created_before and created_after >= created_before:
        fail("created_before", "created_before must be later than created_after")

    sort = choice("sort", SORTS)
    if sort == "relevance" and text("q") is None:
        sort = None  # the seeds list relevance as a plain sort: without q there is nothing to rank, so the default order

    raw_limit = params.get("limit", "20")
    limit = int(raw_limit) if _DIGITS.fullmatch(raw_limit) else 0
    if not 1 <= limit <= MAX_LIMIT:
        fail("limit", f"limit must be an integer from 1 to {MAX_LIMIT}")
        limit = 20

    search_mode = choice("search_mode", SEARCH_MODES)
    parsed = SearchParams(
        q=q,
        search_mode=search_mode or ("text" if q else None),
        source_type=choice("source_type", SOURCE_TYPES),
        segment_type=choice("segment_type", SEGMENT_TYPES),
        brand=text("brand"),
        product=text("product"),
        tag=text("tag"),
        keyword=text("keyword"),
        cta_present=None if cta_present is None else cta_present == "true",
        min_duration=min_duration,
        max_duration=max_duration,
        created_after=created_after,
        created_before=created_before,
        sort=sort,
        limit=limit,
        cursor=text("cursor"),
    )
    return parsed, errors


# --- search ---------------------------------------------------------------------------------------

# bm25 weights of the text fields, in the order of TEXT_FIELDS: a word in the title says most about a scene.
_FIELD_WEIGHTS = (10.0, 5.0, 5.0, 3.0, 1.0)
# bm25 is unbounded; s / (s + _HALF_SCORE) maps it into (0, 1), reaching 0.5 at bm25 = _HALF_SCORE.
_HALF_SCORE = 5.0
# Every score is rounded to 4 places, and a match always scores above 0 (bm25 all but ignores a word that
# most scenes hold).
_SCORE = f"max(round(-bm25(scene_text, {', '.join(map(str, _FIELD_WEIGHTS))}) / " \
         f"(-bm25(scene_text, {', '.join(map(str, _FIELD_WEIGHTS))}) + {_HALF_SCORE}), 4), 0.0001)"


@dataclass(frozen=True)
class _Sort:
    """One order: the column it reads, descending or not. Ties are broken by id, ascending."""

    column: str
    descending: bool

    def value(self, row_value: float) -> float:
        """The cursor's value: every order ascends on (value, id), as the cursors have always said."""
        return -row_value if self.descending else row_value


_SORTS = {
    "relevance": _Sort("hits.score", True),
    "created_at_desc": _Sort("s.created", True),
    "created_at_asc": _Sort("s.created", False),
    "duration_desc": _Sort("s.duration", True),
}


def search_scenes(
    store: Store, workspace_id: str, params: SearchParams
) -> tuple[list[tuple[dict, float | None]], str | None]:
    """One page of a workspace's matching scenes with their scores, and the cursor of the next page.

    A word of ``q`` matches a scene holding it in any text field (the words are OR-ed), ranked by bm25.
    ``created_after`` is inclusive and ``created_before`` exclusive, so adjacent windows never overlap.
    Raises ``ValueError`` for a cursor that is malformed or belongs to another sort or query.
    """
    sort_name = params.effective_sort
    if sort_name == "relevance" and not params.q:
        raise ValueError("sort=relevance needs a query (q)")
    sort = _SORTS[sort_name]
    after = _decode_cursor(params.cursor, sort_name, params.q) if params.cursor else None
    where, args = _filters(params)
    if after is not None:
        value, scene_id = after
        bound, beyond = ("<", "<=") if sort.descending else (">", ">=")
        where.append(f"{sort.column} {beyond} ? AND ({sort.column} {bound} ? OR s.id > ?)")
        args += [sort.value(value)] * 2 + [scene_id]
    if params.q:
        terms = dict.fromkeys(search_terms(params.q))
        # Each term quoted: the user's text is data for FTS5, never its query syntax.
        source = (f"(SELECT rowid AS seq, {_SCORE} AS score FROM scene_text WHERE scene_text MATCH ?) AS hits"
                  " JOIN scenes AS s ON s.seq = hits.seq")
        args = [" OR ".join(f'"{term}"' for term in terms), workspace_id, *args]
        score = "hits.score"
    else:
        source, args, score = "scenes AS s", [workspace_id, *args], "NULL"
    rows = store.all(
        f"SELECT s.id, s.data, {sort.column} AS sort_value, {score} AS score FROM {source}"
        f" WHERE {' AND '.join(['s.workspace_id = ?', *where])}"
        f" ORDER BY {sort.column} {'DESC' if sort.descending else 'ASC'}, s.id LIMIT ?",
        [*args, params.limit + 1],
    )
    next_cursor = None
    if len(rows) > params.limit:
        last = rows[params.limit - 1]
        next_cursor = _encode_cursor(sort_name, params.q, (sort.value(last["sort_value"]), last["id"]))
    return [(loads(row["data"]), row["score"]) for row in rows[: params.limit]], next_cursor


def _filters(params: SearchParams) -> tuple[list[str], list[Any]]:
    """SQL conditions of the filters this query turns on, and their arguments."""
    where: list[str] = []
    args: list[Any] = []
    for condition, value in (
        ("s.source_type = ?", params.source_type),
        ("s.segment_type = ?", params.segment_type),
        ("s.cta_present = ?", None if params.cta_present is None else int(params.cta_present)),
        ("s.duration >= ?", params.min_duration),
        ("s.duration <= ?", params.max_duration),
        ("s.created >= ?", params.created_after and as_utc(params.created_after).timestamp()),
        ("s.created < ?", params.created_before and as_utc(params.created_before).timestamp()),
    ):
        if value is not None:
            where.append(condition)
            args.append(value)
    for parameter, field in LABEL_FIELDS.items():
        wanted = getattr(params, parameter)
        if wanted is not None:
            where.append("EXISTS (SELECT 1 FROM scene_labels WHERE field = ? AND value = ? AND seq = s.seq)")
            args += [field, wanted.casefold()]
    return where, args


def _encode_cursor(sort: str, q: str | None, key: tuple[float, str]) -> str:
    """A keyset cursor: the last item's sort key, so scenes added between pages never shift a page."""
    payload = json.dumps({"sort": sort, "q": q, "value": key[0], "id": key[1]}, separators=(",", ":"))
    return "cur_" + base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str, q: str | None) -> tuple[float, str]:
    hint = "pass the next_cursor of the previous page unchanged"
    try:
        if not cursor.startswith("cur_"):
            raise ValueError
        body = cursor[4:]
        data = parse_json(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        value, scene_id = data["value"], data["id"]
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            raise ValueError
        if not isinstance(scene_id, str):
            raise ValueError
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError):
        raise ValueError(f"cursor is not valid; {hint}") from None
    if data.get("sort") != sort or data.get("q") != q:
        raise ValueError(f"cursor belongs to a search with another sort or q; {hint}, or start without it")
    return float(value), scene_id

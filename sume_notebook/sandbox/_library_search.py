"""The search behind ``GET /assets``: query parameters, filters, text relevance, order and keyset cursors.

A search reads the tables ``_library_index`` keeps: a text query is scored from its words' posting lists
(BM25F, ``_library_relevance`` and ``_library_postings``), indexed columns filter and order, and a keyset
cursor starts the next page where the last one ended, so a page costs about the same in a library of two
thousand scenes or two hundred thousand. Which scenes exist, and the segment and source types they may have,
is the catalogue's business (``_library_catalogue``); this module only finds them.
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
from ._library_postings import best_matches, query_scores
from ._library_relevance import Statistics, read_statistics
from ._library_relevance import score as relevance_score
from ._store import Store, dumps, loads

SEARCH_MODES = ("auto", "text")
SORTS = ("relevance", "created_at_desc", "created_at_asc", "duration_desc")
MAX_LIMIT = 100
# A query term is a run of letters or digits; a q without one finds nothing and is refused.
_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"[0-9]{1,9}")  # int() also reads " 5", "1_0" and "٣"
# Above any sum of impacts times idfs a query can have; a relevance cursor's value beyond it is not one we wrote.
_MOST_BM25 = 2**53


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


@dataclass(frozen=True)
class _Sort:
    """One order: the column it reads, descending or not. Ties are broken by id, ascending."""

    column: str
    descending: bool

    def value(self, row_value: float) -> float:
        """The cursor's value: every order ascends on (value, id), as the cursors have always said."""
        return -row_value if self.descending else row_value


_SORTS = {
    "created_at_desc": _Sort("s.created", True),
    "created_at_asc": _Sort("s.created", False),
    "duration_desc": _Sort("s.duration", True),
}


def search_scenes(
    store: Store, workspace_id: str, params: SearchParams
) -> tuple[list[tuple[dict, float | None]], str | None]:
    """One page of a workspace's matching scenes with their scores, and the cursor of the next page.

    A word of ``q`` matches a scene holding it in any text field (the words are OR-ed); relevance is BM25F
    (``_library_relevance``). ``created_after`` is inclusive and ``created_before`` exclusive, so adjacent
    windows never overlap. Raises ``ValueError`` for a cursor that is malformed or belongs to another
    sort or query.
    """
    sort_name = params.effective_sort
    if sort_name == "relevance" and not params.q:
        raise ValueError("sort=relevance needs a query (q)")
    terms = list(dict.fromkeys(search_terms(params.q))) if params.q else []
    after = _decode_cursor(params.cursor, sort_name, params.q, terms) if params.cursor else None
    where, args = _filters(params)
    where, args = ["s.workspace_id = ?", *where], [workspace_id, *args]
    if sort_name == "relevance":
        return _by_relevance(store, params, terms, where, args, after)
    return _by_column(store, params, terms, where, args, after)


def _by_relevance(store: Store, params: SearchParams, terms: list[str], where: list[str], args: list[Any],
                  after: _After | None) -> tuple[list[tuple[dict, float | None]], str | None]:
    """A page ranked by relevance: every match scored from the posting lists, the best that pass shown."""
    # A relevance page goes on with the statistics its first page was scored with, so scores never move.
    statistics = after.statistics if after is not None and after.statistics else read_statistics(store, terms)
    scores = query_scores(store, dict(zip(terms, statistics.idf)))
    bound = None if after is None else (int(-after.value), after.id)
    matches = best_matches(store, scores, where, args, bound, params.limit + 1)
    page = matches[: params.limit]
    scenes = _scenes_json(store, [match.seq for match in page])
    next_cursor = None
    if len(matches) > params.limit:
        next_cursor = _encode_cursor("relevance", params.q, _After(-page[-1].bm25, page[-1].id, statistics))
    return [(scenes[match.seq], relevance_score(match.bm25)) for match in page], next_cursor


def _by_column(store: Store, params: SearchParams, terms: list[str], where: list[str], args: list[Any],
               after: _After | None) -> tuple[list[tuple[dict, float | None]], str | None]:
    """A page in the order of a column (time or duration); a text query filters, and is scored for show.

    Scenes are read in the column's order in growing batches, those holding no query word skipped, so a
    common word fills a page from the first batch; a rare one is looked up by its few scenes instead.
    """
    sort = _SORTS[params.effective_sort]
    source = "scenes AS s"
    scores = query_scores(store, dict(zip(terms, read_statistics(store, terms).idf))) if terms else None
    label = None if terms else _rare_label(store, params)
    # Few scenes hold these words, or carry this label: start from them rather than walk the sort's index.
    if scores is not None and len(matched := scores.matched()) < _RARE_LABEL:
        source = "json_each(?) AS j CROSS JOIN scenes AS s ON s.seq = j.value"
        args = [dumps(matched.tolist()), *args]
    elif label is not None:
        source = "scene_labels AS l CROSS JOIN scenes AS s ON s.seq = l.seq"
        where, args = ["l.field = ? AND l.value = ?", *where], [*label, *args]
    position = None if after is None else (after.value, after.id)
    rows: list[Any] = []
    batch = params.limit + 1
    while len(rows) <= params.limit:
        read = _in_order(store, sort, source, where, args, position, batch)
        rows += [row for row in read if scores is None or scores.of(row["seq"])]
        if len(read) < batch:
            break
        position, batch = (sort.value(read[-1]["sort_value"]), read[-1]["id"]), min(batch * 4, _MOST_BATCH)
    page = rows[: params.limit]
    scenes = _scenes_json(store, [row["seq"] for row in page])
    next_cursor = None
    if len(rows) > params.limit:
        last = _After(sort.value(page[-1]["sort_value"]), page[-1]["id"])
        next_cursor = _encode_cursor(params.effective_sort, params.q, last)
    return [(scenes[row["seq"]], None if scores is None else relevance_score(scores.of(row["seq"])))
            for row in page], next_cursor


# The most scenes `_by_column` reads at once while it looks for scenes holding a query word.
_MOST_BATCH = 4_096


def _in_order(store: Store, sort: _Sort, source: str, where: list[str], args: list[Any],
              position: tuple[float, str] | None, count: int) -> list[Any]:
    """The next `count` scenes (row, id, sort value) passing `where` in the sort's order after `position`."""
    if position is not None:
        bound, beyond = ("<", "<=") if sort.descending else (">", ">=")
        where = [*where, f"{sort.column} {beyond} ? AND ({sort.column} {bound} ? OR s.id > ?)"]
        args = [*args, *[sort.value(position[0])] * 2, position[1]]
    direction = "DESC" if sort.descending else "ASC"
    return store.all(f"SELECT s.seq, s.id, {sort.column} AS sort_value FROM {source} WHERE {' AND '.join(where)}"
                     f" ORDER BY {sort.column} {direction}, s.id LIMIT ?", [*args, count])


def _scenes_json(store: Store, seqs: Sequence[int]) -> dict[int, dict]:
    """The stored JSON of these scenes, by row."""
    rows = store.all("SELECT s.seq, s.data FROM json_each(?) AS j CROSS JOIN scenes AS s ON s.seq = j.value",
                     (dumps(list(seqs)),))
    return {row["seq"]: loads(row["data"]) for row in rows}


# Below this many scenes with a label, a search filtered by it reads those scenes and sorts them; above it,
# walking the sort's index meets a labelled scene often enough that a page is found long before the end.
_RARE_LABEL = 2_000


def _rare_label(store: Store, params: SearchParams) -> tuple[str, str] | None:
    """The first label filter (brand, product, tag, keyword) that fewer than `_RARE_LABEL` scenes carry."""
    for parameter, field in LABEL_FIELDS.items():
        wanted = getattr(params, parameter)
        if wanted is None:
            continue
        label = (field, wanted.casefold())
        held = store.one(f"SELECT count(*) AS n FROM (SELECT 1 FROM scene_labels WHERE field = ? AND value = ?"
                         f" LIMIT {_RARE_LABEL})", label)
        if held["n"] < _RARE_LABEL:
            return label
    return None


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


@dataclass(frozen=True)
class _After:
    """Where the next page starts: the last item's sort key; for relevance, the statistics it was scored with."""

    value: float
    id: str
    statistics: Statistics | None = None


def _encode_cursor(sort: str, q: str | None, after: _After) -> str:
    """A keyset cursor: the last item's sort key, so scenes added between pages never shift a page."""
    data: dict[str, Any] = {"sort": sort, "q": q, "value": after.value, "id": after.id}
    if after.statistics is not None:
        data["idf"] = after.statistics.idf
    payload = json.dumps(data, separators=(",", ":"))
    return "cur_" + base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str, q: str | None, terms: Sequence[str]) -> _After:
    hint = "pass the next_cursor of the previous page unchanged"
    try:
        if not cursor.startswith("cur_"):
            raise ValueError
        body = cursor[4:]
        data = parse_json(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        value, scene_id = data["value"], data["id"]
        if not _is_number(value) or not isinstance(scene_id, str):
            raise ValueError
        statistics = None
        if sort == "relevance" and data.get("sort") == sort:
            idf = data["idf"]
            if not isinstance(idf, list) or not float(value).is_integer() or abs(value) >= _MOST_BM25:
                raise ValueError
            statistics = Statistics(tuple(idf))
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError):
        raise ValueError(f"cursor is not valid; {hint}") from None
    if data.get("sort") != sort or data.get("q") != q:
        raise ValueError(f"cursor belongs to a search with another sort or q; {hint}, or start without it")
    if statistics is not None and not statistics.is_valid_for(terms):
        raise ValueError(f"cursor is not valid; {hint}")
    return _After(float(value), scene_id, statistics)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)

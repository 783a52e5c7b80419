"""The search behind ``GET /assets``: query parameters, filters, text relevance, order and keyset cursors.

Pure Python on purpose: the app loads a workspace's scene dicts from its store and hands them here, so
everything a search means is tested without a server. Which scenes exist, and the segment and source
types they may have, is the catalogue's business (``_library_catalogue``); this module only finds them.
"""

from __future__ import annotations

import base64
import binascii
import heapq
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ._json_input import parse_json
from ._library_catalogue import SEGMENT_TYPES, SOURCE_TYPES, as_utc

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
            return _parse_iso(value)
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


def _parse_iso(text: str) -> datetime:
    """ISO 8601 with a trailing ``Z`` also on Python 3.10, whose ``fromisoformat`` rejects it."""
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    return as_utc(datetime.fromisoformat(text))


# --- search ---------------------------------------------------------------------------------------

# A query term found in several fields counts like independent evidence: 1 - prod(1 - weight).
_FIELD_WEIGHTS = (("title", 0.6), ("tags", 0.45), ("keywords", 0.45), ("description", 0.35), ("transcript", 0.25))
_MASK_SCORE = tuple(
    1 - math.prod(1 - weight for bit, (_, weight) in enumerate(_FIELD_WEIGHTS) if mask >> bit & 1)
    for mask in range(1 << len(_FIELD_WEIGHTS))
)


@dataclass(frozen=True)
class _Indexed:
    """What a search needs from a scene, computed once: term -> bitmask of fields, lowercase lists."""

    id: str
    title: str
    created_at: str
    terms: dict[str, int]
    brands: frozenset[str]
    products: frozenset[str]
    tags: frozenset[str]
    keywords: frozenset[str]
    created: float
    duration: float


# Keyed by scene id, because the app may rebuild the scene dicts on every request.
_INDEX: dict[str, _Indexed] = {}


def _terms(text: str) -> list[str]:
    """Lowercase words with a plural ``s`` dropped, so "serums" finds "serum"."""
    return [w[:-1] if len(w) > 3 and w[-1] == "s" and w[-2] != "s" else w for w in _WORD.findall(text.lower())]


def _index(scene: Mapping[str, Any]) -> _Indexed:
    """The cached index entry, rebuilt when the id comes back with other content (a reseeded library)."""
    cached = _INDEX.get(scene["id"])
    if (
        cached is not None
        and cached.created_at == scene["created_at"]
        and cached.title == scene["title"]
        and cached.duration == scene["duration_seconds"]
    ):
        return cached
    terms: dict[str, int] = {}
    for bit, (field, _) in enumerate(_FIELD_WEIGHTS):
        value = scene.get(field) or ""
        for term in _terms(" ".join(value) if isinstance(value, list) else value):
            terms[term] = terms.get(term, 0) | 1 << bit
    lowered = {field: frozenset(v.casefold() for v in scene.get(field) or ())
               for field in ("brands", "products", "tags", "keywords")}
    indexed = _Indexed(
        id=scene["id"],
        title=scene["title"],
        created_at=scene["created_at"],
        terms=terms,
        created=_parse_iso(scene["created_at"]).timestamp(),
        duration=float(scene["duration_seconds"]),
        **lowered,
    )
    _INDEX[scene["id"]] = indexed
    return indexed


def _filters(params: SearchParams) -> list[Callable[[Mapping[str, Any], _Indexed], bool]]:
    """Only the filters this query turns on, so an unfiltered search pays for none of them."""
    checks: list[Callable[[Mapping[str, Any], _Indexed], bool]] = []
    if params.source_type is not None:
        checks.append(lambda s, _: s["source_type"] == params.source_type)
    if params.segment_type is not None:
        checks.append(lambda s, _: s["segment_type"] == params.segment_type)
    for field in ("brand", "product", "tag", "keyword"):
        wanted = getattr(params, field)
        if wanted is not None:
            checks.append(lambda _, i, f=field + "s", w=wanted.casefold(): w in getattr(i, f))
    if params.cta_present is not None:
        checks.append(lambda s, _: bool(s["cta_present"]) == params.cta_present)
    if params.min_duration is not None:
        checks.append(lambda _, i: i.duration >= params.min_duration)
    if params.max_duration is not None:
        checks.append(lambda _, i: i.duration <= params.max_duration)
    if params.created_after is not None:
        after = as_utc(params.created_after).timestamp()
        checks.append(lambda _, i: i.created >= after)
    if params.created_before is not None:
        before = as_utc(params.created_before).timestamp()
        checks.append(lambda _, i: i.created < before)
    return checks


# Every order ascends on (value, id), so one keyset comparison serves all four sorts.
_SORT_VALUES: dict[str, Callable[[_Indexed, float | None], float]] = {
    "relevance": lambda indexed, score: -(score or 0.0),
    "created_at_desc": lambda indexed, score: -indexed.created,
    "created_at_asc": lambda indexed, score: indexed.created,
    "duration_desc": lambda indexed, score: -indexed.duration,
}


def search_scenes(
    scenes: Sequence[dict], params: SearchParams
) -> tuple[list[tuple[dict, float | None]], str | None]:
    """One page of matching scenes with their scores, and the cursor of the next page.

    ``created_after`` is inclusive and ``created_before`` exclusive, so adjacent windows never overlap.
    Raises ``ValueError`` for a cursor that is malformed or belongs to another sort or query.
    """
    sort = params.effective_sort
    if sort == "relevance" and not params.q:
        raise ValueError("sort=relevance needs a query (q)")
    after = _decode_cursor(params.cursor, sort, params.q) if params.cursor else None
    page = heapq.nsmallest(params.limit + 1, _ranked(scenes, params, sort, after))
    next_cursor = _encode_cursor(sort, params.q, page[params.limit - 1][:2]) if len(page) > params.limit else None
    return [(scene, score) for *_, scene, score in page[: params.limit]], next_cursor


def _ranked(
    scenes: Sequence[dict], params: SearchParams, sort: str, after: tuple[float, str] | None
) -> Iterator[tuple[float, str, int, dict, float | None]]:
    """Matching scenes past the cursor as (sort value, id, position, scene, score), lowest first wins.

    A generator, not a list: ``heapq.nsmallest`` keeps only one page alive, so a search over a big
    library allocates almost nothing that the garbage collector would later have to walk.
    """
    query = list(dict.fromkeys(_terms(params.q))) if params.q else []
    checks = _filters(params)
    sort_value = _SORT_VALUES[sort]
    for position, scene in enumerate(scenes):
        indexed = _index(scene)
        if checks and not all(check(scene, indexed) for check in checks):
            continue
        score = None
        if query:
            if indexed.terms.keys().isdisjoint(query):
                continue
            score = round(sum([_MASK_SCORE[indexed.terms.get(t, 0)] for t in query]) / len(query), 4)
        value = sort_value(indexed, score)
        if after is None or (value, indexed.id) > after:
            yield value, indexed.id, position, scene, score


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

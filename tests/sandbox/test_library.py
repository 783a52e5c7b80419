"""The sandbox's seeded Asset Library and the search behind ``GET /assets``."""

from __future__ import annotations

import base64
import functools
import json
import re
import statistics
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from sume_notebook.sandbox._library_catalogue import SEGMENT_TYPES, scenes_for_upload, seed_library
from sume_notebook.sandbox._library_index import add_scenes, prepare_library
from sume_notebook.sandbox._library_search import SearchParams, parse_search_params, search_scenes
from sume_notebook.sandbox._store import Store

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)
SOURCES, SCENES = seed_library(42, NOW)
SCENE_KEYS = {
    "id", "source_video_id", "source_type", "segment_type", "start_seconds", "end_seconds", "duration_seconds",
    "has_clip", "brands", "products", "tags", "keywords", "cta_present", "title", "description", "transcript",
    "created_at",
}
SOURCE_KEYS = {"id", "title", "duration_seconds", "source_type", "aspect_ratio", "brand", "created_at"}


def parse(**query: Any) -> SearchParams:
    params, errors = parse_search_params({key: str(value) for key, value in query.items()})
    assert errors == []
    return params


WORKSPACE = "ws_test"


@functools.lru_cache(maxsize=8)
def _library(scenes_json: str) -> Store:
    """An in-memory store holding exactly these scenes, indexed as the sandbox indexes its library."""
    store = Store(Path(":memory:"))
    prepare_library(store)
    add_scenes(store, WORKSPACE, json.loads(scenes_json))
    return store


def library(scenes: list[dict]) -> Store:
    return _library(json.dumps(scenes, sort_keys=True))


def search(scenes: list[dict], **query: Any) -> tuple[list[tuple[dict, float | None]], str | None]:
    return search_scenes(library(scenes), WORKSPACE, parse(**query))


def search_all(scenes: list[dict], **query: Any) -> list[tuple[dict, float | None]]:
    """Follow next_cursor to the end, as a client would."""
    results, cursor = [], None
    while True:
        page, cursor = search(scenes, **query, **({"cursor": cursor} if cursor else {}))
        results.extend(page)
        if cursor is None:
            return results


def ids(results: list[tuple[dict, float | None]]) -> list[str]:
    return [scene["id"] for scene, _ in results]


def created(scene: dict) -> datetime:
    return datetime.fromisoformat(scene["created_at"].replace("Z", "+00:00"))


def scene(scene_id: str, **fields: Any) -> dict:
    """A hand-made scene for ranking tests."""
    base = {
        "id": scene_id, "source_video_id": "src_test", "source_type": "upload", "segment_type": "b_roll",
        "start_seconds": 0.0, "end_seconds": 3.0, "duration_seconds": 3.0, "has_clip": True,
        "brands": [], "products": [], "tags": [], "keywords": [], "cta_present": False,
        "title": "", "description": "", "transcript": "", "created_at": "2025-05-01T00:00:00Z",
    }
    return {**base, **fields}


# --- the seeded catalogue -------------------------------------------------------------------------


def test_seed_is_deterministic_per_seed_and_differs_across_seeds() -> None:
    assert seed_library(42, NOW) == (SOURCES, SCENES)
    assert ids([(s, None) for s in seed_library(43, NOW)[1]]) != ids([(s, None) for s in SCENES])


def test_seed_has_the_required_size_and_variety() -> None:
    assert len(SOURCES) >= 40 and len(SCENES) >= 300
    assert {s["source_type"] for s in SOURCES} == {"generated", "upload"}
    assert {s["source_type"] for s in SCENES} == {"generated", "upload"}
    assert set(Counter(s["segment_type"] for s in SCENES)) == set(SEGMENT_TYPES)
    assert len({s["brand"] for s in SOURCES}) >= 5
    assert {s["aspect_ratio"] for s in SOURCES} <= {"9:16", "1:1", "16:9", "4:5"}
    without_clip = sum(not s["has_clip"] for s in SCENES) / len(SCENES)
    assert 0.05 <= without_clip <= 0.15
    durations = [s["duration_seconds"] for s in SCENES]
    assert 1 <= min(durations) < 2 and 15 < max(durations) <= 20


def test_seed_shapes_ids_and_dates() -> None:
    assert all(set(s) == SOURCE_KEYS for s in SOURCES)
    assert all(set(s) == SCENE_KEYS for s in SCENES)
    assert all(re.fullmatch(r"src_[0-9a-f]{12}", s["id"]) for s in SOURCES)
    assert all(re.fullmatch(r"scn_[0-9a-f]{12}", s["id"]) for s in SCENES)
    assert len({s["id"] for s in SCENES}) == len(SCENES)
    moments = [created(s) for s in [*SOURCES, *SCENES]]
    assert all(s["created_at"].endswith("Z") for s in [*SOURCES, *SCENES])
    assert all(NOW - timedelta(days=183) <= m <= NOW for m in moments)
    assert min(moments) < NOW - timedelta(days=120) and max(moments) > NOW - timedelta(days=30)


def test_scenes_of_a_source_are_contiguous_and_inside_it() -> None:
    sources = {s["id"]: s for s in SOURCES}
    by_source: dict[str, list[dict]] = {}
    for s in SCENES:
        by_source.setdefault(s["source_video_id"], []).append(s)
    assert set(by_source) == set(sources)
    for source_id, scenes in by_source.items():
        assert scenes[0]["start_seconds"] == 0.0
        for before, after in zip(scenes, scenes[1:]):
            assert before["end_seconds"] == after["start_seconds"]
        assert scenes[-1]["end_seconds"] <= sources[source_id]["duration_seconds"]
        for s in scenes:
            assert s["source_type"] == sources[source_id]["source_type"]
            assert s["duration_seconds"] == round(s["end_seconds"] - s["start_seconds"], 2)
            assert s["start_seconds"] == round(s["start_seconds"], 2)


def test_cta_presence_sits_mostly_on_cta_and_offer_segments() -> None:
    closing = [s["cta_present"] for s in SCENES if s["segment_type"] in ("cta", "offer")]
    others = [s["cta_present"] for s in SCENES if s["segment_type"] not in ("cta", "offer")]
    assert sum(closing) / len(closing) > 0.75
    assert 0 < sum(others) / len(others) < 0.15


def test_brands_and_products_are_the_ones_the_scene_text_mentions() -> None:
    for s in SCENES:
        text = f'{s["title"]} {s["description"]} {s["transcript"]}'
        assert all(p in text for p in s["products"])
        assert s["brands"] == [] or s["products"] or s["brands"][0] in text
    mentioning = sum(bool(s["brands"]) for s in SCENES) / len(SCENES)
    assert 0.6 < mentioning < 0.95


# --- uploads --------------------------------------------------------------------------------------


def test_upload_is_cut_into_contiguous_scenes_of_two_to_six_seconds() -> None:
    cut = scenes_for_upload("src_upload_a", "Lumen Serum unboxing and honest review", 47.3, "2025-06-01T10:00:00Z")
    assert cut == scenes_for_upload("src_upload_a", "Lumen Serum unboxing and honest review", 47.3,
                                    "2025-06-01T10:00:00Z")
    assert all(set(s) == SCENE_KEYS for s in cut)
    assert cut[0]["start_seconds"] == 0.0 and cut[-1]["end_seconds"] == 47.3
    assert all(a["end_seconds"] == b["start_seconds"] for a, b in zip(cut, cut[1:]))
    assert all(2 <= s["duration_seconds"] <= 6 for s in cut)
    assert all(s["has_clip"] and s["source_type"] == "upload" for s in cut)
    assert {"unboxing", "testimonial"} <= {s["segment_type"] for s in cut}
    assert cut[0]["segment_type"] == "hook" and cut[-1]["segment_type"] == "cta" and cut[-1]["cta_present"]
    assert cut[0]["brands"] == ["Lumen"] and cut[0]["products"] == ["Lumen Serum"]
    assert "unboxing" in cut[0]["tags"] and "serum" in cut[0]["keywords"]
    assert len({s["id"] for s in cut}) == len(cut)


def test_upload_cut_depends_on_source_id_and_handles_short_videos() -> None:
    a = scenes_for_upload("src_upload_b", "Morning run", 30.0, "2025-06-01T10:00:00Z")
    b = scenes_for_upload("src_upload_c", "Morning run", 30.0, "2025-06-01T10:00:00Z")
    assert [s["end_seconds"] for s in a] != [s["end_seconds"] for s in b]
    assert [s["duration_seconds"] for s in scenes_for_upload("src_upload_d", "Clip", 1.5, "2025-06-01T10:00:00Z")] \
        == [1.5]
    assert scenes_for_upload("src_upload_e", "Empty", 0, "2025-06-01T10:00:00Z") == []


def test_upload_names_the_brand_of_a_product_in_its_title() -> None:
    cut = scenes_for_upload("src_upload_g", "Echo Buds on the subway", 10.0, "2025-06-01T10:00:00Z")
    assert cut[0]["brands"] == ["Echo Audio"] and cut[0]["products"] == ["Echo Buds"]
    plain = scenes_for_upload("src_upload_h", "Premium morning run", 10.0, "2025-06-01T10:00:00Z")
    assert plain[0]["brands"] == [] and plain[0]["products"] == []


def test_uploaded_scenes_are_searchable_by_title_words() -> None:
    cut = scenes_for_upload("src_upload_f", "Backyard zucchini harvest", 12.0, "2025-06-01T10:00:00Z")
    results, _ = search([*SCENES, *cut], q="zucchini")
    assert ids(results) == ids(search(cut, q="zucchini")[0]) and len(results) == len(cut)


# --- parameters -----------------------------------------------------------------------------------


def test_parse_reads_every_parameter_into_its_type() -> None:
    params, errors = parse_search_params({
        "q": " serum demo ", "search_mode": "AUTO", "source_type": "upload", "segment_type": "hook",
        "brand": "Lumen", "product": "Lumen Serum", "tag": "beauty", "keyword": "glow", "cta_present": "false",
        "min_duration": "1.5", "max_duration": "8", "created_after": "2025-01-01",
        "created_before": "2025-05-01T00:00:00Z", "sort": "duration_desc", "limit": "50", "cursor": "cur_x",
        "unknown": "ignored",
    })
    assert errors == []
    assert params == SearchParams(
        q="serum demo", search_mode="auto", source_type="upload", segment_type="hook", brand="Lumen",
        product="Lumen Serum", tag="beauty", keyword="glow", cta_present=False, min_duration=1.5,
        max_duration=8.0, created_after=datetime(2025, 1, 1, tzinfo=timezone.utc),
        created_before=datetime(2025, 5, 1, tzinfo=timezone.utc), sort="duration_desc", limit=50,
        cursor="cur_x",
    )


def test_parse_defaults() -> None:
    assert parse() == SearchParams(limit=20)
    assert parse().effective_sort == "created_at_desc"
    assert parse(q="hook").search_mode == "text" and parse(q="hook").effective_sort == "relevance"


@pytest.mark.parametrize(
    ("query", "field", "allowed"),
    [
        ({"search_mode": "semantic"}, "search_mode", "auto, text"),
        ({"source_type": "stock"}, "source_type", "generated, upload"),
        ({"segment_type": "intro"}, "segment_type", "product_demo"),
        ({"cta_present": "yes"}, "cta_present", "true, false"),
        ({"min_duration": "-1"}, "min_duration", ">= 0"),
        ({"min_duration": "nan"}, "min_duration", ">= 0"),
        ({"max_duration": "ten"}, "max_duration", ">= 0"),
        ({"min_duration": "9", "max_duration": "3"}, "max_duration", "min_duration"),
        ({"created_after": "last week"}, "created_after", "ISO 8601"),
        ({"created_before": "2025-13-01"}, "created_before", "ISO 8601"),
        ({"created_after": "2025-05-01", "created_before": "2025-04-01"}, "created_before", "later"),
        ({"sort": "newest"}, "sort", "created_at_desc"),
        ({"limit": "0"}, "limit", "1 to 100"),
        ({"limit": "101"}, "limit", "1 to 100"),
        ({"limit": "ten"}, "limit", "1 to 100"),
        ({"q": "?!"}, "q", "letter or digit"),
        ({"q": "a" * 501}, "q", "500"),
    ],
)
def test_parse_reports_each_bad_parameter_with_what_it_accepts(query: dict, field: str, allowed: str) -> None:
    _, errors = parse_search_params(query)
    assert [e["field"] for e in errors] == [field]
    assert allowed in errors[0]["message"]


def test_parse_reports_all_problems_at_once() -> None:
    _, errors = parse_search_params({"limit": "0", "sort": "up", "cta_present": "maybe"})
    assert sorted(e["field"] for e in errors) == ["cta_present", "limit", "sort"]


# --- filters --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "predicate"),
    [
        ({"source_type": "upload"}, lambda s: s["source_type"] == "upload"),
        ({"segment_type": "unboxing"}, lambda s: s["segment_type"] == "unboxing"),
        ({"brand": "lumen"}, lambda s: "Lumen" in s["brands"]),
        ({"product": "ECHO BUDS"}, lambda s: "Echo Buds" in s["products"]),
        ({"tag": "Social-Proof"}, lambda s: "social-proof" in s["tags"]),
        ({"keyword": "cold brew"}, lambda s: "cold brew" in s["keywords"]),
        ({"cta_present": "true"}, lambda s: s["cta_present"]),
        ({"cta_present": "false"}, lambda s: not s["cta_present"]),
        ({"min_duration": "10"}, lambda s: s["duration_seconds"] >= 10),
        ({"max_duration": "2"}, lambda s: s["duration_seconds"] <= 2),
        ({"created_after": "2025-04-01T00:00:00Z"}, lambda s: created(s) >= datetime(2025, 4, 1, tzinfo=timezone.utc)),
        ({"created_before": "2025-02-01T00:00:00+01:00"},
         lambda s: created(s) < datetime(2025, 1, 31, 23, tzinfo=timezone.utc)),
    ],
)
def test_each_filter_keeps_exactly_the_matching_scenes(query: dict, predicate: Any) -> None:
    expected = {s["id"] for s in SCENES if predicate(s)}
    assert expected and len(expected) < len(SCENES)
    assert set(ids(search_all(SCENES, limit=100, **query))) == expected


def test_filters_combine() -> None:
    query = {"brand": "Stride", "source_type": "generated", "cta_present": "false", "min_duration": "2",
             "max_duration": "9", "created_after": "2025-01-01"}
    expected = {
        s["id"] for s in SCENES
        if "Stride" in s["brands"] and s["source_type"] == "generated" and not s["cta_present"]
        and 2 <= s["duration_seconds"] <= 9 and created(s) >= datetime(2025, 1, 1, tzinfo=timezone.utc)
    }
    assert expected
    assert set(ids(search_all(SCENES, limit=100, **query))) == expected
    with_text = search_all(SCENES, limit=100, q="sneaker", **query)
    assert with_text and set(ids(with_text)) <= expected


def test_created_after_is_inclusive_and_created_before_exclusive() -> None:
    at = scene("scn_test_boundary", created_at="2025-03-03T03:03:03Z")
    assert ids(search([at], created_after="2025-03-03T03:03:03Z")[0]) == ["scn_test_boundary"]
    assert ids(search([at], created_before="2025-03-03T03:03:03Z")[0]) == []


# --- sorts and scores -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("created_at_desc", lambda s: (-created(s).timestamp(), s["id"])),
        ("created_at_asc", lambda s: (created(s).timestamp(), s["id"])),
        ("duration_desc", lambda s: (-s["duration_seconds"], s["id"])),
    ],
)
def test_each_sort_orders_all_pages_with_ties_broken_by_id(sort: str, key: Any) -> None:
    assert ids(search_all(SCENES, sort=sort, limit=100)) == [s["id"] for s in sorted(SCENES, key=key)]


def test_default_order_is_newest_first_without_q_and_relevance_with_q() -> None:
    assert ids(search_all(SCENES, limit=100)) == ids(search_all(SCENES, sort="created_at_desc", limit=100))
    assert ids(search_all(SCENES, q="serum glow", limit=100)) == ids(
        search_all(SCENES, q="serum glow", sort="relevance", limit=100))


def test_relevance_orders_by_score_then_id_and_drops_non_matches() -> None:
    results = search_all(SCENES, q="cold brew demo", limit=100)
    keys = [(-score, s["id"]) for s, score in results]  # type: ignore[operator]
    assert keys == sorted(keys)
    assert all(0 < score < 1 for _, score in results)  # type: ignore[operator]
    assert len(results) < len(SCENES)
    assert all({"cold", "brew", "demo"} & set(re.findall(r"\w+", " ".join(
        [s["title"], s["description"], s["transcript"], *s["tags"], *s["keywords"]]).lower())) for s, _ in results)


def test_score_is_none_without_q() -> None:
    page, _ = search(SCENES, limit=5)
    assert [score for _, score in page] == [None] * 5


def test_a_title_match_ranks_above_a_single_transcript_mention() -> None:
    in_title = scene("scn_test_title", title="Espresso tamper close-up")
    in_transcript = scene("scn_test_transcript", title="Kitchen wide shot",
                          transcript="I make an espresso every morning before work.")
    unrelated = scene("scn_test_unrelated", title="Dog on a lawn", transcript="Good boy!")
    results, _ = search([in_transcript, unrelated, in_title], q="espresso")
    assert ids(results) == ["scn_test_title", "scn_test_transcript"]
    assert results[0][1] > results[1][1]  # type: ignore[operator]


def test_more_matched_terms_and_fields_score_higher() -> None:
    full = scene("scn_test_full", title="Serum demo", tags=["demo"], keywords=["serum"])
    half = scene("scn_test_half", title="Serum on a counter")
    plural = scene("scn_test_plural", description="Two serums side by side")
    results, _ = search([plural, half, full], q="serum demo", search_mode="auto")
    assert ids(results) == ["scn_test_full", "scn_test_half", "scn_test_plural"]


# --- pagination -----------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [{}, {"sort": "created_at_asc"}, {"sort": "duration_desc"},
                                   {"q": "sneaker trail grip"}, {"brand": "Happy Paws", "sort": "duration_desc"}])
def test_small_pages_concatenate_to_the_unpaged_result(query: dict) -> None:
    paged = search_all(SCENES, limit=7, **query)
    unpaged = search_all(SCENES, limit=100, **query)
    assert paged == unpaged
    assert len(set(ids(paged))) == len(paged)


def test_last_page_has_no_cursor() -> None:
    page, cursor = search(SCENES, brand="Pulsefit", segment_type="hook", limit=100)
    assert page and cursor is None


@pytest.mark.parametrize("query", [{}, {"sort": "created_at_asc"}, {"q": "coffee"}])
def test_paging_stays_stable_when_scenes_are_added_between_pages(query: dict) -> None:
    library = list(SCENES)
    before = ids(search_all(library, limit=100, **query))
    first, cursor = search(library, limit=25, **query)
    newer = NOW + timedelta(minutes=5)
    library += [
        scene(f"scn_test_new_{n}", title="Fresh coffee upload", keywords=["coffee"], duration_seconds=19.9,
              created_at=(newer + timedelta(seconds=n)).strftime("%Y-%m-%dT%H:%M:%SZ"))
        for n in range(30)
    ]
    seen = ids(first)
    while cursor:
        page, cursor = search(library, limit=25, cursor=cursor, **query)
        seen += ids(page)
    assert len(seen) == len(set(seen))
    assert [i for i in seen if not i.startswith("scn_test_new_")] == before


def _cursor(payload: bytes) -> str:
    return "cur_" + base64.urlsafe_b64encode(payload).decode()


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "cur_", "cur_!!!!", _cursor(b"not json"), _cursor(b"[1, 2]"), _cursor(b'{"sort": "x"}'),
     _cursor(b'{"sort": "created_at_desc", "q": null, "value": "a", "id": "scn_x"}'),
     _cursor(b'{"sort": "created_at_desc", "q": null, "value": NaN, "id": "scn_x"}')],
)
def test_malformed_cursor_raises_value_error(cursor: str) -> None:
    with pytest.raises(ValueError, match="cursor is not valid"):
        search(SCENES, cursor=cursor)


def test_cursor_of_another_sort_or_query_raises_value_error() -> None:
    _, cursor = search(SCENES, sort="duration_desc", limit=5)
    with pytest.raises(ValueError, match="another sort or q"):
        search(SCENES, sort="created_at_asc", cursor=cursor)
    _, cursor = search(SCENES, q="serum", limit=5)
    with pytest.raises(ValueError, match="another sort or q"):
        search(SCENES, q="coffee", cursor=cursor)


def test_a_reseeded_library_is_searched_by_its_own_dates() -> None:
    later = NOW + timedelta(days=400)
    _, reseeded = seed_library(42, later)
    assert [s["id"] for s in reseeded] == [s["id"] for s in SCENES]
    assert ids(search_all(SCENES, created_after=NOW.isoformat(), limit=100)) == []
    assert len(search_all(reseeded, created_after=NOW.isoformat(), limit=100)) == len(reseeded)


def test_relevance_without_q_is_refused_by_search_too() -> None:
    with pytest.raises(ValueError, match="relevance"):
        search_scenes(library(SCENES), WORKSPACE, SearchParams(sort="relevance"))


# --- speed ----------------------------------------------------------------------------------------


def test_search_over_20000_scenes_timing(capsys: pytest.CaptureFixture[str]) -> None:
    scenes: list[dict] = []
    seed = 1000
    while len(scenes) < 20_000:
        scenes += seed_library(seed, NOW)[1]
        seed += 1
    store = Store(Path(":memory:"))
    prepare_library(store)
    started = time.perf_counter()
    add_scenes(store, WORKSPACE, scenes[:20_000])
    timings = [f"indexing: {(time.perf_counter() - started) * 1000:.0f} ms"]
    queries = [
        ("list", parse()),
        ("q", parse(q="serum demo hook")),
        ("q + filters", parse(q="coffee", brand="Brewbird", min_duration="2", sort="duration_desc")),
        ("filters", parse(brand="Lumen", cta_present="true", created_after="2025-03-01")),
    ]
    for label, params in queries:
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            page, _ = search_scenes(store, WORKSPACE, params)
            runs.append((time.perf_counter() - started) * 1000)
            assert page
        timings.append(f"{label}: {statistics.median(runs):.1f} ms")
    with capsys.disabled():
        print("\n20,000-scene search, one page of 20 (median of 5): " + "; ".join(timings))


def test_relevance_without_q_is_answered_in_the_default_order() -> None:
    """The seeds list relevance as a plain sort option: without q there is nothing to rank, so newest first."""
    params, errors = parse_search_params({"sort": "relevance"})
    assert errors == [] and params.effective_sort == "created_at_desc"

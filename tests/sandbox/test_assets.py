"""Asset Library over HTTP: the seeded library, every filter and sort, scoring, paging, scene reads."""

from __future__ import annotations

from datetime import datetime

import pytest

from .conftest import wait_for_status


def everything(api, **params) -> list[dict]:
    """Follow next_cursor to the end."""
    items, cursor = [], None
    while True:
        page = api.get("/assets", params={**params, "limit": 100, **({"cursor": cursor} if cursor else {})}).json()
        assert page["object"] == "list", page
        items += page["data"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


@pytest.fixture(scope="module")
def library(sandbox) -> list[dict]:
    import httpx

    with httpx.Client(base_url=sandbox.url, headers={"Authorization": f"Bearer {sandbox.api_key}"}) as api:
        return everything(api)


def test_seeded_library_has_the_promised_variety(library):
    assert len(library) >= 300
    assert len({scene["source_video"]["id"] for scene in library}) >= 40
    assert {scene["source_type"] for scene in library} == {"generated", "upload"}
    assert len({scene["segment_type"] for scene in library}) >= 5
    durations = [scene["duration_seconds"] for scene in library]
    assert min(durations) >= 1 and max(durations) <= 20
    without_clip = sum(scene["clip_url"] is None for scene in library) / len(library)
    assert 0.05 <= without_clip <= 0.2
    months = {scene["created_at"][:7] for scene in library}
    assert len(months) >= 3
    assert all(scene["search"] is None for scene in library)
    scene = library[0]
    for key in ("id", "source_type", "segment_type", "start_seconds", "end_seconds", "duration_seconds",
                "clip_url", "media_url", "thumbnail_url", "source_media_url", "source_video", "brands",
                "products", "tags", "keywords", "cta_present", "description", "transcript", "created_at"):
        assert key in scene


def test_default_listing_is_newest_first(library):
    stamps = [scene["created_at"] for scene in library]
    assert stamps == sorted(stamps, reverse=True)


@pytest.mark.parametrize(("param", "value", "check"), [
    ("source_type", "generated", lambda s: s["source_type"] == "generated"),
    ("source_type", "upload", lambda s: s["source_type"] == "upload"),
    ("segment_type", "hook", lambda s: s["segment_type"] == "hook"),
    ("cta_present", "true", lambda s: s["cta_present"] is True),
    ("cta_present", "false", lambda s: s["cta_present"] is False),
    ("min_duration", "10", lambda s: s["duration_seconds"] >= 10),
    ("max_duration", "3", lambda s: s["duration_seconds"] <= 3),
])
def test_each_filter_keeps_exactly_the_matching_scenes(api, library, param, value, check):
    found = everything(api, **{param: value})
    assert found, f"{param}={value} found nothing"
    assert all(check(scene) for scene in found)
    assert len(found) == sum(check(scene) for scene in library)


def test_created_after_and_before_split_the_library(api, library):
    middle = sorted(scene["created_at"] for scene in library)[len(library) // 2]
    after = everything(api, created_after=middle)
    before = everything(api, created_before=middle)
    assert after and before
    assert all(s["created_at"] >= middle for s in after) and all(s["created_at"] <= middle for s in before)
    assert len({s["id"] for s in after} | {s["id"] for s in before}) == len(library)


@pytest.mark.parametrize("field", ["brands", "products", "tags", "keywords"])
def test_list_filters_match_case_insensitively(api, library, field):
    value = next(scene[field][0] for scene in library if scene[field])
    param = {"brands": "brand", "products": "product", "tags": "tag", "keywords": "keyword"}[field]
    found = everything(api, **{param: value.upper()})
    expected = [s for s in library if value.lower() in [v.lower() for v in s[field]]]
    assert {s["id"] for s in found} == {s["id"] for s in expected}


def test_filters_combine(api, library):
    brand = library[0]["brands"][0] if library[0]["brands"] else next(s["brands"][0] for s in library if s["brands"])
    found = everything(api, brand=brand, cta_present="true", min_duration="2")
    assert all(brand in s["brands"] and s["cta_present"] and s["duration_seconds"] >= 2 for s in found)


@pytest.mark.parametrize(("sort", "key", "reverse"), [
    ("created_at_desc", "created_at", True), ("created_at_asc", "created_at", False),
    ("duration_desc", "duration_seconds", True),
])
def test_sorts(api, sort, key, reverse):
    values = [scene[key] for scene in everything(api, sort=sort)]
    assert values == sorted(values, reverse=reverse)


def test_text_search_ranks_by_relevance_with_scores(api):
    page = api.get("/assets", params={"q": "product demo", "limit": 20}).json()["data"]
    assert page
    scores = [scene["search"]["score"] for scene in page]
    assert scores == sorted(scores, reverse=True) and all(0 < score <= 1 for score in scores)
    assert page[0]["search"] == {"score": scores[0], "query": "product demo", "mode": "text"}
    auto = api.get("/assets", params={"q": "product demo", "search_mode": "auto", "limit": 1}).json()["data"][0]
    assert auto["search"]["mode"] == "auto"
    assert api.get("/assets", params={"q": "zzqx nothing matches"}).json()["data"] == []


def test_text_search_pages_cover_the_unpaged_result(api):
    paged = [s["id"] for s in everything(api, q="coffee morning")]
    one_page = [s["id"] for s in api.get("/assets", params={"q": "coffee morning", "limit": 100}).json()["data"]]
    assert paged[:100] == one_page and len(set(paged)) == len(paged)


def test_paging_is_stable_while_new_scenes_arrive(api):
    first = api.get("/assets", params={"limit": 50}).json()
    job_id = api.post("/videos/generations", json={"prompt": "A new generated coffee video", "duration": 4}).json()
    assert wait_for_status(api, job_id["job_id"])["status"] == "completed"
    api.get("/credits")  # the next request settles the job: its scenes join the library
    rest, cursor = [], first["next_cursor"]
    while cursor:
        page = api.get("/assets", params={"limit": 50, "cursor": cursor}).json()
        rest += page["data"]
        cursor = page["next_cursor"]
    ids = [s["id"] for s in first["data"] + rest]
    assert len(ids) == len(set(ids))
    fresh = everything(api)
    new = [s for s in fresh if s["source_video"]["title"] == "A new generated coffee video"]
    assert new and all(s["source_type"] == "generated" for s in new)
    assert set(ids) == {s["id"] for s in fresh} - {s["id"] for s in new}


def test_get_asset_keeps_search_context(api, library):
    scene = library[3]
    plain = api.get(f"/assets/{scene['id']}").json()
    assert plain["id"] == scene["id"] and plain["search"] is None
    context = api.get(f"/assets/{scene['id']}", params={"query": "hook", "search_mode": "text",
                                                        "search_score": "0.42"}).json()
    assert context["search"] == {"score": 0.42, "query": "hook", "mode": "text"}
    no_score = api.get(f"/assets/{scene['id']}", params={"query": "hook"}).json()
    assert no_score["search"]["score"] is None
    assert api.get(f"/assets/{scene['id']}", params={"search_score": "high"}).status_code == 400
    assert api.get("/assets/scn_nothere").status_code == 404


def test_scene_fallback_fields(library):
    without = next(scene for scene in library if scene["clip_url"] is None)
    assert without["media_url"] is None and without["source_media_url"]
    assert without["end_seconds"] > without["start_seconds"]
    with_clip = next(scene for scene in library if scene["clip_url"])
    assert with_clip["media_url"] == with_clip["clip_url"]


def test_other_workspace_has_its_own_library(sandbox, library):
    import httpx

    with httpx.Client(base_url=sandbox.url, headers={"Authorization": f"Bearer {sandbox.keys['other']}"}) as other:
        theirs = everything(other)
        assert theirs and not ({s["id"] for s in theirs} & {s["id"] for s in library})
        assert other.get(f"/assets/{library[0]['id']}").status_code == 404


def test_created_filters_take_iso_dates(api):
    assert api.get("/assets", params={"created_after": "last week"}).status_code == 400
    found = everything(api, created_after="2026-01-01", created_before=datetime.now().isoformat())
    assert found

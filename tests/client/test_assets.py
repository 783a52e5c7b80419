"""Asset Library: search with every filter, listing, one scene with its search context, and uploads."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sume_notebook import Asset, AsyncSume, InvalidRequestError
from sume_notebook.sandbox import SandboxHandle


async def test_search_pages_and_scores(client: AsyncSume) -> None:
    scenes = await client.assets.search("product demo hook", limit=5, max_items=12).to_list()
    assert len(scenes) == 12 and all(isinstance(s, Asset) for s in scenes)
    assert all(s.search_score is not None for s in scenes)
    pages = [p async for p in client.assets.search("product demo hook", limit=5).pages()]
    assert len(pages) >= 2 and all(len(p) <= 5 for p in pages)
    assert pages[-1].next_cursor is None and pages[0].next_cursor


async def test_every_filter_and_sort(client: AsyncSume) -> None:
    since = datetime.now(timezone.utc) - timedelta(days=3650)
    found = await client.assets.search(
        None, source_type="generated", segment_type="hook", cta_present=False, min_duration=1, max_duration=20,
        created_after=since, created_before=datetime.now(timezone.utc), sort="duration_desc", limit=50,
    ).to_list()
    assert found and all(s.source_type == "generated" and s.segment_type == "hook" and s.cta_present is False for s in found)
    durations = [s.duration_seconds for s in found]
    assert durations == sorted(durations, reverse=True)
    sample = found[0]
    for name, values in (("brand", sample.brands), ("tag", sample.tags), ("keyword", sample.keywords),
                         ("product", sample.products)):
        if values:
            hits = await client.assets.search(None, **{name: values[0]}).to_list()
            assert sample.id in {h.id for h in hits}
    listed = await client.assets.list(sort="created_at_asc", max_items=10).to_list()
    times = [s.created_at for s in listed]
    assert times == sorted(times) and all(s.search_score is None for s in listed)


async def test_relevance_without_a_query_is_the_default_order(client: AsyncSume) -> None:
    """The seeds list relevance as a plain sort option: without a query there is nothing to rank by."""
    plain = [a.id for a in await client.assets.search(limit=5, max_items=5).to_list()]
    assert [a.id for a in await client.assets.search(sort="relevance", limit=5, max_items=5).to_list()] == plain


async def test_search_rules(client: AsyncSume, sb: SandboxHandle) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        client.assets.search("x", search_mode="vector", sort="best", cta_present="yes", min_duration=9, max_duration=2,
                             created_after="last week", limit=0)
    assert {f.field for f in caught.value.fields} == {"search_mode", "sort", "cta_present", "min_duration", "created_after", "limit"}
    with pytest.raises(TypeError):
        client.assets.search("x", colour="red")  # type: ignore[call-arg]
    assert sb.stats()["requests"] == {}


async def test_get_passes_search_context_and_never_a_zero_score(client: AsyncSume, sb: SandboxHandle) -> None:
    [hit] = await client.assets.search("product demo", max_items=1).to_list()
    scene = await client.assets.get(hit)
    assert scene.id == hit.id and scene.search and scene.search["query"] == "product demo"
    [listed] = await client.assets.list(max_items=1).to_list()
    assert listed.search_score is None
    plain = await client.assets.get(listed.id)
    assert plain.id == listed.id


async def test_preview_url_falls_back_from_clip(client: AsyncSume) -> None:
    scenes = await client.assets.list(limit=100, max_items=300).to_list()
    without_clip = [s for s in scenes if not s.clip_url]
    assert without_clip, "the sandbox seeds scenes without clips"
    for scene in without_clip:
        assert scene.preview_url == (scene.media_url or scene.source_media_url)
    frame = await client.assets.list(limit=100, max_items=300).to_pandas(full_urls=True)
    expected = [s.clip_url or s.media_url or s.source_media_url for s in scenes]
    assert list(frame["preview_url"]) == expected


async def test_upload_into_the_library_then_search(client: AsyncSume, sample_video: Path) -> None:
    finalized = await client.assets.upload(sample_video, title="Client upload test")
    assert finalized.job.status == "completed" and finalized.id and finalized.job_id == finalized.job.id
    uploaded = await client.assets.search(None, source_type="upload", sort="created_at_desc", max_items=50).to_list()
    assert any((s.source_video or {}).get("title") == "Client upload test" for s in uploaded)


async def test_finalize_bytes_uploaded_earlier(client: AsyncSume, sb: SandboxHandle, sample_video: Path) -> None:
    """003: presign, send the bytes, then finalize them as a step of its own."""
    with pytest.raises(InvalidRequestError) as caught:
        await client.assets.finalize("")
    assert [f.field for f in caught.value.fields] == ["object_key"] and sb.stats()["requests"] == {}
    upload = await client.uploads.upload_file(sample_video, "asset_library_video")
    finalized = await client.assets.finalize(upload.object_key or "", wait=True)
    assert finalized.job.status == "completed" and finalized.job_id == finalized.job.id

"""DataFrames: typed columns without a fixed schema, and pandas imported only when a frame is asked for."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pandas as pd
import pytest

from sume_notebook import AsyncSume, history

from .variant_server import BASE_URL, VariantServer


async def test_asset_frame_types(client: AsyncSume) -> None:
    frame = await client.assets.list(limit=50, max_items=120).to_pandas()
    assert len(frame) == 120
    assert isinstance(frame["created_at"].dtype, pd.DatetimeTZDtype)
    for name in ("start_seconds", "end_seconds", "duration_seconds", ):
        assert frame[name].dtype == float
    assert isinstance(frame["source_type"].dtype, pd.CategoricalDtype)
    assert isinstance(frame["segment_type"].dtype, pd.CategoricalDtype)
    assert frame["cta_present"].dtype == bool and frame["id"].dtype == "string"
    assert all(isinstance(v, list) for v in frame["tags"])
    assert frame["preview_url"].notna().all() and not frame["preview_url"].str.contains("token=").any()
    scored = await client.assets.search("product demo", max_items=5).to_pandas()
    assert scored["search_score"].dtype == float and scored["search_score"].notna().all()
    full = await client.assets.search("product demo", max_items=5).to_pandas(full_urls=True)
    assert full["preview_url"].str.contains("token=").all()


@pytest.fixture
async def variants() -> AsyncIterator[AsyncSume]:
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=VariantServer().app))
    async with AsyncSume(api_key="sume_test_frames", base_url=BASE_URL, http_client=http, journal=False) as c:
        yield c
    await http.aclose()


async def test_new_fields_become_columns_and_missing_ones_nan(variants: AsyncSume) -> None:
    frame = await variants.jobs.list(type="evolving").to_pandas()
    assert list(frame["id"]) == ["job_old", "job_new"]
    assert pd.isna(frame.loc[0, "priority"]) and frame.loc[1, "priority"] == "high"
    assert frame.loc[1, "cost_credits"] == 4 and frame.loc[1, "tags"] == ["a", "b"]
    assert isinstance(frame["created_at"].dtype, pd.DatetimeTZDtype) and frame["progress"].dtype == float


async def test_history_frame(client: AsyncSume) -> None:
    job = await client.images.generate("frame me")
    await job.wait()
    frame = history()
    assert frame.loc[0, "job_id"] == job.id and frame.loc[0, "request_prompt"] == "frame me"
    assert isinstance(frame["created_at"].dtype, pd.DatetimeTZDtype)
    assert isinstance(frame["status"].dtype, pd.CategoricalDtype)

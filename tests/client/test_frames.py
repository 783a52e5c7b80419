"""DataFrames: typed columns without a fixed schema, and pandas imported only when a frame is asked for."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sume_notebook import AsyncSume, history
from sume_notebook.client._frames import records_frame

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


FIELDS = st.sampled_from(["id", "job_id", "created_at", "status", "search_score", "duration_seconds", "cta_present",
                          "title", "tags"])
VALUES = (st.none() | st.just(float("nan")) | st.booleans() | st.integers(-1000, 1000)
          | st.floats(allow_nan=False, allow_infinity=False, width=32)
          | st.sampled_from(["2026-01-02T03:04:05Z", "2026-01-02T03:04:05.250+02:00", "hook", "", "7"])
          | st.lists(st.sampled_from(["a", "b"]), max_size=2))


def _typed_the_plain_way(records: list[dict[str, object]]) -> pd.DataFrame:
    """The typing rules of `_frames` applied the obvious way: pandas reads every column, then each is converted."""
    names = list(dict.fromkeys(name for record in records for name in record))
    frame = pd.DataFrame({name: [record.get(name) for record in records] for name in names},
                         index=pd.RangeIndex(len(records)), columns=names)
    for name in names:
        values = [record.get(name) for record in records]
        seen = {type(v) for v in values} - {type(None)}
        column = frame[name]
        if not seen or not column.notna().any() or list in seen:
            continue
        if name.endswith("_at"):
            frame[name] = pd.to_datetime(column, utc=True, errors="coerce", format="ISO8601")
        elif name.endswith("id"):
            frame[name] = column.astype("string")
        elif seen == {bool}:
            frame[name] = column.astype("boolean" if None in values else bool)
        elif name.endswith(("_score", "_seconds")):
            frame[name] = pd.to_numeric(column, errors="coerce").astype(float)
        elif name == "status":
            frame[name] = column.astype("category")
    return frame


@pytest.mark.filterwarnings("ignore:Parsing integer or float values with a format")  # a number in a time field
@settings(deadline=None, max_examples=200)
@given(records=st.lists(st.dictionaries(FIELDS, VALUES, max_size=6), min_size=1, max_size=6))
def test_each_column_is_typed_as_pandas_would_read_and_convert_it(records: list[dict[str, object]]) -> None:
    expected = _typed_the_plain_way(records)
    typed = records_frame(records)
    assert [str(dtype) for dtype in typed.dtypes] == [str(dtype) for dtype in expected.dtypes]
    pd.testing.assert_frame_equal(typed, expected)

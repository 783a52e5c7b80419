"""A library read as several time windows at once is the same frame, row for row, as one read page after page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pandas as pd
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from sume_notebook import AsyncSume, InvalidRequestError, SumeError
from sume_notebook.sandbox import SandboxHandle

BASE_URL = "http://localhost/api/v1"


@pytest.fixture
async def seen(sb: SandboxHandle) -> AsyncIterator[tuple[AsyncSume, list[httpx.URL]]]:
    """A client of the session sandbox over a real socket, and the URL of every request it sends."""
    urls: list[httpx.URL] = []

    async def note(request: httpx.Request) -> None:
        urls.append(request.url)

    async with httpx.AsyncClient(event_hooks={"request": [note]}) as http, \
            AsyncSume(api_key=sb.api_key, base_url=sb.url, http_client=http, journal=False) as client:
        yield client, urls


@pytest.mark.parametrize("filters", [{}, {"sort": "created_at_asc"}, {"brand": "Lumen"},
                                     {"segment_type": "hook", "sort": "created_at_desc"}])
async def test_windows_give_the_frame_of_one_page_after_page(seen: tuple[AsyncSume, list[httpx.URL]],
                                                             filters: dict[str, str]) -> None:
    client, urls = seen
    one_by_one = await client.assets.list(limit=10, **filters).to_pandas(windows=1)
    assert not any("created_before" in url.params for url in urls)
    assert len(one_by_one) > 20  # several pages, so there is something to cut
    for windows in (2, 3, 7, 16):
        urls.clear()
        pd.testing.assert_frame_equal(await client.assets.list(limit=10, **filters).to_pandas(windows=windows),
                                      one_by_one)
        cut = {(url.params.get("created_after"), url.params.get("created_before")) for url in urls}
        assert len(cut - {(None, None)}) == windows  # each window was asked for by its bounds


async def test_a_one_page_list_is_read_once(seen: tuple[AsyncSume, list[httpx.URL]]) -> None:
    client, urls = seen
    frame = await client.assets.list(limit=100, brand="Lumen", segment_type="cta").to_pandas()
    assert len(urls) == 1 and 0 < len(frame) < 100


async def test_a_query_or_a_limit_is_read_page_after_page(seen: tuple[AsyncSume, list[httpx.URL]]) -> None:
    client, urls = seen
    await client.assets.search("product demo", limit=20, max_items=60).to_pandas()
    await client.assets.list(limit=20, max_items=60).to_pandas()
    assert urls and not any("created_before" in url.params for url in urls)


@pytest.mark.parametrize("windows", [0, -1, 1.5, True, "3"])
async def test_a_window_count_that_is_not_a_whole_number_is_refused(client: AsyncSume, windows: Any) -> None:
    with pytest.raises(InvalidRequestError, match="windows"):
        await client.assets.list().to_pandas(windows=windows)


class OtherBounds:
    """A library whose time filters may read their bounds otherwise than the sandbox (which takes `created_after`
    inclusive and `created_before` exclusive), with ten scenes in each second: windows must neither lose nor
    repeat a scene, whichever reading the service has."""

    def __init__(self, after_inclusive: bool, before_inclusive: bool) -> None:
        self.after_inclusive, self.before_inclusive = after_inclusive, before_inclusive
        start = datetime(2026, 1, 1, tzinfo=timezone.utc)
        self.scenes = [{"object": "asset", "id": f"scn_{n:03d}", "source_type": "upload", "duration_seconds": 2.0,
                        "created_at": (start + timedelta(seconds=n // 10)).strftime("%Y-%m-%dT%H:%M:%SZ")}
                       for n in range(120)]
        self.app = Starlette(routes=[Route("/api/v1/assets", self.assets)])

    async def assets(self, request: Request) -> JSONResponse:
        query = request.query_params
        newest_first = query.get("sort", "created_at_desc") == "created_at_desc"
        after, before = query.get("created_after"), query.get("created_before")
        found = [s for s in self.scenes
                 if (after is None or s["created_at"] > after or (self.after_inclusive and s["created_at"] == after))
                 and (before is None or s["created_at"] < before
                      or (self.before_inclusive and s["created_at"] == before))]
        found.sort(key=lambda s: s["id"])
        found.sort(key=lambda s: s["created_at"], reverse=newest_first)
        offset, limit = int(query.get("cursor", 0)), int(query.get("limit", 20))
        more = offset + limit < len(found)
        page = found[offset:offset + limit]
        return JSONResponse({"data": page, "next_cursor": str(offset + limit) if more else None})


@pytest.mark.parametrize("sort", [None, "created_at_asc"])
@pytest.mark.parametrize(("after_inclusive", "before_inclusive"), [(False, True), (False, False), (True, True)])
async def test_windows_neither_lose_nor_repeat_scenes_at_their_edges(
    sort: str | None, after_inclusive: bool, before_inclusive: bool
) -> None:
    server = OtherBounds(after_inclusive, before_inclusive)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=server.app)) as http, \
            AsyncSume(api_key="sume_test_fake-windows", base_url=BASE_URL, http_client=http, journal=False) as client:
        one_by_one = await client.assets.list(limit=7, sort=sort).to_pandas(windows=1)
        assert len(one_by_one) == 120
        for windows in (2, 3, 5):
            pd.testing.assert_frame_equal(await client.assets.list(limit=7, sort=sort).to_pandas(windows=windows),
                                          one_by_one)


class FailingWindow(OtherBounds):
    """The same library, whose windows bounded above fail with a server error."""

    async def assets(self, request: Request) -> JSONResponse:
        if "created_before" in request.query_params:
            return JSONResponse({"error": {"code": "internal_error", "message": "boom"}}, status_code=500)
        return await super().assets(request)


async def test_a_window_that_fails_fails_the_read() -> None:
    server = FailingWindow(True, False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=server.app)) as http, \
            AsyncSume(api_key="sume_test_fake-windows", base_url=BASE_URL, http_client=http, journal=False,
                      max_retries=0) as client:
        with pytest.raises(SumeError):
            await client.assets.list(limit=7).to_pandas(windows=3)

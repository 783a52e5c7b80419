"""Cursor pagination: iterate items across pages, or take pages, or a DataFrame of everything."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._errors import FieldError, InvalidRequestError
from ._frames import Columns, redact_url_columns
from ._time_windows import DEFAULT_WINDOWS, read_in_windows, windowable
from .reprs import Card, Rendered, page_card, paginator_card

if TYPE_CHECKING:
    import pandas as pd

    from ._client import AsyncSume

__all__ = ["AsyncPaginator", "Listing", "Page", "list_items", "list_total"]

T = TypeVar("T")


def list_items(body: Any) -> tuple[list[Any], str | None]:
    """Items and the next cursor from a list answer: `data`, `items` or a bare array; no cursor ends paging."""
    if isinstance(body, list):
        return body, None
    if not isinstance(body, Mapping):
        return [], None
    items = body.get("data")
    if items is None:
        items = body.get("items")
    cursor = body.get("next_cursor")
    if body.get("has_more") is False:
        cursor = None
    return (items if isinstance(items, list) else []), (str(cursor) if cursor else None)


def list_total(body: Any) -> int | None:
    """How many items the whole list holds, when the service says (`total` or `total_count`); else None."""
    if not isinstance(body, Mapping):
        return None
    for key in ("total", "total_count"):
        value = body.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
    return None


@dataclass
class Page(Rendered, Generic[T]):
    """One page of a list: its items, the cursor of the next page (None on the last), the request id, and the
    size of the whole list when the service gives it."""

    items: list[T]
    next_cursor: str | None
    request_id: str | None
    total: int | None = None

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def card(self) -> Card:
        """This object as a person reads it (its HTML, its IPython text and the magics' card)."""
        return page_card(self)


@dataclass
class Listing(Generic[T]):
    """What a list command shows: the items of the pages read, their frame (URLs without query), and the cursor a
    script continues from (`next_cursor`, None after the last page)."""

    items: list[T]
    frame: pd.DataFrame
    next_cursor: str | None


class AsyncPaginator(Rendered, Generic[T]):
    """A lazy list: `async for item in it`, `it.pages()`, `await it.to_list()`, `await it.to_pandas()`.

    Nothing is requested until iteration starts; `max_items` stops early across pages.
    """

    def __init__(
        self,
        client: AsyncSume,
        path: str,
        params: Mapping[str, Any],
        parse: Callable[[Any, str | None], T],
        frame: Callable[[Columns | list[dict[str, Any]]], pd.DataFrame],
        max_items: int | None = None,
    ) -> None:
        self._client = client
        self._path = path
        self._params = {k: v for k, v in params.items() if v is not None}
        self._parse = parse
        self._frame = frame
        if max_items is not None and (isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 0):
            raise InvalidRequestError([FieldError("max_items", "must be a whole number >= 0")])
        self._max_items = max_items

    @property
    def path(self) -> str:
        """The list's route, such as `/assets`."""
        return self._path

    @property
    def params(self) -> dict[str, Any]:
        """The filters it was asked with (without the ones left out)."""
        return dict(self._params)

    async def _raw_pages(self) -> AsyncIterator[tuple[list[Any], str | None, str | None, int | None]]:
        """Each page's records as received, its next cursor, request id and the list's total when the service
        gives it; `max_items` cuts the last one."""
        cursor = self._params.get("cursor")
        seen = 0
        while True:
            params = {**self._params, **({"cursor": cursor} if cursor else {})}
            response = await self._client._get(self._path, params)
            raw, cursor = list_items(response.data)
            if self._max_items is not None:
                raw = raw[: max(0, self._max_items - seen)]
            seen += len(raw)
            yield raw, cursor, response.request_id, list_total(response.data)
            if not cursor or (self._max_items is not None and seen >= self._max_items):
                return

    async def pages(self) -> AsyncIterator[Page[T]]:
        async for raw, cursor, request_id, total in self._raw_pages():
            yield Page([self._parse(item, request_id) for item in raw], cursor, request_id, total)

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.items:
                yield item

    async def to_list(self) -> list[T]:
        return [item async for item in self]

    async def raw_pages_ahead(self) -> AsyncIterator[tuple[list[Any], str | None]]:
        """Each page's records as received and its next cursor, the next page requested while the caller works
        on this one (it is sent before this page is handed over)."""
        async with contextlib.aclosing(self._raw_pages()) as raw_pages:  # type: ignore[type-var]  # an async generator
            pending: asyncio.Future[Any] | None = asyncio.ensure_future(anext(raw_pages))
            try:
                while pending is not None:
                    try:
                        raw, cursor, _, _ = await pending
                    except StopAsyncIteration:
                        return
                    pending = None
                    if cursor:
                        pending = asyncio.ensure_future(anext(raw_pages))
                        await asyncio.sleep(0)  # let it send its request before this page is read in
                    yield raw, cursor
            finally:
                if pending is not None and not pending.done():
                    pending.cancel()
                    with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                        await pending

    async def first_page(self, overrides: Mapping[str, Any] | None = None) -> tuple[list[Any], bool]:
        """The records of the list's first page (with some parameters changed) and whether more pages follow."""
        response = await self._client._get(self._path, {**self._params, **(overrides or {})})
        records, cursor = list_items(response.data)
        return records, cursor is not None

    def narrowed(self, params: Mapping[str, Any]) -> AsyncPaginator[T]:
        """The same list with more (or other) parameters."""
        return AsyncPaginator(self._client, self._path, {**self._params, **params}, self._parse, self._frame,
                              self._max_items)

    async def columns(self, windows: int = DEFAULT_WINDOWS) -> Columns:
        """Every page's records gathered as columns: no model object per row, each page's dicts dropped once their
        values are in the columns, the next page on its way meanwhile. A list ordered by creation time is read as
        `windows` time windows at once (see `_time_windows`); `windows=1` reads it page after page."""
        if windows > 1 and windowable(self._path, self._params, self._max_items):
            read = await read_in_windows(self, windows)
            if read is not None:
                return read
        columns = Columns()
        async with contextlib.aclosing(self.raw_pages_ahead()) as pages:  # type: ignore[type-var]  # an async generator
            async for raw, _ in pages:
                columns.add(raw)
        return columns

    async def to_pandas(self, *, full_urls: bool = False, windows: int = DEFAULT_WINDOWS) -> pd.DataFrame:
        """All items as a typed DataFrame; URLs lose their query (tokens) unless `full_urls=True`. A list in
        creation-time order (the Asset Library's, without a query) is read as `windows` time windows at once, the
        same rows in the same order; `windows=1` reads it page after page."""
        if isinstance(windows, bool) or not isinstance(windows, int) or windows < 1:
            raise InvalidRequestError([FieldError("windows", "must be a whole number >= 1")])
        frame = self._frame(await self.columns(windows))
        return frame if full_urls else redact_url_columns(frame)

    async def listing(self, pages: int | None = 1) -> Listing[T]:
        """The first `pages` pages (None: every page) and the cursor after them, read once. Leave `max_items` out:
        a page it cuts short would make that cursor skip the rest of the page."""
        items: list[T] = []
        cursor: str | None = None
        read = 0
        async with contextlib.aclosing(self.pages()) as read_pages:  # type: ignore[type-var]  # an async generator
            async for page in read_pages:
                items.extend(page.items)
                cursor, read = page.next_cursor, read + 1
                if pages is not None and read >= pages:
                    break
        frame = redact_url_columns(self._frame([getattr(item, "raw", item) for item in items]))
        return Listing(items, frame, cursor)

    def card(self) -> Card:
        """This object as a person reads it (its HTML, its IPython text and the magics' card)."""
        return paginator_card(self)

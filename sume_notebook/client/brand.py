"""`GET /brand` and `GET /brand/current`: Brand DNA profiles and their reference images."""

from __future__ import annotations

from ._creating import Resource
from ._frames import records_frame
from ._models import Brand
from ._pagination import AsyncPaginator
from ._validation import checked

__all__ = ["BrandDNA"]


class BrandDNA(Resource):
    def list(
        self, *, limit: int | None = None, cursor: str | None = None, max_items: int | None = None
    ) -> AsyncPaginator[Brand]:
        """Brand DNA profiles visible to the workspace; `cursor` continues from a page's `next_cursor`."""
        with checked() as c:
            c.number("limit", limit, low=1, integer=True)
            c.text("cursor", cursor)
        return AsyncPaginator(
            self._client, "/brand", {"limit": limit, "cursor": cursor}, lambda item, _: Brand.from_api(item), records_frame, max_items
        )

    async def current(self) -> Brand:
        """The workspace's current Brand DNA profile (`.reference_urls` feed image generation)."""
        return Brand.from_api((await self._client._get("/brand/current")).data)

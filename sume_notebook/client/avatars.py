"""`GET /avatars` and `GET /avatars/{id}`."""

from __future__ import annotations

from urllib.parse import quote

from ._creating import Resource
from ._frames import records_frame
from ._models import Avatar
from ._pagination import AsyncPaginator
from ._validation import checked

__all__ = ["Avatars"]


class Avatars(Resource):
    def list(
        self, *, limit: int | None = None, cursor: str | None = None, max_items: int | None = None
    ) -> AsyncPaginator[Avatar]:
        """Public and workspace avatars usable by this key; `cursor` continues from a page's `next_cursor`."""
        with checked() as c:
            c.number("limit", limit, low=1, integer=True)
            c.text("cursor", cursor)
        return AsyncPaginator(
            self._client, "/avatars", {"limit": limit, "cursor": cursor}, lambda item, _: Avatar.from_api(item), records_frame, max_items
        )

    async def get(self, avatar_id: str) -> Avatar:
        """One avatar with its media and capabilities."""
        with checked() as c:
            c.text("avatar_id", avatar_id, required=True)
        return Avatar.from_api((await self._client._get(f"/avatars/{quote(avatar_id, safe='')}")).data)

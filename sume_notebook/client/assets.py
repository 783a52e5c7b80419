"""The Asset Library: scene search and listing, one scene, and uploading a video into the library."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ._creating import Resource
from ._frames import assets_frame
from ._library_sync import CHECKPOINT_ROWS, SyncReport, sync_scenes
from ._models import Asset, AssetUpload
from ._pagination import AsyncPaginator
from ._validation import checked, without_none
from .uploads import _check_file

__all__ = ["ASSET_SORTS", "Assets"]

SEARCH_MODES = ("auto", "text")
ASSET_SORTS = ("relevance", "created_at_desc", "created_at_asc", "duration_desc")


class Assets(Resource):
    def search(
        self,
        query: str | None = None,
        *,
        search_mode: str | None = None,
        source_type: str | None = None,
        segment_type: str | None = None,
        brand: str | None = None,
        product: str | None = None,
        tag: str | None = None,
        keyword: str | None = None,
        cta_present: bool | None = None,
        min_duration: float | None = None,
        max_duration: float | None = None,
        created_after: datetime | str | None = None,
        created_before: datetime | str | None = None,
        sort: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        max_items: int | None = None,
    ) -> AsyncPaginator[Asset]:
        """Search indexed scenes (or list them, without `query`). Every filter and sort of the seeds.

        With a query, `search_mode` defaults to `text` as in the Sume CLI. `limit` is the page size; `max_items`
        stops iteration across pages. `to_pandas()` gives a typed frame with a `preview_url` column.
        """
        with checked() as c:
            low = c.number("min_duration", min_duration, low=0)
            high = c.number("max_duration", max_duration, low=0)
            if low is not None and high is not None and low > high:
                c.add("min_duration", "must not exceed max_duration")
            params = without_none(
                q=c.text("query", query),
                search_mode=c.choice("search_mode", search_mode, SEARCH_MODES) or ("text" if query else None),
                source_type=c.text("source_type", source_type),
                segment_type=c.text("segment_type", segment_type),
                brand=c.text("brand", brand),
                product=c.text("product", product),
                tag=c.text("tag", tag),
                keyword=c.text("keyword", keyword),
                cta_present={True: "true", False: "false"}.get(c.boolean("cta_present", cta_present)),  # type: ignore[call-overload]
                min_duration=low,
                max_duration=high,
                created_after=c.timestamp("created_after", created_after),
                created_before=c.timestamp("created_before", created_before),
                sort=c.choice("sort", sort, ASSET_SORTS),
                limit=c.number("limit", limit, low=1, integer=True),
                cursor=c.text("cursor", cursor),
            )
        return AsyncPaginator(
            self._client, "/assets", params, lambda item, _: Asset.from_api(item), assets_frame, max_items
        )

    def list(self, **filters: Any) -> AsyncPaginator[Asset]:
        """All indexed scenes, newest first unless `sort=` says otherwise; takes `search`'s filters."""
        return self.search(None, **filters)

    async def sync(self, directory: str | os.PathLike[str], *, full: bool = False,
                   checkpoint_rows: int = CHECKPOINT_ROWS) -> SyncReport:
        """Mirror the whole Asset Library into `directory` as a Parquet dataset (needs the `analytics` extra).

        Hive-partitioned by `source_type` and `month`, typed as `to_pandas()` types them, URLs without their
        tokens. The next sync reads only scenes created since the newest one mirrored; `full=True` reads all
        again. Safe to interrupt: files are replaced whole, and the next run continues where this one stopped.
        Query it with `sume_notebook.library(directory)`.
        """
        return await sync_scenes(self._client, directory, full=full, checkpoint_rows=checkpoint_rows)

    async def get(
        self,
        asset_id: str | Asset,
        query: str | None = None,
        search_mode: str | None = None,
        search_score: float | None = None,
    ) -> Asset:
        """One scene. Given an `Asset` from a search, its search context (query, mode, score) is passed along;
        the score is sent only when it is known, never a 0 placeholder."""
        if isinstance(asset_id, Asset):
            context: Mapping[str, Any] = asset_id.search or {}
            query = query if query is not None else context.get("query")
            search_mode = search_mode if search_mode is not None else context.get("mode")
            search_score = search_score if search_score is not None else asset_id.search_score
            asset_id = asset_id.id or ""
        with checked() as c:
            c.text("asset_id", asset_id, required=True)
            params = without_none(
                query=c.text("query", query),
                search_mode=c.choice("search_mode", search_mode, SEARCH_MODES),
                search_score=c.number("search_score", search_score),
            )
        response = await self._client._get(f"/assets/{quote(asset_id, safe='')}", params)
        return Asset.from_api(response.data)

    async def upload(
        self, path: str | os.PathLike[str], title: str | None = None, wait: bool = True, timeout: float | None = None
    ) -> AssetUpload:
        """Upload a video into the Asset Library and finalize it; with `wait`, return once its scenes are searchable."""
        with checked() as c:
            file, _ = _check_file(c, path)
            c.text("title", title)
        upload = await self._client.uploads.upload_file(file, "asset_library_video")
        return await self.finalize(upload.object_key or "", title or Path(file).stem, wait=wait, timeout=timeout)

    async def finalize(
        self, object_key: str, title: str | None = None, wait: bool = False, timeout: float | None = None
    ) -> AssetUpload:
        """Finalize bytes already uploaded to a presigned target (`POST /assets`): Asset Library processing starts.
        With `wait`, return once its scenes are searchable."""
        with checked() as c:
            c.text("object_key", object_key, required=True)
            c.text("title", title)
        body = without_none(object_key=object_key, title=title)
        created = await self._client._create("asset-upload", body)
        job = created.jobs[0]
        finalized = AssetUpload.from_api({**created.body, "job_id": job.id})
        finalized.job = job
        if wait:
            await job.wait(timeout)
            finalized.status = job.status
        return finalized

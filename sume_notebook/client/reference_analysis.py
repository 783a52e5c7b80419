"""`POST /reference-analysis`: analyse a public TikTok or Instagram Reel."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from ._creating import Resource, creates
from ._library_sync import SyncReport, sync_analyses
from ._validation import checked

__all__ = ["ReferenceAnalyses", "is_reel_url"]


def is_reel_url(url: str) -> bool:
    """A TikTok URL, or an Instagram Reel (`/reel/...` or `/reels/...`) URL."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host == "tiktok.com" or host.endswith(".tiktok.com"):
        return True
    is_instagram = host == "instagram.com" or host.endswith(".instagram.com")
    return is_instagram and parts.path.lstrip("/").split("/", 1)[0] in ("reel", "reels")


class ReferenceAnalyses(Resource):
    def prepare(self, url: str) -> dict[str, Any]:
        """The validated request body: `url` must be a public TikTok or Instagram Reel URL."""
        with checked() as c:
            checked_url = c.url("url", url, https=False)
            if checked_url is None and url is None:
                c.add("url", "is required")
            if checked_url and not is_reel_url(checked_url):
                c.add("url", "must be a public TikTok or Instagram Reel URL")
        return {"url": url}

    create = creates("analysis")(prepare)

    async def sync(self, directory: str | os.PathLike[str], analyses: Iterable[Any]) -> SyncReport:
        """Add analyses to the local mirror `directory` (see `assets.sync`): one row per scene under
        `analyses/scenes`, one per transcript segment under `analyses/transcripts`, keyed by the analysed URL.

        `analyses`: reference-analysis jobs (waited for), their ids, their results or `ReferenceAnalysis` objects.
        Analysing a URL again replaces its rows.
        """
        return await sync_analyses(self._client, directory, analyses)

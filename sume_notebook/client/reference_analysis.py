"""`POST /reference-analysis`: analyse a public TikTok or Instagram Reel."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ._creating import Resource, creates
from ._library_sync import SyncReport, sync_analyses
from ._validation import checked

if TYPE_CHECKING:
    from ._job import Job
    from ._reels import ReelSet

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

    async def analyze_many(
        self,
        urls: Iterable[str],
        max_concurrency: int | None = None,
        *,
        new: bool = False,
        timeout: float | None = None,
        on_update: Callable[[Job], Any] | None = None,
    ) -> ReelSet:
        """Analyse many reels and wait for them all: a `ReelSet` to compare, draw, export and match.

        Every URL is checked before anything is sent; the creates go through `submit_many` (paced to the
        workspace's capacity, `max_concurrency` at most, journalled). A reel this service and key analysed before
        (the journal remembers it) is read back rather than paid for again, unless `new=True`. An analysis that
        fails or times out (`timeout` per job) is left out and listed in `ReelSet.failed`.
        """
        from ._reels import analyze_many

        return await analyze_many(self._client, urls, max_concurrency, new=new, timeout=timeout, on_update=on_update)

    async def sync(self, directory: str | os.PathLike[str], analyses: Iterable[Any]) -> SyncReport:
        """Add analyses to the local mirror `directory` (see `assets.sync`): one row per scene under
        `analyses/scenes`, one per transcript segment under `analyses/transcripts`, keyed by the analysed URL.

        `analyses`: reference-analysis jobs (waited for), their ids, their results or `ReferenceAnalysis` objects.
        Analysing a URL again replaces its rows.
        """
        return await sync_analyses(self._client, directory, analyses)

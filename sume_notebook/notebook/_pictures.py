"""Tables that show their pictures: asset thumbnails and avatar faces as small images in a notebook's table.

A list's DataFrame keeps every column, URLs included (without their query), for the code that uses it. What a
person sees in the notebook is that frame without its URL columns and with one small picture per row, inlined as
a data URI: a media URL may carry a token, so no URL goes into the saved notebook. The pictures are fetched when the
table is first shown (never for `-o VAR`, `--json` or a terminal), a few at a time, and kept for the next display.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import httpx
import pandas as pd
from pandas.api.types import is_datetime64_any_dtype, is_numeric_dtype

from .._facade import unwrap
from ..client import SumeError
from ..client.stills import data_uri, downscale

if TYPE_CHECKING:
    from .._facade import Sume

__all__ = ["PICTURE_EDGE", "PicturedFrame", "pictured"]

PICTURE_EDGE = 64  # pixels: a face or a scene you can tell apart, in a row of text
_MAX_PICTURE_BYTES = 8 * 1024**2
_CONCURRENCY = 8
_URL_SUFFIXES = ("url", "urls")


def _escaped(value: Any) -> Any:
    """A cell as safe HTML text: strings and containers escaped, numbers, times and missing values as pandas shows
    them."""
    return html.escape(str(value)) if isinstance(value, (str, list, tuple, dict, set)) else value


class PicturedFrame(pd.DataFrame):
    """A DataFrame whose notebook HTML shows a `picture` column instead of its URL columns. Anything derived from
    it (a slice, a filter) is a plain DataFrame again."""

    _metadata = ["_picture_urls", "_client", "_pictures"]

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return pd.DataFrame

    def _repr_html_(self) -> str | None:
        if self._pictures is None:
            self._pictures = self._client.spawn(_fetch_all(unwrap(self._client), self._picture_urls)).result()
        shown = pd.DataFrame(self).drop(columns=[c for c in self.columns if str(c).endswith(_URL_SUFFIXES)])
        for name in shown.columns:  # every text-like column (object, string, category) escaped: a hostile name
            if not (is_numeric_dtype(shown[name]) or is_datetime64_any_dtype(shown[name])):
                shown[name] = shown[name].astype(object).map(_escaped)
        shown.columns = [html.escape(str(name)) for name in shown.columns]  # field names come from the service too
        shown.insert(0, "picture", [f'<img src="{uri}" alt="" style="max-height:{PICTURE_EDGE}px">' if uri else ""
                                    for uri in self._pictures])
        return shown.to_html(escape=False, max_rows=pd.get_option("display.max_rows"),
                             max_cols=pd.get_option("display.max_columns"), show_dimensions=False)


async def _fetch_one(client: Any, url: str | None, gate: asyncio.Semaphore) -> str | None:
    if not url:
        return None
    async with gate:
        try:
            return data_uri(downscale(await client.read_media(url, max_bytes=_MAX_PICTURE_BYTES), PICTURE_EDGE))
        except (SumeError, httpx.HTTPError, OSError):  # OSError: Pillow cannot read it; the row still shows
            return None


async def _fetch_all(client: Any, urls: Sequence[str | None]) -> list[str | None]:
    gate = asyncio.Semaphore(_CONCURRENCY)
    return list(await asyncio.gather(*(_fetch_one(client, url, gate) for url in urls)))


def pictured(frame: pd.DataFrame, items: Sequence[Any], attribute: str, client: Sume) -> PicturedFrame:
    """`frame` (one row per item) shown with each item's `attribute` (its picture's URL, as the service gave it)."""
    shown = PicturedFrame(frame)
    shown._picture_urls = [getattr(item, attribute, None) for item in items]
    shown._client = client
    shown._pictures = None
    return shown

"""`AssetBrowser`: search the Asset Library, see scenes as thumbnails with their times, play one, export a DataFrame.

Results come one page at a time with the service's cursors: the browser holds the page it shows and the cursors
that lead back to the earlier ones, never the whole result, so a library of 200,000 scenes pages as fast as a
small one. Thumbnails and scenes reach the browser as bytes (a media URL may carry a token that must not be saved
with the notebook). A scene plays from its clip, else its scene media, else the whole source video with the
scene's times.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ipywidgets

from ..._facade import Sume
from ..._redaction import redact
from ...client import ASSET_SORTS, Asset, AsyncSume, MediaTooLargeError, Page, SumeError
from ...client.reprs import esc
from ...client.stills import Still, data_uri, downscale
from .._problems import problem_from
from . import _dispatch
from ._base import SnapshotBox
from ._media import DEFAULT_MAX_VIDEO_BYTES, FETCH_ERRORS
from ._runner import runner_for_client
from ._snapshot import browser_snapshot
from ._throttle import Throttle

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AssetBrowser"]

SEGMENT_TYPES = ("hook", "cta", "product_demo", "testimonial", "b_roll", "problem", "solution", "unboxing",
                 "before_after", "offer")
_THUMBNAIL_BYTES = 8 * 1024**2
_PARALLEL_THUMBNAILS = 6
_SNAPSHOT_TILES = 8
# The player's height cap: a 9:16 clip at its own size would push the tiles off screen.
PLAYER_MAX_HEIGHT = 360
_FORM_FILTERS = ("source_type", "segment_type", "brand", "cta_present", "min_duration", "max_duration", "sort")


@dataclass(frozen=True)
class _Shown:
    """The page on screen: the search it belongs to, the cursor that fetched it (None: the first page), the
    cursors of the pages before it (to go back), where it starts, the cursor of the next page and the total."""

    query: str
    filters: dict[str, Any]
    cursor: str | None
    earlier: tuple[str | None, ...]
    first: int
    next_cursor: str | None
    total: int | None


def scene_caption(asset: Asset) -> str:
    start, end = asset.start_seconds or 0.0, asset.end_seconds
    times = f"{start:.1f}–{end:.1f} s" if end is not None else f"from {start:.1f} s"
    return f"{asset.segment_type or 'scene'} · {times}"


class AssetBrowser(SnapshotBox):
    """Scenes of the Asset Library matching a query and filters, `max_results` to a page (at most 100).

    `filters` are those of `client.assets.search` (source_type, segment_type, brand, cta_present, min_duration,
    max_duration, sort, and the rest). The first search starts at once; `browser.loaded` is the future of the page
    last asked for, `browser.assets` the scenes shown, `browser.dataframe` the last export. `next_page()` and
    `previous_page()` (the Next and Previous buttons) move through the results one page and one request at a time.
    """

    def __init__(
        self,
        client: Sume | AsyncSume | None = None,
        query: str = "",
        *,
        max_results: int = 24,
        tile_size: int = 160,
        max_video_bytes: int = DEFAULT_MAX_VIDEO_BYTES,
        **filters: Any,
    ) -> None:
        self._runner = runner_for_client(client)
        self._page_size = min(max_results, 100)  # the service's largest page
        self._tile_size = tile_size
        self._max_video_bytes = max_video_bytes
        self._throttle = Throttle()
        self._extra_filters = {k: v for k, v in filters.items() if k not in _FORM_FILTERS}
        self._shown: _Shown | None = None
        self._asked = 0  # the number of the last page asked for: an older answer arriving late is dropped
        self.assets: list[Asset] = []
        self._stills: dict[int, Still] = {}
        self._tiles: list[tuple[ipywidgets.Image, ipywidgets.Button]] = []
        self.dataframe: pd.DataFrame | None = None
        self.exported: concurrent.futures.Future[pd.DataFrame] | None = None
        self.playing: concurrent.futures.Future[None] | None = None

        self._query = ipywidgets.Text(value=query, placeholder="Search scenes", layout=ipywidgets.Layout(width="260px"))
        self._source = _dropdown([("any source", None), ("generated", "generated"), ("upload", "upload")],
                                 filters.get("source_type"))
        segments = list(SEGMENT_TYPES)
        if filters.get("segment_type") and filters["segment_type"] not in segments:
            segments.append(filters["segment_type"])  # a type this version does not know yet still filters
        self._segment = _dropdown([("any", None), *((s.replace("_", " "), s) for s in segments)],
                                  filters.get("segment_type"), description="segment")
        self._brand = ipywidgets.Text(value=filters.get("brand") or "", placeholder="any", description="brand",
                                      style={"description_width": "auto"}, layout=ipywidgets.Layout(width="160px"))
        self._cta = _dropdown([("CTA or not", None), ("with CTA", True), ("without CTA", False)], filters.get("cta_present"))
        self._min = ipywidgets.BoundedFloatText(value=filters.get("min_duration") or 0, min=0, max=3600,
                                                description="min s", layout=_narrow())
        self._max = ipywidgets.BoundedFloatText(value=filters.get("max_duration") or 0, min=0, max=3600,
                                                description="max s (0: any)", style={"description_width": "auto"},
                                                layout=_narrow())
        self._sort = _dropdown([("default order", None), *((s.replace("_", " "), s) for s in ASSET_SORTS)], filters.get("sort"))
        search = ipywidgets.Button(description="Search", icon="search", button_style="primary")
        search.on_click(lambda _: self.search())
        export = ipywidgets.Button(description="Export", icon="table", tooltip="Put the results in browser.dataframe")
        export.on_click(lambda _: self.export())
        self._status = ipywidgets.HTML()
        self._previous = ipywidgets.Button(description="Previous", icon="chevron-left", disabled=True,
                                           tooltip="The page before this one", layout=_unshrinking())
        self._previous.on_click(lambda _: self.previous_page())
        self._next = ipywidgets.Button(description="Next", icon="chevron-right", disabled=True,
                                       tooltip="The next page of scenes", layout=_unshrinking())
        self._next.on_click(lambda _: self.next_page())
        self._grid = ipywidgets.GridBox(layout=ipywidgets.Layout(
            grid_template_columns=f"repeat(auto-fill, minmax({tile_size + 8}px, 1fr))", grid_gap="6px"))
        self._video = ipywidgets.Video(format="mp4", autoplay=True, loop=False, controls=True, layout=ipywidgets.Layout(
            max_height=f"{PLAYER_MAX_HEIGHT}px", max_width="100%", width="auto", object_fit="contain",
            align_self="flex-start"))  # not stretched to the row: its width follows its height and aspect
        self._caption = ipywidgets.HTML()
        self._player = ipywidgets.VBox([self._caption])
        super().__init__([
            ipywidgets.HBox([self._query, search, export, self._previous, self._next, self._status]),
            ipywidgets.HBox([self._source, self._segment, self._brand, self._cta]),
            ipywidgets.HBox([self._min, self._max, self._sort]),
            self._player,
            self._grid,
        ])
        self.loaded: concurrent.futures.Future[list[Asset]] = self.search()

    # --- public -------------------------------------------------------------------------------------------------

    def search(self) -> concurrent.futures.Future[list[Asset]]:
        """Search with the form's query and filters from the first page; sets and returns `browser.loaded`."""
        return self._ask(_Shown(self._query.value.strip(), self.filters(), None, (), 0, None, None), "Searching…")

    def next_page(self) -> concurrent.futures.Future[list[Asset]]:
        """Show the page after this one (the same search, the service's next cursor); sets `browser.loaded`."""
        shown = self._shown
        if shown is None or shown.next_cursor is None:
            raise SumeError("There is no next page: this is the last page of the results.")
        return self._ask(_Shown(shown.query, shown.filters, shown.next_cursor, (*shown.earlier, shown.cursor),
                                shown.first + len(self.assets), None, shown.total), "Loading the next page…")

    def previous_page(self) -> concurrent.futures.Future[list[Asset]]:
        """Show the page before this one, read again with its own cursor; sets `browser.loaded`."""
        shown = self._shown
        if shown is None or not shown.earlier:
            raise SumeError("There is no previous page: this is the first page of the results.")
        return self._ask(_Shown(shown.query, shown.filters, shown.earlier[-1], shown.earlier[:-1],
                                max(0, shown.first - self._page_size), None, shown.total), "Loading the previous page…")

    def filters(self) -> dict[str, Any]:
        """The filters as `client.assets.search` takes them (unset ones left out)."""
        form = {
            "source_type": self._source.value, "segment_type": self._segment.value,
            "brand": self._brand.value.strip() or None, "cta_present": self._cta.value,
            "min_duration": self._min.value or None, "max_duration": self._max.value or None, "sort": self._sort.value,
        }
        return {**self._extra_filters, **{k: v for k, v in form.items() if v is not None}}

    def export(self) -> concurrent.futures.Future[pd.DataFrame]:
        """The scenes shown as a DataFrame (URLs without their query), also kept as `browser.dataframe`.

        For every result of a search, use `client.assets.search(...).to_pandas()`.
        """
        if self._shown is None:
            raise SumeError("Nothing to export yet: run a search first.")
        self.exported = self._runner.start(self._export(self._shown))
        return self.exported

    def play(self, index: int) -> concurrent.futures.Future[None]:
        """Load scene `index` of the search's results into the player (once the search is done); sets and
        returns `browser.playing`."""
        self.playing = self._runner.start(self._play(self.loaded, index))
        return self.playing

    # --- work on the client's loop ------------------------------------------------------------------------------

    def _ask(self, wanted: _Shown, status: str) -> concurrent.futures.Future[list[Asset]]:
        self._asked += 1
        self._set_status(status)
        self.loaded = self._runner.start(self._show_page(wanted, self._asked))
        return self.loaded

    def _page_request(self, shown: _Shown, max_items: int | None = None) -> Any:
        return self._runner.client.assets.search(shown.query or None, limit=self._page_size,
                                                 cursor=shown.cursor, max_items=max_items, **shown.filters)

    async def _show_page(self, wanted: _Shown, asked: int) -> list[Asset]:
        try:
            async with contextlib.aclosing(self._page_request(wanted).pages()) as pages:  # type: ignore[type-var]
                page: Page[Asset] = await anext(pages)
        except SumeError as error:
            if asked == self._asked:
                self._set_status(problem_from(error).html())
            raise
        assets = page.items
        if asked != self._asked:
            return assets  # the person asked for another page meanwhile: that one is shown
        shown = _Shown(wanted.query, wanted.filters, wanted.cursor, wanted.earlier, wanted.first, page.next_cursor,
                       page.total if page.total is not None else wanted.total)
        stills: dict[int, Still] = {}
        self._shown, self.assets, self._stills = shown, assets, stills
        _dispatch.update([self._grid, self._previous, self._next], self._build_tiles)
        self._set_status(esc(_count_text(shown, len(assets))))
        gate = asyncio.Semaphore(_PARALLEL_THUMBNAILS)
        await asyncio.gather(*(self._load_thumbnail(a, gate, stills, i) for i, a in enumerate(assets)))
        self._throttle.flush()
        self._refresh_displays()
        return assets

    async def _load_thumbnail(self, asset: Asset, gate: asyncio.Semaphore, stills: dict[int, Still], index: int) -> None:
        """Fetch one tile's thumbnail into `stills` (the dict of the search it belongs to)."""
        if not asset.thumbnail_url:
            return
        async with gate:
            try:
                data = await self._runner.client.read_media(asset.thumbnail_url, max_bytes=_THUMBNAIL_BYTES)
                stills[index] = downscale(data, self._tile_size)
            except FETCH_ERRORS:
                return  # the tile keeps its caption and play button; a thumbnail is a nicety
        self._throttle.submit(self, self._show_thumbnails)

    async def _play(self, search: concurrent.futures.Future[list[Asset]], index: int) -> None:
        assets = await asyncio.wrap_future(search)
        if not 0 <= index < len(assets):
            self._set_caption(f"There is no scene {index}: the search found {len(assets)}.")
            return
        asset = assets[index]
        self._set_caption(f"Loading {scene_caption(asset)}…")
        url = asset.clip_url or asset.media_url or asset.source_media_url
        if not url:
            self._set_caption(f"{scene_caption(asset)}: this scene has no playable media.")
            return
        try:
            data = await self._runner.client.read_media(url, max_bytes=self._max_video_bytes)
        except MediaTooLargeError:
            self._set_caption(f"{scene_caption(asset)}: the video is over the preview cap; export and download it.")
            return
        except FETCH_ERRORS as error:
            self._set_caption(f"{scene_caption(asset)}: could not load it ({(str(error).splitlines() or [type(error).__name__])[0]}).")
            return
        where = "" if asset.is_scene_media else " (the whole source video: the scene runs at these times)"
        caption = f"{scene_caption(asset)}{where} · {asset.description or ''}"

        def show() -> None:
            self._video.value = data
            self._caption.value = esc(caption)
            self._player.children = (self._caption, self._video)

        _dispatch.update([self._video, self._caption, self._player], show)

    async def _export(self, shown: _Shown) -> pd.DataFrame:
        frame = await self._page_request(shown, max_items=len(self.assets)).to_pandas()
        self.dataframe = frame
        self._set_status(esc(f"{_count_text(shown, len(self.assets))} · exported {len(frame)} rows to browser.dataframe"))
        return frame

    # --- rendering ----------------------------------------------------------------------------------------------

    def _build_tiles(self) -> None:
        self._tiles = []
        for index, asset in enumerate(self.assets):
            side = f"{self._tile_size}px"
            image = ipywidgets.Image(format="jpeg", layout=ipywidgets.Layout(width=side, height=side, object_fit="contain"))
            button = ipywidgets.Button(description=f"▶ {scene_caption(asset)}", tooltip=redact(asset.description or ""),
                                       layout=ipywidgets.Layout(width=f"{self._tile_size}px"))
            button.on_click(lambda _, i=index: self.play(i))
            self._tiles.append((image, button))
        self._grid.children = tuple(ipywidgets.VBox([image, button]) for image, button in self._tiles)
        shown = self._shown
        self._previous.disabled = shown is None or not shown.earlier
        self._next.disabled = shown is None or shown.next_cursor is None

    def _show_thumbnails(self) -> None:
        pending = [(image, self._stills[i]) for i, (image, _) in enumerate(self._tiles)
                   if i in self._stills and not image.value]

        def apply() -> None:
            for image, still in pending:
                image.format = still.format
                image.value = still.data

        _dispatch.update([image for image, _ in pending], apply)

    def _set_status(self, html: str) -> None:
        _dispatch.update([self._status], lambda: setattr(self._status, "value", html))

    def _set_caption(self, text: str) -> None:
        _dispatch.update([self._caption], lambda: setattr(self._caption, "value", esc(text)))

    def _first_load(self) -> concurrent.futures.Future[Any] | None:
        return self.loaded if self._runner.on_library_loop else None

    def _snapshot(self) -> tuple[str, str]:
        tiles = [
            (scene_caption(asset), data_uri(self._stills[i]) if i in self._stills and i < _SNAPSHOT_TILES else None)
            for i, asset in enumerate(self.assets)
        ]
        return browser_snapshot(self._query.value, self.filters(), tiles)


def _count_text(shown: _Shown, count: int) -> str:
    """Where the page sits in the results: "scenes 25–48 of 200,000", or without a total, whether more follow."""
    if count == 0:
        return "no scenes" if shown.first == 0 else "no more scenes"
    span = f"scenes {shown.first + 1:,}–{shown.first + count:,}"
    if shown.total is not None:
        return f"{span} of {shown.total:,}"
    if shown.next_cursor is None:
        return f"{span} (all)" if shown.first == 0 else f"{span} (the last page)"
    return f"{span}, more on the next page"


def _narrow() -> ipywidgets.Layout:
    return ipywidgets.Layout(width="auto")


def _unshrinking() -> ipywidgets.Layout:
    """As wide as its label, even in a full row (a squeezed button would read "Previ…")."""
    return ipywidgets.Layout(width="auto", flex="0 0 auto")


def _dropdown(options: list[tuple[str, Any]], value: Any, description: str = "") -> ipywidgets.Dropdown:
    """A dropdown showing `value`'s label; chosen by index, since a `None` value would show an empty box.
    A `description` labels it, so a chosen value still says what it filters."""
    values = [v for _, v in options]
    return ipywidgets.Dropdown(options=options, index=values.index(value) if value in values else 0,
                               description=description, style={"description_width": "auto"}, layout=_narrow())

"""`AssetBrowser`: a real search of the sandbox's library, thumbnails as bytes, playing a scene, exporting a frame."""

from __future__ import annotations

import io

import ipywidgets
from PIL import Image

from sume_notebook import Sume
from sume_notebook.widgets import AssetBrowser

from .conftest import decode_video

WAIT = 30


def test_search_shows_thumbnails_with_scene_times_and_exports_the_rows(sume: Sume) -> None:
    browser = AssetBrowser(sume, "hook", max_results=5)
    assets = browser.loaded.result(timeout=WAIT)
    assert len(assets) == 5 and browser.assets == assets
    for (image, button), asset in zip(browser._tiles, assets):
        assert Image.open(io.BytesIO(image.value)).size[0] <= 160
        assert f"{asset.start_seconds:.1f}–{asset.end_seconds:.1f} s" in button.description
    frame = browser.export().result(timeout=WAIT)
    assert browser.dataframe is frame
    assert list(frame["id"]) == [a.id for a in assets]
    assert not frame["thumbnail_url"].str.contains("token=").any()
    assert "exported 5 rows" in browser._status.value


def test_filters_reach_the_search(sume: Sume) -> None:
    browser = AssetBrowser(sume, "", max_results=8, segment_type="cta", source_type="generated", sort="duration_desc")
    assets = browser.loaded.result(timeout=WAIT)
    assert assets and all(a.segment_type == "cta" and a.source_type == "generated" for a in assets)
    durations = [a.duration_seconds for a in assets]
    assert durations == sorted(durations, reverse=True)
    browser._segment.value = "hook"
    browser._sort.value = None
    assert all(a.segment_type == "hook" for a in browser.search().result(timeout=WAIT))


def test_clicking_a_tile_plays_its_scene_from_bytes(sume: Sume) -> None:
    browser = AssetBrowser(sume, "product demo", max_results=3)
    browser.loaded.result(timeout=WAIT)
    _, button = browser._tiles[0]
    button.click()
    browser.playing.result(timeout=WAIT)
    assert isinstance(browser._video, ipywidgets.Video) and browser._video in browser._player.children
    frames, duration = decode_video(browser._video.value)
    assert frames > 0 and duration > 0
    assert browser.assets[0].segment_type in browser._caption.value


def test_an_invalid_filter_is_shown_not_raised_into_the_cell(sume: Sume) -> None:
    browser = AssetBrowser(sume, "hook", min_duration=5, max_duration=2)
    assert browser.loaded.exception(timeout=WAIT) is not None
    assert "min_duration" in browser._status.value and "nothing was sent" in browser._status.value


def test_play_right_after_construction_waits_for_the_search(sume: Sume) -> None:
    browser = AssetBrowser(sume, "hook", max_results=2)
    browser.play(1).result(timeout=WAIT)
    assert browser._video.value and browser.assets[1].segment_type in browser._caption.value
    browser.play(5).result(timeout=WAIT)
    assert "There is no scene 5: the search found 2." in browser._caption.value


def test_a_scene_over_the_video_cap_says_so_instead_of_playing(sume: Sume) -> None:
    browser = AssetBrowser(sume, "product demo", max_results=2, max_video_bytes=1_000)
    browser.play(0).result(timeout=WAIT)
    assert "over the preview cap" in browser._caption.value
    assert not (isinstance(browser._video, ipywidgets.Video) and browser._video.value)

"""`AssetBrowser`: a real search of the sandbox's library, thumbnails as bytes, playing a scene, exporting a frame."""

from __future__ import annotations

import io

import ipywidgets
import pytest
from PIL import Image

from sume_notebook import Sume, SumeError
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


def test_pages_move_forward_and_back_with_the_services_cursors(sume: Sume) -> None:
    browser = AssetBrowser(sume, "", max_results=5, sort="created_at_asc")
    first = browser.loaded.result(timeout=WAIT)
    assert len(first) == 5 and "scenes 1–5, more on the next page" in browser._status.value
    assert browser._previous.disabled and not browser._next.disabled
    browser._next.click()
    second = browser.loaded.result(timeout=WAIT)
    assert browser.assets == second and len(browser._tiles) == 5  # only the page shown is held
    assert "scenes 6–10" in browser._status.value and not browser._previous.disabled
    listed = sume.assets.search(sort="created_at_asc", limit=10, max_items=10).to_list()
    assert [a.id for a in [*first, *second]] == [a.id for a in listed]
    browser._previous.click()
    assert [a.id for a in browser.loaded.result(timeout=WAIT)] == [a.id for a in first]
    assert browser._previous.disabled and "scenes 1–5" in browser._status.value


def test_the_last_page_says_so_and_has_no_next(sume: Sume) -> None:
    everything = sume.assets.search(brand="Pulsefit", segment_type="hook", limit=100).to_list()
    browser = AssetBrowser(sume, "", max_results=len(everything) - 1, brand="Pulsefit", segment_type="hook")
    browser.loaded.result(timeout=WAIT)
    browser.next_page().result(timeout=WAIT)
    assert len(browser.assets) == 1 and browser._next.disabled
    assert f"scenes {len(everything)}–{len(everything)} (the last page)" in browser._status.value
    with pytest.raises(SumeError, match="no next page"):
        browser.next_page()


def test_the_page_answered_last_is_not_the_one_shown_when_another_was_asked_for_since(sume: Sume) -> None:
    browser = AssetBrowser(sume, "", max_results=4, sort="duration_desc")
    first = browser.loaded.result(timeout=WAIT)
    browser.next_page()
    browser._query.value = "coffee"
    latest = browser.search().result(timeout=WAIT)
    assert browser.assets == latest and [a.id for a in latest] != [a.id for a in first]
    assert all(a.search_score is not None for a in browser.assets) and browser._previous.disabled


def test_a_chosen_segment_stays_labelled_and_the_player_is_capped(sume: Sume) -> None:
    browser = AssetBrowser(sume, "", max_results=2, segment_type="unboxing")
    browser.loaded.result(timeout=WAIT)
    assert isinstance(browser._segment, ipywidgets.Dropdown)
    assert browser._segment.description == "segment" and browser._segment.label == "unboxing"
    assert browser._brand.description == "brand"
    assert browser._video.layout.max_height == "360px" and browser._video.layout.object_fit == "contain"

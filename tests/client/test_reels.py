"""`analyze_many` and `ReelSet`: many reels at once, their measures, timeline, exports and library match."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from sume_notebook import AsyncSume, InvalidRequestError, ReelSet
from sume_notebook.sandbox import SandboxHandle
from tests.support import requests_to

URLS = [
    "https://www.tiktok.com/@weeknightkitchen/video/7351234567890123456",
    "https://www.instagram.com/reel/C4xYzAbCdEf/",
    "https://www.tiktok.com/@calmpaws/video/7359876543210987654",
]
FPS = 30
SVG = "{http://www.w3.org/2000/svg}"

# A reel written out by hand, so each measure has a value worked out on paper:
# scenes 1.5 s (hook), 2.5 s and 3.0 s (product demo), 1.0 s (cta) in an 8-second reel.
HAND_MADE = {
    "source_url": "https://www.tiktok.com/@lumen/video/7300000000000000001",
    "platform": "tiktok",
    "duration_seconds": 8.0,
    "hook": {"text": "Stop scrolling right now", "start_seconds": 0.0, "end_seconds": 1.5,
             "hook_type": "pattern_interrupt"},
    "scenes": [
        {"index": 0, "start_seconds": 0.0, "end_seconds": 1.5, "description": "Hand slaps the lens",
         "transcript": "Stop scrolling right now", "segment_type": "hook"},
        {"index": 1, "start_seconds": 1.5, "end_seconds": 4.0, "description": "Dropper over the serum",
         "transcript": "This serum changed my skin", "segment_type": "product_demo"},
        {"index": 2, "start_seconds": 4.0, "end_seconds": 7.0, "description": "Slow push-in on the bottle",
         "transcript": "", "segment_type": "product_demo"},
        {"index": 3, "start_seconds": 7.0, "end_seconds": 8.0, "description": "Creator points at the caption",
         "transcript": "Link in bio", "segment_type": "cta"},
    ],
    "transcript": [
        {"start_seconds": 0.0, "end_seconds": 1.5, "speaker": "creator", "text": "Stop scrolling right now"},
        {"start_seconds": 1.5, "end_seconds": 4.0, "speaker": "creator", "text": "This serum changed my skin"},
        {"start_seconds": 7.0, "end_seconds": 8.0, "speaker": "creator", "text": "Link in bio"},
    ],
    "cta": {"present": True, "text": "Link in bio", "start_seconds": 7.0},
}


@pytest.fixture
async def reels(client: AsyncSume) -> ReelSet:
    return await client.reference_analysis.analyze_many(URLS)


# --- analyze_many ---------------------------------------------------------------------------------------------


async def test_analyze_many_returns_the_reels_in_order(client: AsyncSume, sb: SandboxHandle) -> None:
    reels = await client.reference_analysis.analyze_many([*URLS, URLS[0]])  # the same reel twice is one analysis
    assert [a.source_url for a in reels] == URLS and not reels.failed
    assert requests_to(sb, "POST /api/v1/reference-analysis") == 3
    assert reels["instagram-C4xYzAbCdEf"].platform == "instagram" and reels[URLS[2]] is reels[2]


async def test_a_reel_analysed_before_is_read_back_from_the_journal(client: AsyncSume, sb: SandboxHandle) -> None:
    first = await client.reference_analysis.analyze_many(URLS[:2])
    again = await client.reference_analysis.analyze_many(URLS)  # two known, one new
    assert requests_to(sb, "POST /api/v1/reference-analysis") == 3
    assert [a.raw for a in again][:2] == [a.raw for a in first]
    assert again.read_back == set(first.job_ids.values()) and list(again.job_ids) == URLS
    await client.reference_analysis.analyze_many(URLS[:1], new=True)
    assert requests_to(sb, "POST /api/v1/reference-analysis") == 4


@pytest.mark.parametrize(("urls", "field"), [
    ("https://www.tiktok.com/@a/video/7351234567890123456", "urls"),
    ([], "urls"),
    ([URLS[0], "https://www.youtube.com/watch?v=1"], "urls[1]"),
    ([URLS[0], 42], "urls[1]"),
])
async def test_bad_urls_are_refused_before_anything_is_sent(client: AsyncSume, sb: SandboxHandle, urls: Any,
                                                            field: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        await client.reference_analysis.analyze_many(urls)
    assert [f.field for f in caught.value.fields] == [field]
    assert sb.stats()["requests"] == {}


def test_the_blocking_client_returns_the_set(sume: Any) -> None:
    reels = sume.reference_analysis.analyze_many(URLS[:2], max_concurrency=1)
    assert isinstance(reels, ReelSet) and len(reels) == 2


# --- frames and measures --------------------------------------------------------------------------------------


def test_measures_of_a_hand_made_reel() -> None:
    row = ReelSet([HAND_MADE]).frames()["reels"].iloc[0]
    assert row["reel"] == "tiktok-7300000000000000001"
    assert row["duration_seconds"] == 8.0 and row["scene_count"] == 4
    assert row["median_scene_seconds"] == pytest.approx(2.0)  # of 1.0, 1.5, 2.5, 3.0
    assert row["hook_seconds"] == 1.5 and row["first_cta_seconds"] == 7.0
    assert row["words_per_minute"] == pytest.approx(144.0)  # 12 words in 5 s of speech
    assert row["share_hook"] == pytest.approx(0.1875)  # 1.5 of 8 s
    assert row["share_product_demo"] == pytest.approx(0.6875)  # 5.5 of 8 s
    assert row["share_cta"] == pytest.approx(0.125)


def test_a_service_without_segment_types_gets_hook_cta_and_other() -> None:
    scenes = [{k: v for k, v in s.items() if k != "segment_type"} for s in HAND_MADE["scenes"]]
    untyped = {**HAND_MADE, "scenes": scenes}
    scenes = ReelSet([untyped]).frames()["scenes"]
    assert list(scenes["segment_type"]) == ["hook", "other", "other", "cta"]


async def test_measures_of_a_sandbox_analysis_worked_out_from_its_json(reels: ReelSet) -> None:
    frames = reels.frames()
    measures = frames["reels"].set_index("source_url")
    for analysis in reels:
        raw, row = analysis.raw, measures.loc[analysis.source_url]
        lengths = sorted(s["end_seconds"] - s["start_seconds"] for s in raw["scenes"])
        middle = len(lengths) // 2
        median = lengths[middle] if len(lengths) % 2 else (lengths[middle - 1] + lengths[middle]) / 2
        assert row["scene_count"] == len(raw["scenes"]) and row["duration_seconds"] == raw["duration_seconds"]
        assert row["median_scene_seconds"] == pytest.approx(median)
        assert row["hook_seconds"] == pytest.approx(raw["hook"]["end_seconds"] - raw["hook"]["start_seconds"])
        if raw["cta"]["present"]:
            assert row["first_cta_seconds"] == raw["cta"]["start_seconds"]
        else:
            assert pd.isna(row["first_cta_seconds"])
        spoken = [t for t in raw["transcript"] if t["text"]]
        if spoken:
            words = sum(len(t["text"].split()) for t in spoken)
            seconds = sum(t["end_seconds"] - t["start_seconds"] for t in spoken)
            assert row["words_per_minute"] == pytest.approx(words / seconds * 60)
        else:
            assert pd.isna(row["words_per_minute"])
        demo = sum(s["end_seconds"] - s["start_seconds"] for s in raw["scenes"] if s["segment_type"] == "product_demo")
        assert row["share_product_demo"] == pytest.approx(demo / raw["duration_seconds"])
    shares = [c for c in measures.columns if c.startswith("share_")]
    assert measures[shares].sum(axis=1).round(6).eq(1.0).all()  # every second of a reel is in one segment type


async def test_frames_concatenate_every_reel_with_its_url(reels: ReelSet) -> None:
    frames = reels.frames()
    assert list(frames) == ["reels", "scenes", "transcript"]
    scenes = frames["scenes"]
    assert list(scenes.columns[:2]) == ["source_url", "reel"]
    assert len(scenes) == sum(len(a.scenes) for a in reels)
    assert scenes.groupby("source_url", sort=False).size().to_dict() == {a.source_url: len(a.scenes) for a in reels}
    assert scenes["start_seconds"].dtype == float and str(scenes["segment_type"].dtype) == "category"
    assert str(frames["reels"]["platform"].dtype) == "category" and frames["reels"]["scene_count"].dtype == "int64"


# --- timeline ---------------------------------------------------------------------------------------------------


async def test_the_timeline_has_a_block_per_scene_and_a_legend(reels: ReelSet) -> None:
    svg = ET.fromstring(reels.timeline().svg)
    blocks = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "scene"]
    assert len(blocks) == sum(len(a.scenes) for a in reels)
    lanes = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "lane"]
    assert len(lanes) == len(reels)
    legend = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "legend")
    labels = {t.text for t in legend.iter(f"{SVG}text")}
    types = {s["segment_type"] for a in reels for s in a.scenes}
    assert {t.replace("_", " ") for t in types} | {"hook span", "CTA starts"} <= labels
    colours = {b.get("data-segment"): b.get("fill") for b in blocks}
    assert len(set(colours.values())) == len(types)  # one colour per segment type
    hovered = " ".join(t.text for b in blocks for t in b.iter(f"{SVG}title"))
    assert all(s["transcript"] in hovered for a in reels for s in a.scenes)
    ctas = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "cta"]
    assert len(ctas) == sum(bool(a.cta["present"]) for a in reels)
    assert len([r for r in svg.iter(f"{SVG}rect") if r.get("class") == "hook"]) == len(reels)


def test_twenty_reels_stay_readable() -> None:
    many = ReelSet([{**HAND_MADE, "source_url": f"https://www.tiktok.com/@a/video/73{n:017d}"} for n in range(20)])
    svg = ET.fromstring(many.timeline().svg)
    height = float(svg.get("viewBox").split()[3])
    assert 20 * 30 < height < 20 * 50  # a lane of 26 px and a gap for each, plus axis and legend
    lanes = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "lane"]
    names = [g.find(f"{SVG}text").text.strip() for g in lanes]
    assert names[:2] == ["tiktok-7300000000000000000", "tiktok-7300000000000000001"]


# --- exports -----------------------------------------------------------------------------------------------------


def _frame(seconds: float) -> int:
    return round(seconds * FPS)


async def test_every_export_reads_back_with_its_own_library(reels: ReelSet, tmp_path: Path) -> None:
    import opentimelineio as otio
    import webvtt

    written = reels.export(tmp_path)
    assert all(p.is_file() and p.parent == tmp_path for p in written)
    scenes = reels.frames()["scenes"]
    names = [reels.name_of(a) for a in reels]

    for fmt, read in (("csv", pd.read_csv), ("parquet", pd.read_parquet)):
        combined = read(tmp_path / f"reels.scenes.{fmt}")
        assert combined["start_seconds"].tolist() == scenes["start_seconds"].tolist()
        assert combined["end_seconds"].tolist() == scenes["end_seconds"].tolist()
        for name in names:
            own = read(tmp_path / f"{name}.scenes.{fmt}")
            assert own["end_seconds"].tolist() == scenes[scenes["reel"] == name]["end_seconds"].tolist()
        assert read(tmp_path / f"reels.{fmt}")["reel"].tolist() == names

    for analysis, name in zip(reels, names):
        captions = webvtt.read(str(tmp_path / f"{name}.vtt")).captions
        spoken = [t for t in analysis.transcript if t["text"]]
        assert [(c.start_in_seconds + c.start_time.milliseconds / 1000, c.text) for c in captions] == [
            (pytest.approx(t["start_seconds"]), t["text"]) for t in spoken]

        expected = [(_frame(s["start_seconds"]), _frame(s["end_seconds"])) for s in analysis.scenes]
        timeline = otio.adapters.read_from_file(str(tmp_path / f"{name}.otio"))
        clips = list(timeline.find_clips())
        assert [(c.source_range.start_time.value, c.source_range.end_time_exclusive().value) for c in clips] == expected
        assert [c.metadata["sume"]["segment_type"] for c in clips] == [s["segment_type"] for s in analysis.scenes]
        marks = {m.name.split(":")[0] for m in timeline.tracks[0].markers}
        assert marks == ({"hook", "CTA"} if analysis.cta["present"] else {"hook"})

        edl = otio.adapters.read_from_file(str(tmp_path / f"{name}.edl"), adapter_name="cmx_3600", rate=FPS)
        cuts = [(c.range_in_parent().start_time.value, c.range_in_parent().end_time_exclusive().value)
                for c in edl.find_clips()]
        assert cuts == expected

    lanes = otio.adapters.read_from_file(str(tmp_path / "reels.otio"))
    assert [t.name for t in lanes.tracks] == names
    back_to_back = otio.adapters.read_from_file(str(tmp_path / "reels.edl"), adapter_name="cmx_3600", rate=FPS)
    assert len(list(back_to_back.find_clips())) == len(scenes)
    spoken = sum(1 for a in reels for t in a.transcript if t["text"])
    assert len(webvtt.read(str(tmp_path / "reels.vtt")).captions) == spoken


def test_an_unknown_format_is_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        ReelSet([HAND_MADE]).export(tmp_path / "out", formats=("csv", "mp4"))
    assert "mp4" in str(caught.value) and not (tmp_path / "out").exists()


# --- library match ------------------------------------------------------------------------------------------------


async def test_match_library_gives_per_scene_candidates_with_previews(reels: ReelSet, client: AsyncSume,
                                                                     sb: SandboxHandle) -> None:
    matches = await reels.match_library(client, per_scene=2)
    scenes = sum(len(a.scenes) for a in reels)
    assert len(matches) == 2 * scenes
    assert (matches.groupby(["reel", "scene"], observed=True).size() == 2).all()
    assert matches["preview_url"].notna().all() and matches["score"].notna().all()
    assert matches["duration_fit"].between(0, 1, inclusive="right").all()
    assert not matches["preview_url"].str.contains("=", regex=False).any()  # shown without their query (tokens)
    typed = matches[matches["same_segment_type"]]
    assert (typed["asset_segment_type"].astype(str) == typed["segment_type"].astype(str)).all()
    lengths = matches.iloc[0][["scene_seconds", "asset_seconds"]]
    assert matches.iloc[0]["duration_fit"] == pytest.approx(lengths.min() / lengths.max(), abs=1e-3)
    html = reels.match_view()._repr_html_()
    assert html.count("<tr style") == scenes and html.count("data:image/jpeg;base64,") >= scenes
    assert sb.url.split("//")[1] not in html  # thumbnails inline: no media URL, no token


async def test_a_bad_per_scene_is_refused_before_any_search(reels: ReelSet, client: AsyncSume,
                                                            sb: SandboxHandle) -> None:
    sb.reset()
    for bad in (0, 21, 2.5, True):
        with pytest.raises(InvalidRequestError):
            await reels.match_library(client, per_scene=bad)
    with pytest.raises(InvalidRequestError):
        await reels.match_library(client, sort="by_mood")
    assert requests_to(sb, "GET /api/v1/assets") == 0


def test_match_view_before_a_match_says_what_to_do() -> None:
    from sume_notebook import SumeError

    with pytest.raises(SumeError, match="match_library"):
        ReelSet([HAND_MADE]).match_view()


def test_scenes_without_times_are_left_off_the_timeline_and_the_files(tmp_path: Path) -> None:
    import opentimelineio as otio

    scenes = [*HAND_MADE["scenes"], {"index": 4, "description": "a scene the service sent without its times"}]
    reels = ReelSet([{**HAND_MADE, "scenes": scenes}])
    svg = ET.fromstring(reels.timeline().svg)
    assert len([r for r in svg.iter(f"{SVG}rect") if r.get("class") == "scene"]) == 4
    reels.export(tmp_path, formats=("otio", "csv"))
    clips = list(otio.adapters.read_from_file(str(tmp_path / "tiktok-7300000000000000001.otio")).find_clips())
    assert len(clips) == 4 and len(pd.read_csv(tmp_path / "reels.scenes.csv")) == 5
    row = reels.frames()["reels"].iloc[0]
    assert row["scene_count"] == 5 and row["median_scene_seconds"] == pytest.approx(2.0)  # of the four timed


async def test_a_bad_max_concurrency_is_refused_even_when_nothing_is_new(client: AsyncSume, sb: SandboxHandle) -> None:
    await client.reference_analysis.analyze_many(URLS[:1])
    sb.reset()
    with pytest.raises(InvalidRequestError) as caught:
        await client.reference_analysis.analyze_many(URLS[:1], max_concurrency=0)
    assert [f.field for f in caught.value.fields] == ["max_concurrency"] and sb.stats()["requests"] == {}


def test_the_timeline_saves_as_svg_or_html(tmp_path: Path) -> None:
    timeline = ReelSet([HAND_MADE]).timeline()
    svg = ET.parse(timeline.save(tmp_path / "reels.svg")).getroot()
    assert svg.tag == f"{SVG}svg" and len([r for r in svg.iter(f"{SVG}rect") if r.get("class") == "scene"]) == 4
    assert timeline.save(tmp_path / "reels.html").read_text().startswith("<!doctype html>")

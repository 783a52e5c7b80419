"""The sandbox's Reference Analysis: URL validation and the made-up, per-URL analysis result."""

from __future__ import annotations

from typing import Any

import pytest

from sume_notebook.sandbox._analysis import analyze_reference, validate_reference_url

URLS = [
    *(f"https://www.tiktok.com/@creator{n}/video/73{n:017d}" for n in range(30)),
    *(f"https://www.instagram.com/reel/C{n:04d}xYzAb/" for n in range(30)),
]
RESULTS = [analyze_reference(url) for url in URLS]
TOP_KEYS = {"source_url", "platform", "duration_seconds", "summary", "hook", "scenes", "transcript", "cta",
            "audio", "pacing", "tags"}
SCENE_KEYS = {"index", "start_seconds", "end_seconds", "description", "shot_type", "on_screen_text", "transcript",
              "emotion", "segment_type"}
HOOK_TYPES = {"question", "bold_claim", "pattern_interrupt", "demo", "testimonial"}


@pytest.mark.parametrize(
    "url",
    [
        "https://www.tiktok.com/@glow.daily/video/7301234567890123456",
        "https://tiktok.com/@glow_daily/video/7301234567890123456/",
        "https://m.tiktok.com/@glowdaily/video/7301234567890123456?is_from_webapp=1&sender_device=pc",
        "https://vm.tiktok.com/ZMabc1234/",
        "https://vt.tiktok.com/ZSxyz987",
        "https://www.instagram.com/reel/C9xYz12AbCd/",
        "https://instagram.com/reels/C9xYz12Ab-d",
        "https://www.instagram.com/reel/C9xYz12AbCd/?igsh=MWQ1ZGUxMzBkMA==",
    ],
)
def test_accepts_public_tiktok_videos_and_instagram_reels(url: str) -> None:
    assert validate_reference_url(url) is None


@pytest.mark.parametrize(
    "url",
    [
        None,
        42,
        "",
        "http://www.tiktok.com/@glowdaily/video/7301234567890123456",
        "ftp://www.tiktok.com/@glowdaily/video/7301234567890123456",
        "https://www.tiktok.com/@glowdaily",
        "https://www.tiktok.com/@glowdaily/photo/7301234567890123456",
        "https://www.tiktok.com/video/7301234567890123456",
        "https://www.tiktok.com.evil.example/@glowdaily/video/7301234567890123456",
        "https://user:pw@www.tiktok.com/@glowdaily/video/7301234567890123456",
        "https://www.tiktok.com:8443/@glowdaily/video/7301234567890123456",
        "https://www.instagram.com/p/C9xYz12AbCd/",
        "https://www.instagram.com/reel/",
        "https://www.instagram.com/glowdaily/",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        "not a url",
        "https://www.tiktok.com/@" + "a" * 3000 + "/video/7301234567890123456",
    ],
)
def test_refuses_everything_else_and_says_what_it_accepts(url: object) -> None:
    message = validate_reference_url(url)
    assert message is not None
    assert "TikTok" in message and "Instagram Reel" in message


def test_plain_http_is_named_as_the_problem() -> None:
    message = validate_reference_url("http://www.instagram.com/reel/C9xYz12AbCd/")
    assert message is not None and message.startswith("url must use https")


def test_result_has_the_contract_shape() -> None:
    for result in RESULTS:
        assert set(result) == TOP_KEYS
        assert set(result["hook"]) == {"text", "start_seconds", "end_seconds", "hook_type"}
        assert set(result["cta"]) == {"present", "text", "start_seconds"}
        assert set(result["audio"]) == {"music", "voiceover", "bpm"}
        assert set(result["pacing"]) == {"cuts_per_minute", "average_shot_seconds"}
        assert all(set(scene) == SCENE_KEYS for scene in result["scenes"])
        assert all(set(seg) == {"start_seconds", "end_seconds", "speaker", "text"} for seg in result["transcript"])
        assert isinstance(result["summary"], str) and result["summary"]
        assert result["tags"] and all(isinstance(tag, str) for tag in result["tags"])


def test_platform_and_source_url_follow_the_link() -> None:
    assert analyze_reference(URLS[0])["platform"] == "tiktok"
    assert analyze_reference(URLS[-1])["platform"] == "instagram"
    assert analyze_reference("https://vm.tiktok.com/ZMabc1234/")["platform"] == "tiktok"
    assert all(result["source_url"] == url for result, url in zip(RESULTS, URLS))


def test_same_url_same_analysis_and_tracking_parameters_do_not_matter() -> None:
    assert analyze_reference(URLS[3]) == RESULTS[3]
    shared = analyze_reference(URLS[3] + "?is_from_webapp=1&lang=en")
    assert {**shared, "source_url": URLS[3]} == RESULTS[3]


def test_scenes_are_five_to_twenty_five_and_cover_the_video() -> None:
    for result in RESULTS:
        scenes = result["scenes"]
        assert 8 <= result["duration_seconds"] <= 60
        assert 5 <= len(scenes) <= 25
        assert [scene["index"] for scene in scenes] == list(range(len(scenes)))
        assert scenes[0]["start_seconds"] == 0.0
        assert scenes[-1]["end_seconds"] == result["duration_seconds"]
        assert all(a["end_seconds"] == b["start_seconds"] for a, b in zip(scenes, scenes[1:]))
        assert all(scene["end_seconds"] - scene["start_seconds"] >= 0.3 for scene in scenes)


def test_transcript_segments_align_with_the_scenes_that_speak() -> None:
    for result in RESULTS:
        speaking = [(s["start_seconds"], s["end_seconds"], s["transcript"])
                    for s in result["scenes"] if s["transcript"]]
        assert [(t["start_seconds"], t["end_seconds"], t["text"]) for t in result["transcript"]] == speaking
        if not result["audio"]["voiceover"]:
            assert result["transcript"] == [] and result["audio"]["music"]


def test_hook_cta_audio_and_pacing_agree_with_the_scenes() -> None:
    for result in RESULTS:
        scenes, hook, cta, audio = result["scenes"], result["hook"], result["cta"], result["audio"]
        assert hook["hook_type"] in HOOK_TYPES and hook["text"]
        assert (hook["start_seconds"], hook["end_seconds"]) == (0.0, scenes[0]["end_seconds"])
        if cta["present"]:
            assert cta["text"] and cta["start_seconds"] in [s["start_seconds"] for s in scenes[1:]]
        else:
            assert cta["text"] is None and cta["start_seconds"] is None
        assert (audio["bpm"] is None) == (not audio["music"])
        count, duration = len(scenes), result["duration_seconds"]
        assert result["pacing"] == {"cuts_per_minute": round((count - 1) * 60 / duration, 1),
                                    "average_shot_seconds": round(duration / count, 2)}


def test_different_reels_differ_in_what_a_comparison_looks_at() -> None:
    def spread(pick: Any) -> set:
        return {pick(result) for result in RESULTS}

    assert spread(lambda r: r["hook"]["hook_type"]) == HOOK_TYPES
    assert spread(lambda r: r["platform"]) == {"tiktok", "instagram"}
    assert min(r["duration_seconds"] for r in RESULTS) < 20 < 45 < max(r["duration_seconds"] for r in RESULTS)
    assert spread(lambda r: r["cta"]["present"]) == {True, False}
    at_the_end = {r["cta"]["start_seconds"] / r["duration_seconds"] >= 0.7 for r in RESULTS if r["cta"]["present"]}
    assert at_the_end == {True, False}
    assert len(spread(lambda r: len(r["scenes"]))) >= 8
    assert len(spread(lambda r: r["summary"])) == len(RESULTS)
    assert spread(lambda r: r["audio"]["voiceover"]) == {True, False}


def test_scenes_carry_a_segment_type_of_the_asset_library() -> None:
    """A reel's scene can be matched against library scenes of its kind: the hook first, the CTA where it starts."""
    from sume_notebook.sandbox._library_catalogue import SEGMENT_TYPES

    for result in RESULTS:
        types = [scene["segment_type"] for scene in result["scenes"]]
        assert set(types) <= set(SEGMENT_TYPES)
        assert types[0] == "hook" and types.count("hook") == 1
        cta_starts = [s["start_seconds"] for s in result["scenes"] if s["segment_type"] == "cta"]
        assert cta_starts == ([result["cta"]["start_seconds"]] if result["cta"]["present"] else [])

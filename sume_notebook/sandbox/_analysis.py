"""The sandbox's Reference Analysis: a plausible breakdown of a TikTok or Instagram Reel, made up per URL.

Seeded by the URL, so a notebook re-running an analysis sees the same result, and different reels differ
in niche, length, hook, pacing, audio and CTA placement, which is what a comparison across reels looks at.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

_ACCEPTED = (
    "url must be a public https TikTok video link (https://www.tiktok.com/@user/video/123..., "
    "https://vm.tiktok.com/CODE/) or an Instagram Reel link (https://www.instagram.com/reel/CODE/)"
)
_TIKTOK_HOSTS = frozenset({"www.tiktok.com", "tiktok.com", "m.tiktok.com"})
_TIKTOK_SHORT_HOSTS = frozenset({"vm.tiktok.com", "vt.tiktok.com"})
_INSTAGRAM_HOSTS = frozenset({"www.instagram.com", "instagram.com"})
_TIKTOK_VIDEO = re.compile(r"/@[A-Za-z0-9._]{2,24}/video/[0-9]{8,24}/?")
_TIKTOK_SHORT = re.compile(r"/[A-Za-z0-9]{5,16}/?")
_INSTAGRAM_REEL = re.compile(r"/reels?/[A-Za-z0-9_-]{5,40}/?")


def validate_reference_url(url: object) -> str | None:
    """``None`` for a link the analysis accepts, else one sentence saying what it accepts."""
    if not isinstance(url, str) or len(url) > 2048:
        return _ACCEPTED
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return _ACCEPTED
    if parts.scheme != "https":
        return "url must use https; " + _ACCEPTED.removeprefix("url must be ")
    host = (parts.hostname or "").lower()
    if parts.username is not None or port is not None:
        return _ACCEPTED
    if host in _TIKTOK_HOSTS and _TIKTOK_VIDEO.fullmatch(parts.path):
        return None
    if host in _TIKTOK_SHORT_HOSTS and _TIKTOK_SHORT.fullmatch(parts.path):
        return None
    if host in _INSTAGRAM_HOSTS and _INSTAGRAM_REEL.fullmatch(parts.path):
        return None
    return _ACCEPTED


@dataclass(frozen=True)
class _Niche:
    """The subject of a made-up reel: enough nouns for every line of it to sound like one video."""

    name: str
    subject: str
    setting: str
    problem: str
    result: str
    tags: tuple[str, ...]


_NICHES = (
    _Niche("skincare", "vitamin C serum", "at the bathroom mirror", "dark spots", "glowing skin in two weeks",
           ("skincare", "beauty", "grwm")),
    _Niche("cooking", "15-minute pasta", "in the home kitchen", "boring weeknight dinners", "a restaurant-level dinner",
           ("food", "recipe", "cooking")),
    _Niche("fitness", "resistance band routine", "in the living room", "no time for the gym",
           "visible progress in 30 days", ("fitness", "workout", "homegym")),
    _Niche("tech", "pair of wireless earbuds", "at a desk setup", "tangled cables", "all-day battery",
           ("tech", "gadgets", "review")),
    _Niche("fashion", "capsule wardrobe", "in front of the closet", "a closet full of nothing to wear",
           "ten outfits from five pieces", ("fashion", "ootd", "style")),
    _Niche("pets", "slow-feeder bowl", "on the kitchen floor", "a dog that inhales dinner", "a calmer dog at mealtime",
           ("pets", "dogs", "petcare")),
    _Niche("coffee", "iced oat latte", "at the kitchen counter", "a seven-dollar coffee habit",
           "café coffee for under a dollar", ("coffee", "morningroutine", "diy")),
    _Niche("finance", "budgeting app", "at a coffee shop table", "money gone by the 20th", "$400 saved last month",
           ("personalfinance", "money", "budgeting")),
)

_HOOKS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    # hook_type: (spoken line, on-screen text, shot, description)
    "question": (
        ("Why does nobody talk about {problem}?", "Why does nobody talk about this?", "talking_head",
         "Creator leans into the lens {setting} and asks the viewer directly"),
        ("Are you still putting up with {problem}?", "Still dealing with this?", "close_up",
         "Tight shot of the creator's face, eyebrows raised, {setting}"),
    ),
    "bold_claim": (
        ("This {subject} changed everything for me.", "This changed everything", "product_shot",
         "The {subject} fills the frame under bold white text"),
        ("{Result}. One {subject}. That's it.", "{Result}", "close_up",
         "Slow push-in on the {subject} with the claim stamped across the screen"),
    ),
    "pattern_interrupt": (
        ("Wait, don't scroll yet.", "WAIT", "pov",
         "Hand slaps the camera, then a jump cut to the creator {setting}"),
        ("I'm throwing my old routine in the trash.", "Goodbye, old routine", "medium",
         "Creator drops a box into a bin, then turns to camera {setting}"),
    ),
    "demo": (
        ("Watch what happens when I try this {subject}.", "Watch this", "product_shot",
         "Hands start using the {subject} in the first frame, no intro"),
        ("Ten seconds, one {subject}, look.", "10 seconds", "over_the_shoulder",
         "Over-the-shoulder shot of the {subject} in action {setting}"),
    ),
    "testimonial": (
        ("I was skeptical, but two weeks with this {subject}...", "Honest review", "talking_head",
         "Creator sits {setting} holding the {subject}, speaking calmly"),
        ("You kept asking, so here's my honest take on the {subject}.", "My honest take", "talking_head",
         "Selfie-style shot {setting}, creator nodding"),
    ),
}
_HOOK_EMOTIONS = {"question": "curious", "bold_claim": "confident", "pattern_interrupt": "surprised",
                  "demo": "excited", "testimonial": "calm"}

# role: ((description, spoken line, on-screen text or "", shot types, emotions), ...)
_BEATS: dict[str, tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...]] = {
    "problem": (
        ("Creator sighs {setting}, dealing with {problem}", "Every week it's the same: {problem}.",
         "The problem", ("medium", "talking_head"), ("frustrated",)),
        ("Quick montage of {problem}", "If this is you, keep watching.", "", ("b_roll",), ("frustrated", "calm")),
    ),
    "demo": (
        ("Hands use the {subject} {setting}", "Here's exactly how I use it.", "Step 1",
         ("product_shot", "over_the_shoulder"), ("confident", "excited")),
        ("Close-up of the {subject} in action", "Look how easy this is.", "", ("close_up",), ("excited",)),
        ("Creator walks through the next step with the {subject}", "Then you just do this.", "Step 2",
         ("medium", "pov"), ("confident", "playful")),
    ),
    "detail": (
        ("Macro shot of the {subject}'s texture and details", "The details are what sold me.", "",
         ("close_up", "product_shot"), ("calm", "satisfied")),
        ("Screen recording with the key numbers circled", "And the numbers don't lie.", "Look at this",
         ("screen_recording",), ("confident",)),
    ),
    "b_roll": (
        ("Slow-motion b-roll shot {setting}", "", "", ("b_roll", "wide"), ("calm",)),
        ("Wide shot of the creator moving about {setting}", "", "", ("wide",), ("playful", "calm")),
    ),
    "reaction": (
        ("Creator reacts to camera, eyes wide", "Okay, I did not expect that.", "",
         ("talking_head", "close_up"), ("surprised", "excited")),
        ("Creator laughs and shows the result to someone off-camera", "See? I told you.", "",
         ("medium",), ("playful", "satisfied")),
    ),
    "proof": (
        ("Side-by-side before and after: {result}", "Before and after. {Result}.", "Before / After",
         ("close_up", "wide"), ("satisfied", "confident")),
        ("Creator shows the final result {setting}", "And that's {result}.", "{Result}",
         ("medium", "product_shot"), ("satisfied",)),
    ),
}
_CTAS = (
    ("Tap the link in my bio to get yours.", "Link in bio"),
    ("Use code REEL15 for 15% off.", "Code REEL15: 15% off"),
    ("Follow for part two.", "Follow for part 2"),
    ("Comment 'info' and I'll send you the link.", "Comment 'info'"),
    ("Shop now before it sells out again.", "Shop now"),
)
# A beat's segment type in the Asset Library's words (``_library_catalogue.SEGMENT_TYPES``), so a reel's scene can be
# matched against library scenes of the same kind.
_SEGMENT_TYPES = {"hook": "hook", "problem": "problem", "demo": "product_demo", "detail": "product_demo",
                  "b_roll": "b_roll", "reaction": "testimonial", "proof": "before_after", "cta": "cta"}
_CTA_PHRASES = {
    "none": "has no explicit call to action",
    "early": "asks for the click right after the hook",
    "middle": "drops its call to action mid-video",
    "end": "closes on a call to action",
}


def analyze_reference(url: str) -> dict[str, Any]:
    """The Reference Analysis result for a URL that passed ``validate_reference_url``; same URL, same result."""
    rng = random.Random("reference:" + _canonical(url))
    platform = "instagram" if "instagram.com" in urlsplit(url).netloc.lower() else "tiktok"
    niche = rng.choice(_NICHES)
    hook_type = rng.choice(tuple(_HOOKS))
    duration_cs = rng.randint(800, 6000)
    count = max(5, min(25, round(duration_cs / 100 / rng.triangular(1.2, 6.5, 2.2))))
    pace = _pace(duration_cs / 100 / count)
    voiceover = rng.random() < 0.8
    music = not voiceover or rng.random() < 0.85
    words = {"subject": niche.subject, "setting": niche.setting, "problem": niche.problem,
             "result": niche.result, "Result": niche.result[0].upper() + niche.result[1:]}

    roles = ["hook", *_body_roles(rng, count - 1)]
    cta_placement, cta_index, (cta_line, cta_text) = _place_cta(rng, count)
    if cta_index is not None:
        roles[cta_index] = "cta"

    scenes: list[dict[str, Any]] = []
    cuts = _cuts(rng, duration_cs, count)
    hook_line, hook_text, hook_shot, hook_description = rng.choice(_HOOKS[hook_type])
    for index, (role, start, end) in enumerate(zip(roles, cuts, cuts[1:])):
        if role == "hook":
            description, line, text = hook_description, hook_line, hook_text
            shot, emotion = hook_shot, _HOOK_EMOTIONS[hook_type]
        elif role == "cta":
            description = "Creator points to the caption as the offer appears on screen"
            line, text = cta_line, cta_text
            shot, emotion = rng.choice(("talking_head", "medium")), "excited"
        else:
            description, line, text, shots, emotions = rng.choice(_BEATS[role])
            shot, emotion = rng.choice(shots), rng.choice(emotions)
            text = text if rng.random() < 0.6 else ""
        scenes.append({
            "index": index,
            "start_seconds": start / 100,
            "end_seconds": end / 100,
            "description": description.format(**words),
            "shot_type": shot,
            "on_screen_text": text.format(**words) or None,
            "transcript": line.format(**words) if voiceover else "",
            "emotion": emotion,
            "segment_type": _SEGMENT_TYPES[role],
        })

    duration = duration_cs / 100
    return {
        "source_url": url,
        "platform": platform,
        "duration_seconds": duration,
        "summary": (
            f"A {round(duration)}-second {'Instagram Reel' if platform == 'instagram' else 'TikTok'} in the "
            f"{niche.name} niche featuring a {niche.subject}. It opens with a {hook_type.replace('_', ' ')} hook, "
            f"moves through {count} shots at a {pace} pace, and {_CTA_PHRASES[cta_placement]}."
        ),
        "hook": {
            "text": hook_line.format(**words) if voiceover else hook_text.format(**words),
            "start_seconds": 0.0,
            "end_seconds": scenes[0]["end_seconds"],
            "hook_type": hook_type,
        },
        "scenes": scenes,
        "transcript": [
            {"start_seconds": s["start_seconds"], "end_seconds": s["end_seconds"], "speaker": "creator",
             "text": s["transcript"]}
            for s in scenes if s["transcript"]
        ],
        "cta": {
            "present": cta_index is not None,
            "text": (cta_line if voiceover else cta_text) or None,
            "start_seconds": scenes[cta_index]["start_seconds"] if cta_index is not None else None,
        },
        "audio": {"music": music, "voiceover": voiceover, "bpm": _bpm(rng, pace) if music else None},
        "pacing": {
            "cuts_per_minute": round((count - 1) * 60 / duration, 1),
            "average_shot_seconds": round(duration / count, 2),
        },
        "tags": [*niche.tags, hook_type, f"{pace}_paced", "voiceover" if voiceover else "music_only"],
    }


def _canonical(url: str) -> str:
    """Host and path only: the same reel shared with different tracking parameters is one reel."""
    parts = urlsplit(url)
    return f"{parts.netloc.lower().removeprefix('www.')}{parts.path.rstrip('/')}"


def _body_roles(rng: random.Random, count: int) -> list[str]:
    """The beats after the hook: an optional problem first, proof near the end, demos in between."""
    roles = rng.choices(("demo", "detail", "b_roll", "reaction"), weights=(4, 2, 2, 1), k=count)
    if count >= 3 and rng.random() < 0.6:
        roles[0] = "problem"
    if count >= 2 and rng.random() < 0.7:
        roles[-1] = "proof"
    return roles


def _place_cta(rng: random.Random, count: int) -> tuple[str, int | None, tuple[str, str]]:
    """Where the call to action sits, if anywhere: usually the last shot, sometimes mid-video or early."""
    if rng.random() < 0.25:
        return "none", None, ("", "")
    placement = rng.choices(("end", "middle", "early"), weights=(6, 3, 1))[0]
    index = {"end": count - 1, "middle": count // 2, "early": 1}[placement]
    return placement, index, rng.choice(_CTAS)


def _pace(average_shot_seconds: float) -> str:
    return "fast" if average_shot_seconds < 2.4 else "medium" if average_shot_seconds < 4.0 else "slow"


def _cuts(rng: random.Random, duration_cs: int, count: int) -> list[int]:
    """``count + 1`` cut points in centiseconds from 0 to the end, shots of uneven but sane length."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(count)]
    total = sum(weights)
    cuts = [0]
    for weight in weights[:-1]:
        cuts.append(cuts[-1] + round(duration_cs * weight / total))
    return [*cuts, duration_cs]


def _bpm(rng: random.Random, pace: str) -> int:
    """Fast edits ride fast tracks."""
    low, high = {"fast": (120, 150), "medium": (95, 125), "slow": (70, 100)}[pace]
    return rng.randint(low, high)

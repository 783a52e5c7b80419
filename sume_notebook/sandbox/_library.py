"""The sandbox's Asset Library: a seeded catalogue of scenes and the search behind ``GET /assets``.

Pure Python on purpose: the app stores and serves these dicts, while everything a search means
(filters, text relevance, order, keyset cursors) lives here and is tested without a server.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import heapq
import json
import math
import random
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

SEGMENT_TYPES = (
    "hook", "cta", "product_demo", "testimonial", "b_roll",
    "problem", "solution", "unboxing", "before_after", "offer",
)
SOURCE_TYPES = ("generated", "upload")
SEARCH_MODES = ("auto", "text")
SORTS = ("relevance", "created_at_desc", "created_at_asc", "duration_desc")
MAX_LIMIT = 100


# --- the seeded catalogue -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Brand:
    """What the camera and the voice of one brand's ads talk about, so text search has real words."""

    name: str
    products: tuple[str, ...]
    objects: tuple[str, ...]
    problems: tuple[str, ...]
    benefits: tuple[str, ...]
    settings: tuple[str, ...]
    tags: tuple[str, ...]
    keywords: tuple[str, ...]


_BRANDS = (
    _Brand("Lumen", ("Lumen Serum", "Lumen Night Cream", "Lumen SPF 50"),
           ("dropper", "glass bottle", "cream jar"),
           ("dull, dry skin", "breakouts before a big day", "makeup that won't sit right"),
           ("a glow that lasts all day", "softer skin in a week", "hydration without the grease"),
           ("a white bathroom counter", "a sunlit vanity", "a marble sink"),
           ("skincare", "beauty", "self-care"),
           ("serum", "hydration", "glow", "vitamin c", "spf")),
    _Brand("Brewbird", ("Brewbird Cold Brew", "Brewbird Morning Roast", "Brewbird Oat Latte"),
           ("can", "bag of beans", "pour-over kettle"),
           ("the 3 pm slump", "bitter office coffee", "mornings that start too slow"),
           ("smooth coffee in ten seconds", "café taste at home", "steady energy without the crash"),
           ("a kitchen counter at sunrise", "a home office desk", "a picnic blanket"),
           ("coffee", "beverage", "morning-routine"),
           ("cold brew", "espresso", "caffeine", "beans", "latte")),
    _Brand("Stride", ("Stride Cloud Runner", "Stride Trail Pro", "Stride Court Classic"),
           ("sneaker", "shoebox", "outsole"),
           ("sore feet after long runs", "shoes that fall apart on trails", "sneakers that look tired"),
           ("cushioning that feels like a cloud", "grip on wet rocks", "a clean look that goes with everything"),
           ("a city running track", "a muddy forest trail", "a sidewalk at golden hour"),
           ("sneakers", "running", "streetwear"),
           ("cushioning", "grip", "running shoes", "trainers", "sneakers")),
    _Brand("Pulsefit", ("Pulsefit Premium", "Pulsefit 7-Minute Plan"),
           ("phone screen", "workout timer", "progress chart"),
           ("skipping workouts when busy", "not knowing where to start at the gym", "progress that stalled"),
           ("a workout that fits in seven minutes", "a plan that adapts every week", "streaks that keep you going"),
           ("a living room floor", "a hotel room", "a park bench"),
           ("fitness", "app", "health"),
           ("workout", "hiit", "streak", "training plan", "subscription")),
    _Brand("Happy Paws", ("Happy Paws Salmon Bites", "Happy Paws Grain-Free Kibble", "Happy Paws Puppy Starter"),
           ("food bowl", "treat bag", "kibble scoop"),
           ("a picky eater who ignores dinner", "an itchy dog with a dull coat", "treats full of fillers"),
           ("a bowl licked clean", "a shinier coat in a month", "real salmon as the first ingredient"),
           ("a kitchen floor", "a backyard lawn", "a cozy dog bed"),
           ("pets", "dog", "pet-food"),
           ("kibble", "treats", "salmon", "grain-free", "puppy")),
    _Brand("Echo Audio", ("Echo Buds", "Echo Max", "Echo Sport"),
           ("charging case", "over-ear headphones", "ear tip"),
           ("a noisy commute", "earbuds that fall out mid-run", "calls where nobody hears you"),
           ("silence at the flip of a switch", "a fit that stays put", "30 hours of battery"),
           ("a crowded subway car", "an open-plan office", "a gym treadmill"),
           ("headphones", "audio", "tech"),
           ("noise cancelling", "battery", "bluetooth", "earbuds", "bass")),
)

# (title, description, transcript) per segment type; placeholders come from one brand and one product.
_TEMPLATES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "hook": (
        ("{product} in three seconds", "Fast push-in on the {product} {object} on {setting}",
         "Stop scrolling: this is the {product}."),
        ("Why everyone is talking about {brand}", "Creator holds the {product} up to the camera, surprised",
         "Okay, I finally get why everyone is talking about {brand}."),
        ("Still dealing with {problem}?", "Text overlay asks about {problem} over a close-up of the {object}",
         "Still dealing with {problem}? Watch this."),
    ),
    "cta": (
        ("Shop {product} now", "End card with the {brand} logo and a Shop Now button",
         "Tap the link to get your {product} today."),
        ("Try {brand} today", "Creator points at the on-screen link below the {product}",
         "The link is below, go try {brand} for yourself."),
    ),
    "product_demo": (
        ("{product} demo", "Close-up of the {product} {object} in use on {setting}",
         "Here's how the {product} works, it takes seconds."),
        ("How to use {product}", "Hands show the {product} step by step on {setting}",
         "Step one, grab your {product}. Step two, that's it."),
    ),
    "testimonial": (
        ("{product} review", "Customer talks to camera about the {product} on {setting}",
         "I've used the {product} for a month and I'm not going back."),
        ("Real customer on {brand}", "Smiling customer holds the {product} and explains the results",
         "What I love about {brand} is {benefit}."),
    ),
    "b_roll": (
        ("Lifestyle shot with {product}", "Slow pan across {setting} with the {product} in soft focus", ""),
        ("{brand} mood shot", "Wide shot of {setting} in natural light, the {object} on the side", ""),
        ("Lifestyle shot of {setting}", "Slow pan across {setting}, soft morning light", ""),
    ),
    "problem": (
        ("The problem: {problem}", "Frustrated creator dealing with {problem} on {setting}",
         "Let's be honest, {problem} is the worst."),
        ("Life before {brand}", "Split screen of {problem} next to an empty {object}",
         "This was me every single day: {problem}."),
    ),
    "solution": (
        ("{product} to the rescue", "The {product} enters the frame and the mood lifts on {setting}",
         "Then I found the {product}, and now I get {benefit}."),
        ("How {brand} fixes it", "Creator explains the fix while holding the {object}",
         "{brand} fixed it for me: {benefit}."),
    ),
    "unboxing": (
        ("Unboxing the {product}", "Hands open the {brand} box and lift out the {object}",
         "It just arrived! Let's unbox the {product}."),
        ("What's inside the {brand} box", "Top-down view of the {product} packaging on {setting}",
         "Look at this packaging, the {object} is so nice."),
    ),
    "before_after": (
        ("{product} before and after", "Side-by-side before and after using the {product}",
         "Before: {problem}. After the {product}: {benefit}."),
        ("Week one vs week four", "Split screen comparing week one and week four with the {product}",
         "Four weeks with {brand}, look at the difference."),
    ),
    "offer": (
        ("{brand} sale: {discount}% off", "Bold price card for the {product} with a countdown timer",
         "Right now the {product} is {discount}% off, this week only."),
        ("Free shipping on {product}", "Creator holds the {product} next to a Free Shipping banner",
         "Free shipping on every {product} order, today only."),
    ),
}

_SEGMENT_TAGS = {
    "hook": ("hook", "attention"), "cta": ("cta", "conversion"), "product_demo": ("demo", "tutorial"),
    "testimonial": ("testimonial", "social-proof"), "b_roll": ("b-roll", "lifestyle"),
    "problem": ("pain-point",), "solution": ("solution",), "unboxing": ("unboxing", "packaging"),
    "before_after": ("before-after", "results"), "offer": ("offer", "discount"),
}
_SEGMENT_LABELS = {
    "hook": "Opening hook", "cta": "Call to action", "product_demo": "Product demo",
    "testimonial": "Testimonial", "b_roll": "B-roll", "problem": "Problem", "solution": "Solution",
    "unboxing": "Unboxing", "before_after": "Before and after", "offer": "Offer",
}
_BODY_SEGMENTS = ("problem", "solution", "product_demo", "testimonial", "b_roll", "unboxing", "before_after")
_SOURCE_FORMATS = {
    "generated": ("launch ad", "30s promo", "holiday spot", "product explainer", "retargeting cut"),
    "upload": ("UGC review", "creator unboxing", "customer testimonial cut", "TikTok repost", "studio shoot"),
}
_ASPECT_RATIOS = ("9:16", "9:16", "9:16", "4:5", "1:1", "16:9")
_SEED_SOURCES = 48
_MIN_SEED_SCENES = 300
_HISTORY_SECONDS = 182 * 86_400


def seed_library(seed: int, now: datetime) -> tuple[list[dict], list[dict]]:
    """Build the demo workspace's library: the same sources and scenes for the same seed and ``now``."""
    rng = random.Random(seed)
    now = _as_utc(now)
    sources: list[dict] = []
    scenes: list[dict] = []
    while len(sources) < _SEED_SOURCES or len(scenes) < _MIN_SEED_SCENES:
        source, source_scenes = _seed_source(rng, seed, len(sources), now)
        sources.append(source)
        scenes.extend(source_scenes)
    return sources, scenes


def _seed_source(rng: random.Random, seed: int, number: int, now: datetime) -> tuple[dict, list[dict]]:
    """One source video cut into contiguous scenes that follow an ad's usual arc: hook, body, close."""
    brand = rng.choice(_BRANDS)
    product = rng.choice(brand.products)
    source_type = "generated" if rng.random() < 0.55 else "upload"
    created = now - timedelta(seconds=rng.randint(3_600, _HISTORY_SECONDS))
    source_id = "src_" + _digest(f"{seed}:source:{number}")

    segments = ["hook"] if rng.random() < 0.9 else []
    segments += rng.choices(_BODY_SEGMENTS, k=rng.randint(3, 8))
    if rng.random() < 0.8:
        segments += rng.choice((["cta"], ["offer"], ["offer", "cta"]))

    scenes: list[dict] = []
    start_cs = 0
    for index, segment in enumerate(segments):
        end_cs = start_cs + _scene_length_cs(rng, segment)
        fields = {
            "brand": brand.name, "product": product, "object": rng.choice(brand.objects),
            "problem": rng.choice(brand.problems), "benefit": rng.choice(brand.benefits),
            "setting": rng.choice(brand.settings), "discount": rng.choice((10, 15, 20, 25, 30)),
        }
        title, description, transcript = (t.format(**fields) for t in rng.choice(_TEMPLATES[segment]))
        text = f"{title} {description} {transcript}"
        mentioned = [product] if product in text else []
        format_tag = "ai-generated" if source_type == "generated" else "ugc"
        scenes.append({
            "id": "scn_" + _digest(f"{seed}:scene:{number}:{index}"),
            "source_video_id": source_id,
            "source_type": source_type,
            "segment_type": segment,
            "start_seconds": start_cs / 100,
            "end_seconds": end_cs / 100,
            "duration_seconds": (end_cs - start_cs) / 100,
            "has_clip": rng.random() >= 0.1,
            "brands": [brand.name] if mentioned or brand.name in text else [],
            "products": mentioned,
            "tags": [*rng.sample(brand.tags, 2), *_SEGMENT_TAGS[segment], format_tag],
            "keywords": rng.sample(brand.keywords, rng.randint(2, 3)),
            "cta_present": rng.random() < (0.9 if segment in ("cta", "offer") else 0.05),
            "title": title,
            "description": description,
            "transcript": transcript,
            "created_at": _iso(created + timedelta(seconds=120 + index)),
        })
        start_cs = end_cs

    source = {
        "id": source_id,
        "title": f"{product} {rng.choice(_SOURCE_FORMATS[source_type])}",
        "duration_seconds": (start_cs + rng.randint(0, 300)) / 100,
        "source_type": source_type,
        "aspect_ratio": rng.choice(_ASPECT_RATIOS),
        "brand": brand.name,
        "created_at": _iso(created),
    }
    return source, scenes


def _scene_length_cs(rng: random.Random, segment: str) -> int:
    """Scene length in centiseconds (1 to 20 s): hooks are short, a few demos and b-roll run long."""
    if segment in ("product_demo", "testimonial", "b_roll") and rng.random() < 0.12:
        return rng.randint(1_000, 2_000)
    if segment == "hook":
        return rng.randint(100, 400)
    return rng.randint(100, 900)


_UPLOAD_HINTS = {
    "unboxing": "unboxing", "unbox": "unboxing", "haul": "unboxing",
    "review": "testimonial", "testimonial": "testimonial", "honest": "testimonial",
    "demo": "product_demo", "tutorial": "product_demo", "how": "product_demo",
    "before": "before_after", "after": "before_after", "transformation": "before_after",
    "sale": "offer", "offer": "offer", "discount": "offer", "promo": "offer",
    "broll": "b_roll", "lifestyle": "b_roll", "problem": "problem", "fix": "solution",
}
_STOPWORDS = frozenset("the and for with from this that our your my of to in on at a an is it".split())


def scenes_for_upload(source_id: str, title: str, duration_seconds: float, created_at: str) -> list[dict]:
    """Cut a finalized upload into 2-6 s scenes, as ingest would, so the new video is searchable."""
    rng = random.Random(f"upload:{source_id}")
    total_cs = round(duration_seconds * 100)
    words = [w for w in _WORD.findall(title.lower()) if len(w) > 2 and w not in _STOPWORDS]
    hinted = list(dict.fromkeys(_UPLOAD_HINTS[w] for w in words if w in _UPLOAD_HINTS))
    body = hinted or ["product_demo", "b_roll", "testimonial"]
    lowered = title.lower()
    products = [p for b in _BRANDS for p in b.products if p.lower() in lowered]
    brands = [b.name for b in _BRANDS if b.name.lower() in lowered or set(b.products) & set(products)]

    cuts = [0]
    while total_cs - cuts[-1] > 600:
        cuts.append(cuts[-1] + rng.randint(200, min(600, total_cs - cuts[-1] - 200)))
    if total_cs > 0:
        cuts.append(total_cs)

    scenes: list[dict] = []
    count = len(cuts) - 1
    for index, (start_cs, end_cs) in enumerate(zip(cuts, cuts[1:])):
        if index == 0:
            segment = "hook"
        elif index == count - 1 and count >= 3:
            segment = "cta"
        else:
            segment = body[(index - 1) % len(body)]
        label = _SEGMENT_LABELS[segment]
        scenes.append({
            "id": "scn_" + _digest(f"{source_id}:{index}"),
            "source_video_id": source_id,
            "source_type": "upload",
            "segment_type": segment,
            "start_seconds": start_cs / 100,
            "end_seconds": end_cs / 100,
            "duration_seconds": (end_cs - start_cs) / 100,
            "has_clip": True,
            "brands": brands,
            "products": products,
            "tags": [*_SEGMENT_TAGS[segment], *words[:3]],
            "keywords": words[:6],
            "cta_present": segment == "cta",
            "title": f"{title}: {label.lower()}",
            "description": f'{label} from "{title}", {start_cs / 100:.1f} to {end_cs / 100:.1f} s',
            "transcript": "",
            "created_at": created_at,
        })
    return scenes


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _as_utc(moment: datetime) -> datetime:
    """Naive datetimes are read as UTC, the only zone the API speaks."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_iso(text: str) -> datetime:
    """ISO 8601 with a trailing ``Z`` also on Python 3.10, whose ``fromisoformat`` rejects it."""
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    return _as_utc(datetime.fromisoformat(text))


# --- query parameters -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchParams:
    """One ``GET /assets`` query, validated; ``None`` means the filter is off."""

    q: str | None = None
    search_mode: str | None = None
    source_type: str | None = None
    segment_type: str | None = None
    brand: str | None = None
    product: str | None = None
    tag: str | None = None
    keyword: str | None = None
    cta_present: bool | None = None
    min_duration: float | None = None
    max_duration: float | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    sort: str | None = None
    limit: int = 20
    cursor: str | None = None

    @property
    def effective_sort(self) -> str:
        """Relevance when there is a query, newest first otherwise."""
        return self.sort or ("relevance" if self.q else "created_at_desc")


def parse_search_params(params: Mapping[str, str]) -> tuple[SearchParams, list[dict[str, str]]]:
    """Read the query string and report every bad parameter at once, each with what it accepts."""
    errors: list[dict[str, str]] = []

    def fail(field: str, message: str) -> None:
        errors.append({"field": field, "message": message})

    def text(field: str) -> str | None:
        value = params.get(field)
        return (value.strip() or None) if value is not None else None

    def choice(field: str, allowed: Sequence[str]) -> str | None:
        value = text(field)
        if value is None or value.lower() in allowed:
            return value and value.lower()
        fail(field, f"{field} must be one of: {', '.join(allowed)}")
        return None

    def seconds(field: str) -> float | None:
        value = text(field)
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if math.isfinite(number) and number >= 0:
            return number
        fail(field, f"{field} must be a number of seconds >= 0")
        return None

    def moment(field: str) -> datetime | None:
        value = text(field)
        if value is None:
            return None
        try:
            return _parse_iso(value)
        except ValueError:
            fail(field, f"{field} must be an ISO 8601 date or date-time, e.g. 2025-01-31T12:00:00Z")
            return None

    q = text("q")
    if q is not None and not _WORD.search(q):
        fail("q", "q must contain at least one letter or digit")
        q = None
    elif q is not None and len(q) > 500:
        fail("q", "q must be at most 500 characters")
        q = None

    cta_present = choice("cta_present", ("true", "false"))
    min_duration, max_duration = seconds("min_duration"), seconds("max_duration")
    if min_duration is not None and max_duration is not None and min_duration > max_duration:
        fail("max_duration", "max_duration must be greater than or equal to min_duration")
    created_after, created_before = moment("created_after"), moment("created_before")
    if created_after and created_before and created_after >= created_before:
        fail("created_before", "created_before must be later than created_after")

    sort = choice("sort", SORTS)
    if sort == "relevance" and text("q") is None:
        fail("sort", "sort=relevance needs q; without q use created_at_desc, created_at_asc or duration_desc")
        sort = None

    limit = _int_or_none(text("limit") or "20")
    if limit is None or not 1 <= limit <= MAX_LIMIT:
        fail("limit", f"limit must be an integer from 1 to {MAX_LIMIT}")
        limit = 20

    search_mode = choice("search_mode", SEARCH_MODES)
    parsed = SearchParams(
        q=q,
        search_mode=search_mode or ("text" if q else None),
        source_type=choice("source_type", SOURCE_TYPES),
        segment_type=choice("segment_type", SEGMENT_TYPES),
        brand=text("brand"),
        product=text("product"),
        tag=text("tag"),
        keyword=text("keyword"),
        cta_present=None if cta_present is None else cta_present == "true",
        min_duration=min_duration,
        max_duration=max_duration,
        created_after=created_after,
        created_before=created_before,
        sort=sort,
        limit=limit,
        cursor=text("cursor"),
    )
    return parsed, errors


def _int_or_none(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


# --- search ---------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")
# A query term found in several fields counts like independent evidence: 1 - prod(1 - weight).
_FIELD_WEIGHTS = (("title", 0.6), ("tags", 0.45), ("keywords", 0.45), ("description", 0.35), ("transcript", 0.25))
_MASK_SCORE = tuple(
    1 - math.prod(1 - weight for bit, (_, weight) in enumerate(_FIELD_WEIGHTS) if mask >> bit & 1)
    for mask in range(1 << len(_FIELD_WEIGHTS))
)


@dataclass(frozen=True)
class _Indexed:
    """What a search needs from a scene, computed once: term -> bitmask of fields, lowercase lists."""

    id: str
    title: str
    created_at: str
    terms: dict[str, int]
    brands: frozenset[str]
    products: frozenset[str]
    tags: frozenset[str]
    keywords: frozenset[str]
    created: float
    duration: float


# Keyed by scene id, because the app may rebuild the scene dicts on every request.
_INDEX: dict[str, _Indexed] = {}


def _terms(text: str) -> list[str]:
    """Lowercase words with a plural ``s`` dropped, so "serums" finds "serum"."""
    return [w[:-1] if len(w) > 3 and w[-1] == "s" and w[-2] != "s" else w for w in _WORD.findall(text.lower())]


def _index(scene: Mapping[str, Any]) -> _Indexed:
    """The cached index entry, rebuilt when the id comes back with other content (a reseeded library)."""
    cached = _INDEX.get(scene["id"])
    if (
        cached is not None
        and cached.created_at == scene["created_at"]
        and cached.title == scene["title"]
        and cached.duration == scene["duration_seconds"]
    ):
        return cached
    terms: dict[str, int] = {}
    for bit, (field, _) in enumerate(_FIELD_WEIGHTS):
        value = scene.get(field) or ""
        for term in _terms(" ".join(value) if isinstance(value, list) else value):
            terms[term] = terms.get(term, 0) | 1 << bit
    lowered = {field: frozenset(v.casefold() for v in scene.get(field) or ())
               for field in ("brands", "products", "tags", "keywords")}
    indexed = _Indexed(
        id=scene["id"],
        title=scene["title"],
        created_at=scene["created_at"],
        terms=terms,
        created=_parse_iso(scene["created_at"]).timestamp(),
        duration=float(scene["duration_seconds"]),
        **lowered,
    )
    _INDEX[scene["id"]] = indexed
    return indexed


def _filters(params: SearchParams) -> list[Callable[[Mapping[str, Any], _Indexed], bool]]:
    """Only the filters this query turns on, so an unfiltered search pays for none of them."""
    checks: list[Callable[[Mapping[str, Any], _Indexed], bool]] = []
    if params.source_type is not None:
        checks.append(lambda s, _: s["source_type"] == params.source_type)
    if params.segment_type is not None:
        checks.append(lambda s, _: s["segment_type"] == params.segment_type)
    for field in ("brand", "product", "tag", "keyword"):
        wanted = getattr(params, field)
        if wanted is not None:
            checks.append(lambda _, i, f=field + "s", w=wanted.casefold(): w in getattr(i, f))
    if params.cta_present is not None:
        checks.append(lambda s, _: bool(s["cta_present"]) == params.cta_present)
    if params.min_duration is not None:
        checks.append(lambda _, i: i.duration >= params.min_duration)
    if params.max_duration is not None:
        checks.append(lambda _, i: i.duration <= params.max_duration)
    if params.created_after is not None:
        after = _as_utc(params.created_after).timestamp()
        checks.append(lambda _, i: i.created >= after)
    if params.created_before is not None:
        before = _as_utc(params.created_before).timestamp()
        checks.append(lambda _, i: i.created < before)
    return checks


# Every order ascends on (value, id), so one keyset comparison serves all four sorts.
_SORT_VALUES: dict[str, Callable[[_Indexed, float | None], float]] = {
    "relevance": lambda indexed, score: -(score or 0.0),
    "created_at_desc": lambda indexed, score: -indexed.created,
    "created_at_asc": lambda indexed, score: indexed.created,
    "duration_desc": lambda indexed, score: -indexed.duration,
}


def search_scenes(
    scenes: Sequence[dict], params: SearchParams
) -> tuple[list[tuple[dict, float | None]], str | None]:
    """One page of matching scenes with their scores, and the cursor of the next page.

    ``created_after`` is inclusive and ``created_before`` exclusive, so adjacent windows never overlap.
    Raises ``ValueError`` for a cursor that is malformed or belongs to another sort or query.
    """
    sort = params.effective_sort
    if sort == "relevance" and not params.q:
        raise ValueError("sort=relevance needs a query (q)")
    after = _decode_cursor(params.cursor, sort, params.q) if params.cursor else None
    page = heapq.nsmallest(params.limit + 1, _ranked(scenes, params, sort, after))
    next_cursor = _encode_cursor(sort, params.q, page[params.limit - 1][:2]) if len(page) > params.limit else None
    return [(scene, score) for *_, scene, score in page[: params.limit]], next_cursor


def _ranked(
    scenes: Sequence[dict], params: SearchParams, sort: str, after: tuple[float, str] | None
) -> Iterator[tuple[float, str, int, dict, float | None]]:
    """Matching scenes past the cursor as (sort value, id, position, scene, score), lowest first wins.

    A generator, not a list: ``heapq.nsmallest`` keeps only one page alive, so a search over a big
    library allocates almost nothing that the garbage collector would later have to walk.
    """
    query = list(dict.fromkeys(_terms(params.q))) if params.q else []
    checks = _filters(params)
    sort_value = _SORT_VALUES[sort]
    for position, scene in enumerate(scenes):
        indexed = _index(scene)
        if checks and not all(check(scene, indexed) for check in checks):
            continue
        score = None
        if query:
            if indexed.terms.keys().isdisjoint(query):
                continue
            score = round(sum([_MASK_SCORE[indexed.terms.get(t, 0)] for t in query]) / len(query), 4)
        value = sort_value(indexed, score)
        if after is None or (value, indexed.id) > after:
            yield value, indexed.id, position, scene, score


def _encode_cursor(sort: str, q: str | None, key: tuple[float, str]) -> str:
    """A keyset cursor: the last item's sort key, so scenes added between pages never shift a page."""
    payload = json.dumps({"sort": sort, "q": q, "value": key[0], "id": key[1]}, separators=(",", ":"))
    return "cur_" + base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str, q: str | None) -> tuple[float, str]:
    hint = "pass the next_cursor of the previous page unchanged"
    try:
        if not cursor.startswith("cur_"):
            raise ValueError
        body = cursor[4:]
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        value, scene_id = data["value"], data["id"]
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            raise ValueError
        if not isinstance(scene_id, str):
            raise ValueError
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError):
        raise ValueError(f"cursor is not valid; {hint}") from None
    if data.get("sort") != sort or data.get("q") != q:
        raise ValueError(f"cursor belongs to a search with another sort or q; {hint}, or start without it")
    return float(value), scene_id

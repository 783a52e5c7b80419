"""The Asset Library's catalogue: which scenes a workspace holds and how they come to exist.

A workspace starts with a seeded library, the same sources and scenes for the same seed, written from
real brand, product and problem words so that text search has something to find. A finalized upload
is cut into scenes the way ingest would cut it, so the new video is searchable too. The app stores
these dicts in SQLite; finding them again is the job of ``_library_search``.

Not to be confused with ``_catalog``, the table of documented constants (prices, job durations,
enums): that module says how the sandbox behaves, this one what its library holds.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

# Every segment_type and source_type a scene can have; the search accepts exactly these as filters.
SEGMENT_TYPES = (
    "hook", "cta", "product_demo", "testimonial", "b_roll",
    "problem", "solution", "unboxing", "before_after", "offer",
)
SOURCE_TYPES = ("generated", "upload")


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


def seed_library(seed: int, now: datetime, min_scenes: int = _MIN_SEED_SCENES) -> tuple[list[dict], list[dict]]:
    """Build the demo workspace's library: the same sources and scenes for the same seed and ``now``.

    A larger ``min_scenes`` only adds sources after the usual ones, so the small library is a prefix of it.
    """
    rng = random.Random(seed)
    now = as_utc(now)
    sources: list[dict] = []
    scenes: list[dict] = []
    while len(sources) < _SEED_SOURCES or len(scenes) < min_scenes:
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
# Title words become the upload's tags and keywords. The search splits those into terms by its own rule,
# so this pattern only has to pick sensible words, not agree with it.
_TITLE_WORD = re.compile(r"[^\W_]+")
_STOPWORDS = frozenset("the and for with from this that our your my of to in on at a an is it".split())


def scenes_for_upload(source_id: str, title: str, duration_seconds: float, created_at: str) -> list[dict]:
    """Cut a finalized upload into 2-6 s scenes, as ingest would, so the new video is searchable."""
    rng = random.Random(f"upload:{source_id}")
    total_cs = round(duration_seconds * 100)
    words = [w for w in _TITLE_WORD.findall(title.lower()) if len(w) > 2 and w not in _STOPWORDS]
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


def as_utc(moment: datetime) -> datetime:
    """Naive datetimes are read as UTC, the only zone the API speaks; the search reads its dates the same way."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def parse_iso(text: str) -> datetime:
    """ISO 8601 with a trailing ``Z`` also on Python 3.10, whose ``fromisoformat`` rejects it; naive is UTC."""
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    return as_utc(datetime.fromisoformat(text))


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

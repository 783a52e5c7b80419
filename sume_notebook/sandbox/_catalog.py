"""The sandbox's documented constants: prices, job durations, enums and output sizes.

Everything a user might want to look up about how the sandbox behaves lives here, in one table each,
so the docs, the price list printed by the CLI and the server cannot disagree.
Not to be confused with ``_library_catalogue``, the seeded scenes of the Asset Library.
"""

from __future__ import annotations

import math

# Seconds each job type takes at time_scale=1.0 (queued for the first tenth, then running).
JOB_DURATIONS: dict[str, float] = {
    "image_generation": 4.0,
    "video_generation": 12.0,
    "ad_video_generation": 20.0,
    "face_swap": 15.0,
    "reference_analysis": 8.0,
    "asset_upload": 5.0,
}
QUEUED_FRACTION = 0.1

# Job types that count against a workspace's active-generation limit (uploads do not).
GENERATION_TYPES = frozenset(JOB_DURATIONS) - {"asset_upload"}

# Statuses: non-terminal while the job works, terminal once it ended.
RUNNING_STATUS = {"asset_upload": "processing", "reference_analysis": "processing"}
TERMINAL_STATUSES = ("completed", "failed", "canceled", "expired")
JOB_STATUSES = ("queued", "running", "processing", *TERMINAL_STATUSES)

# Credits charged per request (reserved at create, refunded when the job does not complete).
PRICES = {
    "image_generation": {"standard": 2, "high": 4},  # per image
    "video_generation": {"480p": 2, "720p": 3, "audio": 4},  # per second, plus a flat audio fee
    "ad_video_generation": {"talking_heads": 40, "ugc_ads": 50, "video": 60},
    "face_swap": {"per_avatar": 15},
    "reference_analysis": {"flat": 5},
    "asset_upload": {"flat": 0},
}

IMAGE_ASPECT_RATIOS = ("1:1", "4:5", "9:16")
IMAGE_RESOLUTIONS = {"512": 512, "1k": 1024, "2k": 2048}  # longest edge in pixels
IMAGE_QUALITIES = ("standard", "high")
VIDEO_ASPECT_RATIOS = ("16:9", "9:16", "1:1", "4:5")
VIDEO_RESOLUTIONS = {"480p": 480, "720p": 720}  # shortest edge in pixels
VIDEO_DURATION_RANGE = (4.0, 15.0)
AD_FORMATS = ("talking_heads", "ugc_ads", "video")
AVATAR_AD_FORMATS = ("talking_heads", "ugc_ads")
AD_LOCALES = ("en", "ko")
AD_DURATION_RANGE = {"talking_heads": (5.0, 60.0), "ugc_ads": (5.0, 60.0), "video": (5.0, 30.0)}
AD_DEFAULT_DURATION = 15.0
SCRIPT_LENGTH_RANGE = (3, 1800)
MAX_REFERENCE_IMAGES = 9
FACE_SWAP_ASPECT_RATIOS = ("16:9", "9:16", "1:1", "4:3", "3:4", "21:9")
FACE_SWAP_MAX_DURATION = 15.0
FACE_SWAP_AVATARS_RANGE = (1, 5)
UPLOAD_PURPOSES = ("asset_library_video", "face_swap_source_video")
UPLOAD_CONTENT_TYPES = ("video/mp4", "video/quicktime", "video/webm")
UPLOAD_URL_TTL_SECONDS = 900
IDEMPOTENCY_TTL_SECONDS = 24 * 3600

# Workspace defaults.
DEFAULT_MAX_ACTIVE_GENERATIONS = 4
DEFAULT_RATE_PER_SECOND = 50.0
DEFAULT_RATE_BURST = 100
DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024


def ratio(aspect_ratio: str) -> tuple[int, int]:
    """Split "9:16" into (9, 16)."""
    width, height = aspect_ratio.split(":")
    return int(width), int(height)


def even(value: float) -> int:
    """H.264 with yuv420p needs even dimensions."""
    return max(2, int(round(value / 2.0)) * 2)


def image_size(aspect_ratio: str, resolution: str) -> tuple[int, int]:
    """Pixel size of an image: the resolution names the longest edge."""
    w, h = ratio(aspect_ratio)
    longest = IMAGE_RESOLUTIONS[resolution]
    scale = longest / max(w, h)
    return even(w * scale), even(h * scale)


def video_size(aspect_ratio: str, resolution: str) -> tuple[int, int]:
    """Pixel size of a video: the resolution names the shortest edge (480p, 720p)."""
    w, h = ratio(aspect_ratio)
    shortest = VIDEO_RESOLUTIONS[resolution]
    scale = shortest / min(w, h)
    return even(w * scale), even(h * scale)


def price(job_type: str, request: dict) -> int:
    """Credits one request costs, from the PRICES table."""
    table = PRICES[job_type]
    if job_type == "image_generation":
        return table[request.get("quality") or "standard"] * int(request.get("image_count") or 1)
    if job_type == "video_generation":
        per_second = table[request.get("resolution") or "720p"]
        cost = per_second * math.ceil(float(request.get("duration") or 8))
        return cost + (table["audio"] if request.get("generate_audio") else 0)
    if job_type == "ad_video_generation":
        return table[request.get("ad_format") or "talking_heads"]
    if job_type == "face_swap":
        return table["per_avatar"]
    return table["flat"]


def price_table_text() -> str:
    """The price table as a person reads it (CLI, docs)."""
    return "\n".join(
        [
            "image_generation      2 credits per image (standard), 4 (high)",
            "video_generation      2 credits per second at 480p, 3 at 720p, +4 with audio",
            "ad_video_generation   40 (talking_heads), 50 (ugc_ads), 60 (video)",
            "face_swap             15 credits per avatar job",
            "reference_analysis    5 credits",
            "asset_upload          free",
        ]
    )

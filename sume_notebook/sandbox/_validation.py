"""Request-body rules for the create routes, declared once and used for both validation and OpenAPI.

Each route's body is a table of `Field`s (type, required, enum, bounds) plus a few cross-field rules.
A request is checked completely and every bad field is reported, as the real API's
`validation_error` does, so a user fixes everything in one round.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlsplit

from . import _catalog as cat
from ._library_catalogue import SEGMENT_TYPES, SOURCE_TYPES
from ._library_search import MAX_LIMIT, SEARCH_MODES, SORTS

Problems = list[dict[str, str]]


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "string", "integer", "number", "boolean", "strings" (a list), "urls" (a list of safe URLs)
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    nullable: bool = False
    format: str | None = None  # an OpenAPI format such as "date-time" (OpenAPI only)
    description: str = ""


def is_loopback_host(host: str | None) -> bool:
    """The sandbox serves its own media over plain http on loopback; that counts as safe."""
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_safe_url(value: str) -> bool:
    """HTTPS, or http to a loopback host (the sandbox's own media); and well formed: `urlsplit` raises on a
    broken IPv6 literal (`https://[::1/`) and `.port` on a port that is not a number from 0 to 65535."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - read for its validation
    except ValueError:
        return False
    if parts.scheme == "https" and parts.hostname:
        return True
    return parts.scheme == "http" and is_loopback_host(parts.hostname)


def _check_type(field: Field, value: Any) -> str | None:
    if value is None:
        return None if field.nullable or not field.required else "must not be null"
    if field.kind == "string" and not isinstance(value, str):
        return "must be a string"
    if field.kind == "boolean" and not isinstance(value, bool):
        return "must be true or false"
    if field.kind in ("integer", "number"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"must be a {field.kind}"
        if field.kind == "integer" and not float(value).is_integer():
            return "must be a whole number"
    if field.kind in ("strings", "urls"):
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return "must be a list of strings"
    return None


def _entries(count: int) -> str:
    return f"{count} {'entry' if count == 1 else 'entries'}"


def _check_bounds(field: Field, value: Any) -> str | None:
    if value is None:
        return None
    if field.choices and value not in field.choices:
        return "must be one of " + ", ".join(field.choices)
    if field.kind in ("integer", "number"):
        if field.minimum is not None and value < field.minimum:
            return f"must be at least {field.minimum:g}"
        if field.maximum is not None and value > field.maximum:
            return f"must be at most {field.maximum:g}"
    if field.kind == "string":
        if field.min_length is not None and len(value.strip()) < field.min_length:
            return "must not be empty" if field.min_length == 1 else f"must be at least {field.min_length} characters"
        if field.max_length is not None and len(value) > field.max_length:
            return f"must be at most {field.max_length} characters"
    if field.kind in ("strings", "urls"):
        if field.min_items is not None and len(value) < field.min_items:
            return f"needs at least {_entries(field.min_items)}"
        if field.max_items is not None and len(value) > field.max_items:
            return f"accepts at most {_entries(field.max_items)}"
    if field.kind == "urls":
        bad = [index for index, url in enumerate(value) if not is_safe_url(url)]
        if bad:
            return f"must hold HTTPS URLs (entries {', '.join(map(str, bad))} are not)"
    return None


def check_fields(fields: tuple[Field, ...], body: dict) -> Problems:
    """Check types, presence and bounds of every declared field; unknown fields are errors too."""
    problems: Problems = []
    known = {field.name for field in fields}
    for name in body:
        if name in ("workspace_id", "user_id"):
            problems.append({"field": name, "message": "is set by the API key; do not send it"})
        elif name not in known:
            problems.append({"field": name, "message": "is not a field of this request"})
    for field in fields:
        value = body.get(field.name)
        if field.name not in body or (value is None and not field.nullable):
            if field.required:
                problems.append({"field": field.name, "message": "is required"})
            continue
        message = _check_type(field, value) or _check_bounds(field, value)
        if message:
            problems.append({"field": field.name, "message": message})
    return problems


IMAGE_FIELDS = (
    Field("prompt", "string", required=True, min_length=1, max_length=4000, description="Main image instruction."),
    Field("aspect_ratio", "string", choices=cat.IMAGE_ASPECT_RATIOS),
    Field("resolution", "string", choices=tuple(cat.IMAGE_RESOLUTIONS), description="Longest edge."),
    Field("quality", "string", choices=cat.IMAGE_QUALITIES),
    Field("image_count", "integer", minimum=1, maximum=4),
    Field("n", "integer", minimum=1, maximum=4),
    Field("reference_image_urls", "urls", max_items=cat.MAX_REFERENCE_IMAGES),
)
VIDEO_FIELDS = (
    Field("prompt", "string", required=True, min_length=1, max_length=4000, description="Main video instruction."),
    Field("aspect_ratio", "string", choices=cat.VIDEO_ASPECT_RATIOS),
    Field("duration", "number", minimum=cat.VIDEO_DURATION_RANGE[0], maximum=cat.VIDEO_DURATION_RANGE[1]),
    Field("generate_audio", "boolean"),
    Field("resolution", "string", choices=tuple(cat.VIDEO_RESOLUTIONS)),
)
AD_FIELDS = (
    Field("script", "string", required=True, min_length=cat.SCRIPT_LENGTH_RANGE[0],
          max_length=cat.SCRIPT_LENGTH_RANGE[1]),
    Field("ad_format", "string", choices=cat.AD_FORMATS),
    Field("avatar_id", "string"),
    Field("avatar_slug", "string"),
    Field("locale", "string", choices=cat.AD_LOCALES),
    Field("duration_seconds", "number", minimum=1, maximum=600, description="Clamped to the format's range."),
    Field("reference_image_urls", "urls", max_items=cat.MAX_REFERENCE_IMAGES),
    Field("reference_video_urls", "urls", max_items=cat.MAX_REFERENCE_IMAGES),
)
FACE_SWAP_FIELDS = (
    Field("source_video_url", "string", required=True),
    Field("avatar_ids", "strings", required=True, min_items=cat.FACE_SWAP_AVATARS_RANGE[0],
          max_items=cat.FACE_SWAP_AVATARS_RANGE[1]),
    Field("duration_seconds", "number", minimum=1, maximum=cat.FACE_SWAP_MAX_DURATION),
    Field("trim_start_seconds", "number", minimum=0),
    Field("trim_end_seconds", "number", minimum=0, nullable=True),
    Field("aspect_ratio", "string", choices=cat.FACE_SWAP_ASPECT_RATIOS),
)
ANALYSIS_FIELDS = (Field("url", "string", required=True, description="Public TikTok or Instagram Reel URL."),)
PRESIGN_FIELDS = (
    Field("purpose", "string", required=True, choices=cat.UPLOAD_PURPOSES),
    Field("filename", "string", required=True, min_length=1, max_length=255),
    Field("content_type", "string", required=True, choices=cat.UPLOAD_CONTENT_TYPES),
    Field("size_bytes", "integer", required=True, minimum=1),
)
FINALIZE_FIELDS = (
    Field("object_key", "string", required=True, min_length=1),
    Field("title", "string", max_length=200),
)


def _image_rules(body: dict) -> Problems:
    if "image_count" in body and "n" in body and body["image_count"] != body["n"]:
        return [{"field": "n", "message": "conflicts with image_count; send one of them"}]
    return []


def _ad_rules(body: dict) -> Problems:
    problems: Problems = []
    ad_format = body.get("ad_format") or "talking_heads"
    if ad_format in cat.AVATAR_AD_FORMATS and not (body.get("avatar_id") or body.get("avatar_slug")):
        problems.append({"field": "avatar_id", "message": f"avatar_id or avatar_slug is required for {ad_format}"})
    if body.get("reference_video_urls") and ad_format != "video":
        problems.append({"field": "reference_video_urls", "message": 'is only supported with ad_format "video"'})
    return problems


def _face_swap_rules(body: dict) -> Problems:
    start, end = body.get("trim_start_seconds"), body.get("trim_end_seconds")
    if isinstance(start, (int, float)) and isinstance(end, (int, float)) and end <= start:
        return [{"field": "trim_end_seconds", "message": "must be greater than trim_start_seconds"}]
    return []


def _no_rules(body: dict) -> Problems:
    return []


@dataclass(frozen=True)
class BodyRules:
    fields: tuple[Field, ...]
    cross_field: Callable[[dict], Problems] = _no_rules

    def check(self, body: dict) -> Problems:
        problems = check_fields(self.fields, body)
        bad_fields = {p["field"] for p in problems}
        return problems + [p for p in self.cross_field(body) if p["field"] not in bad_fields]


RULES = {
    "image_generation": BodyRules(IMAGE_FIELDS, _image_rules),
    "video_generation": BodyRules(VIDEO_FIELDS),
    "ad_video_generation": BodyRules(AD_FIELDS, _ad_rules),
    "face_swap": BodyRules(FACE_SWAP_FIELDS, _face_swap_rules),
    "reference_analysis": BodyRules(ANALYSIS_FIELDS),
    "presign": BodyRules(PRESIGN_FIELDS),
    "finalize": BodyRules(FINALIZE_FIELDS),
}


# Query parameters, for the OpenAPI document: the routes parse them (`parse_limit`, `_validate_filters`,
# `parse_search_params`, `get_asset`) to exactly these types, enums and ranges.
CURSOR = Field("cursor", "string", description="The next_cursor of the previous page, unchanged.")
LIMIT = Field("limit", "integer", minimum=1, maximum=MAX_LIMIT, description="Page size; 20 when absent.")
LIST_QUERY = (LIMIT, CURSOR)
JOBS_QUERY = (LIMIT, CURSOR, Field("type", "string", choices=tuple(cat.JOB_DURATIONS)),
              Field("status", "string", choices=cat.JOB_STATUSES))
SECONDS = {"minimum": 0, "description": "Seconds."}
MOMENT = {"format": "date-time", "description": "ISO 8601 date-time (a date alone is accepted too)."}
SEARCH_QUERY = (
    Field("q", "string", max_length=500, description="Words to search for: at least one letter or digit."),
    Field("search_mode", "string", choices=SEARCH_MODES),
    Field("source_type", "string", choices=SOURCE_TYPES),
    Field("segment_type", "string", choices=SEGMENT_TYPES),
    Field("brand", "string"),
    Field("product", "string"),
    Field("tag", "string"),
    Field("keyword", "string"),
    Field("cta_present", "string", choices=("true", "false")),
    Field("min_duration", "number", **SECONDS),
    Field("max_duration", "number", **SECONDS),
    Field("created_after", "string", **MOMENT),
    Field("created_before", "string", **MOMENT),
    Field("sort", "string", choices=SORTS, description="relevance ranks by q; without q it is the default order."),
    LIMIT,
    CURSOR,
)
ASSET_QUERY = (
    Field("query", "string", description="The search's q, to echo it in `search`."),
    Field("search_mode", "string", choices=SEARCH_MODES),
    Field("search_score", "number", description="The search result's score; omit it when unknown."),
)

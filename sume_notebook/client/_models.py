"""The objects the API returns, read tolerantly.

Every model keeps the whole answer: known fields become typed attributes (absent ones are `None`), unknown
fields stay reachable as attributes and through `to_dict()`, so a new field on the service is never an error.
Reprs show ids by their first characters and URLs without their query.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, TypeVar

from .._redaction import mask_id, redact, redact_url
from .reprs import Card, Rendered, account_card, asset_card, asset_upload_card, avatar_card, brand_card, credits_card

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Account",
    "AssetUpload",
    "Asset",
    "Avatar",
    "Brand",
    "BrandImage",
    "Credits",
    "JobError",
    "Model",
    "Output",
    "ReferenceAnalysis",
    "Upload",
    "parse_time",
]

M = TypeVar("M", bound="Model")


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 string (`Z` allowed) or epoch seconds as an aware UTC datetime; anything else is `None`."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, timezone.utc)
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _converted(convert: Callable[[Any], Any]) -> Any:
    return field(default=None, metadata={"convert": convert})


@dataclass(repr=False)
class Model:
    """A tolerant view of one API object."""

    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    _shown: tuple[str, ...] = field(default=(), init=False, repr=False, compare=False)

    @classmethod
    def from_api(cls: type[M], data: Any) -> M:
        raw = dict(data) if isinstance(data, Mapping) else {}
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.init and f.name != "raw" and f.name in raw:
                convert = f.metadata.get("convert")
                kwargs[f.name] = convert(raw[f.name]) if convert else raw[f.name]
        return cls(raw=raw, **kwargs)

    def __getattr__(self, name: str) -> Any:
        raw = self.__dict__.get("raw")
        if raw is not None and not name.startswith("_") and name in raw:
            return raw[name]
        raise AttributeError(f"{type(self).__name__!s} has no field {name!r}")

    def to_dict(self) -> dict[str, Any]:
        """The answer as received (it may hold media URLs with tokens: do not log it whole)."""
        return copy.deepcopy(self.raw)

    def _show(self, name: str) -> str:
        value = getattr(self, name, None)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return repr(redact_url(value))
        if isinstance(value, datetime):
            return value.isoformat()
        return redact(repr(value))

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={self._show(n)}" for n in self._shown if getattr(self, n, None) is not None)
        return f"{type(self).__name__}({shown})"


@dataclass(repr=False)
class JobError(Model):
    """A failed job's sanitized error."""

    code: str | None = None
    message: str | None = None
    _shown: tuple[str, ...] = field(default=("code", "message"), init=False, repr=False)


@dataclass(repr=False)
class Account(Rendered, Model):
    """`GET /me`: who the key belongs to. The repr masks the email and the ids."""

    user: dict[str, Any] | None = None
    workspace: dict[str, Any] | None = None
    api_key: dict[str, Any] | None = None

    @property
    def email(self) -> str | None:
        return (self.user or {}).get("email")

    @property
    def workspace_name(self) -> str | None:
        return (self.workspace or {}).get("name")

    def __repr__(self) -> str:
        user, ws, key = self.user or {}, self.workspace or {}, self.api_key or {}
        return redact(
            f"Account(user={mask_id(user.get('id'))!r}, email={user.get('email')!r}, "
            f"workspace={ws.get('name')!r} ({mask_id(ws.get('id'))}), key={key.get('name')!r})"
        )

    def card(self) -> Card:
        """This object as a person reads it (its HTML, its IPython text and the magics' card)."""
        return account_card(self)


@dataclass(repr=False)
class Credits(Rendered, Model):
    """`GET /credits`: balance and active-generation capacity."""

    plan: str | None = None
    monthly_credits: float | None = _converted(_number)
    bonus_credits: float | None = _converted(_number)
    remaining_credits: float | None = _converted(_number)
    active_generations: int | None = None
    max_active_generations: int | None = None
    _shown: tuple[str, ...] = field(
        default=("plan", "remaining_credits", "active_generations", "max_active_generations"), init=False, repr=False
    )

    @property
    def free_generation_slots(self) -> int | None:
        """How many more jobs may run at once right now, when the service says."""
        if self.max_active_generations is None:
            return None
        return max(0, int(self.max_active_generations) - int(self.active_generations or 0))

    def card(self) -> Card:
        """This object as a person reads it (its HTML, its IPython text and the magics' card)."""
        return credits_card(self)


@dataclass(repr=False)
class BrandImage(Model):
    id: str | None = None
    reference_url: str | None = None
    caption: str | None = None
    _shown: tuple[str, ...] = field(default=("id", "caption", "reference_url"), init=False, repr=False)


def _brand_images(value: Any) -> list[BrandImage]:
    return [BrandImage.from_api(v) for v in value] if isinstance(value, list) else []


@dataclass(repr=False)
class Brand(Rendered, Model):
    """A Brand DNA profile; its `reference_urls` are welcome as image `reference_image_urls`."""

    id: str | None = None
    name: str | None = None
    description: str | None = None
    images: list[BrandImage] = _converted(_brand_images)
    _shown: tuple[str, ...] = field(default=("id", "name"), init=False, repr=False)

    @property
    def reference_urls(self) -> list[str]:
        return [img.reference_url for img in self.images or [] if img.reference_url]

    def card(self) -> Card:
        """This object as a person reads it (its HTML, its IPython text and the magics' card)."""
        return brand_card(self)


@dataclass(repr=False)
class Avatar(Rendered, Model):
    """An avatar and what it can be used for (`capabilities`: talking_heads, ugc_ads, face_swap)."""

    id: str | None = None
    slug: str | None = None
    name: str | None = None
    visibility: str | None = None
    preview_image_url: str | None = None
    preview_video_url: str | None = None
    capabilities: dict[str, bool] | None = None
    _shown: tuple[str, ...] = field(default=("id", "slug", "name", "visibility"), init=False, repr=False)

    def can(self, capability: str) -> bool:
        return bool((self.capabilities or {}).get(capability))

    def card(self) -> Card:
        """This object as a person reads it (its HTML, its IPython text and the magics' card)."""
        return avatar_card(self)


@dataclass(repr=False)
class Asset(Rendered, Model):
    """One indexed scene of the Asset Library."""

    id: str | None = None
    source_type: str | None = None
    segment_type: str | None = None
    start_seconds: float | None = _converted(_number)
    end_seconds: float | None = _converted(_number)
    duration_seconds: float | None = _converted(_number)
    clip_url: str | None = None
    media_url: str | None = None
    thumbnail_url: str | None = None
    source_media_url: str | None = None
    source_video: dict[str, Any] | None = None
    brands: list[str] | None = None
    products: list[str] | None = None
    tags: list[str] | None = None
    keywords: list[str] | None = None
    cta_present: bool | None = None
    description: str | None = None
    transcript: str | None = None
    created_at: datetime | None = _converted(parse_time)
    search: dict[str, Any] | None = None
    _shown: tuple[str, ...] = field(
        default=("id", "segment_type", "source_type", "start_seconds", "end_seconds", "preview_url"),
        init=False,
        repr=False,
    )

    @property
    def preview_url(self) -> str | None:
        """The scene clip, else scene media, else the source video (trim it to start/end seconds yourself)."""
        return self.clip_url or self.media_url or self.source_media_url

    @property
    def is_scene_media(self) -> bool:
        """False when only the whole source video is available for this scene."""
        return bool(self.clip_url or self.media_url)

    @property
    def search_score(self) -> float | None:
        return _number((self.search or {}).get("score"))

    def card(self) -> Card:
        """This object as a person reads it (its HTML, its IPython text and the magics' card)."""
        return asset_card(self)


@dataclass(repr=False)
class Upload(Model):
    """A presigned upload target. Its URL, object key and media URL are sensitive: the repr hides them."""

    upload_url: str | None = None
    required_headers: dict[str, str] | None = None
    object_key: str | None = None
    media_url: str | None = None
    expires_at: datetime | None = _converted(parse_time)
    purpose: str | None = None

    def __repr__(self) -> str:
        return f"Upload(purpose={self.purpose!r}, media_url={redact_url(self.media_url)!r}, upload_url=<hidden>, object_key=<hidden>)"


@dataclass(repr=False)
class AssetUpload(Rendered, Model):
    """A finalized Asset Library upload; `job` tracks its processing into searchable scenes."""

    id: str | None = None
    status: str | None = None
    job_id: str | None = None
    job: Any = None  # the Job, attached by `assets.upload`
    _shown: tuple[str, ...] = field(default=("id", "status", "job_id"), init=False, repr=False)

    def card(self) -> Card:
        """This object as a person reads it (its HTML, its IPython text and the magics' card)."""
        return asset_upload_card(self)


@dataclass(repr=False)
class Output(Model):
    """One generated file. `url` may carry a token: use `download()`, never log it."""

    url: str | None = None
    kind: str | None = None
    content_type: str | None = None
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = _converted(_number)
    thumbnail_url: str | None = None
    index: int = 0
    _shown: tuple[str, ...] = field(
        default=("kind", "content_type", "width", "height", "duration_seconds", "url"), init=False, repr=False
    )


_OUTPUT_LISTS = {"images": "image", "videos": "video", "outputs": None}


def parse_outputs(result: Any) -> list[Output]:
    """Outputs from `result.images[]`, `result.videos[]` or a generic `outputs[]`, numbered in order."""
    outputs: list[Output] = []
    if not isinstance(result, Mapping):
        return outputs
    for key, kind in _OUTPUT_LISTS.items():
        for item in result.get(key) or []:
            if isinstance(item, str):
                item = {"url": item}
            if not isinstance(item, Mapping):
                continue
            out = Output.from_api(item)
            ctype = out.content_type or ""
            out.kind = out.kind or kind or ("video" if ctype.startswith("video/") else "image")
            out.index = len(outputs)
            outputs.append(out)
    return outputs


@dataclass(repr=False)
class ReferenceAnalysis(Model):
    """What Reference Analysis found in a reel: summary, hook, scenes, transcript, CTA, audio, pacing, tags."""

    source_url: str | None = None
    platform: str | None = None
    duration_seconds: float | None = _converted(_number)
    summary: str | None = None
    hook: dict[str, Any] | None = None
    scenes: list[dict[str, Any]] | None = None
    transcript: list[dict[str, Any]] | None = None
    cta: dict[str, Any] | None = None
    audio: dict[str, Any] | None = None
    pacing: dict[str, Any] | None = None
    tags: list[str] | None = None
    _shown: tuple[str, ...] = field(default=("platform", "duration_seconds", "summary"), init=False, repr=False)

    def frames(self) -> dict[str, pd.DataFrame]:
        """One DataFrame per list of records: `scenes` and `transcript` always (maybe empty), and any list of
        records the service adds."""
        from ._frames import records_frame

        def is_records(value: Any) -> bool:
            return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)

        names = [n for n in ("scenes", "transcript") if isinstance(self.raw.get(n, []), list)]
        names += [n for n, v in self.raw.items() if n not in names and is_records(v)]
        return {name: records_frame(self.raw.get(name) or []) for name in names}

"""`POST /ads/videos`: AI ad videos (talking heads, UGC ads, plain video)."""

from __future__ import annotations

from typing import Any

from ._creating import Resource, creates
from ._validation import checked, without_none

__all__ = ["Ads"]

AD_FORMATS = ("talking_heads", "ugc_ads", "video")
AVATAR_FORMATS = ("talking_heads", "ugc_ads")
LOCALES = ("en", "ko")


class Ads(Resource):
    def prepare(
        self,
        script: str,
        *,
        ad_format: str | None = None,
        avatar_id: str | None = None,
        avatar_slug: str | None = None,
        locale: str | None = None,
        duration_seconds: float | None = None,
        reference_image_urls: list[str] | None = None,
        reference_video_urls: list[str] | None = None,
    ) -> dict[str, Any]:
        """The validated request body, without sending it.

        `script`: 3 to 1800 characters. `ad_format`: talking_heads (the service default), ugc_ads or video;
        the avatar formats need `avatar_id` or `avatar_slug`. `locale`: en or ko. `duration_seconds` may be
        clamped by the service. Up to 9 HTTPS `reference_image_urls`; `reference_video_urls` only for `video`.
        """
        with checked() as c:
            fmt = c.choice("ad_format", ad_format, AD_FORMATS)
            effective = ad_format or "talking_heads"
            if effective in AVATAR_FORMATS and not (avatar_id or avatar_slug):
                c.add("avatar_id", f"avatar_id or avatar_slug is required for ad_format {effective!r}")
            if reference_video_urls and effective != "video":
                c.add("reference_video_urls", "is only supported with ad_format 'video'")
            body = without_none(
                script=c.text("script", script, required=True, min_len=3, max_len=1800),
                ad_format=fmt,
                avatar_id=c.text("avatar_id", avatar_id),
                avatar_slug=c.text("avatar_slug", avatar_slug),
                locale=c.choice("locale", locale, LOCALES),
                duration_seconds=c.number("duration_seconds", duration_seconds, low=0, exclusive_low=True),
                reference_image_urls=c.urls("reference_image_urls", reference_image_urls, max_count=9),
                reference_video_urls=c.urls("reference_video_urls", reference_video_urls),
            )
        return body

    create = creates("ad")(prepare)

"""`POST /face-swap`: one job per avatar over an uploaded source video."""

from __future__ import annotations

from typing import Any

from ._creating import Resource, creates_all
from ._models import Upload
from ._validation import checked, without_none

__all__ = ["FaceSwap"]

FACE_SWAP_ASPECT_RATIOS = ("16:9", "9:16", "1:1", "4:3", "3:4", "21:9")


class FaceSwap(Resource):
    def prepare(
        self,
        source_video_url: str | Upload,
        avatar_ids: list[str],
        *,
        duration_seconds: float | None = None,
        trim_start_seconds: float | None = None,
        trim_end_seconds: float | None = None,
        aspect_ratio: str | None = None,
    ) -> dict[str, Any]:
        """The validated request body, without sending it.

        `source_video_url`: the media URL of an upload with purpose `face_swap_source_video` (the `Upload`
        itself is accepted). `avatar_ids`: 1 to 5. `duration_seconds`: at most 15. `aspect_ratio`: 16:9, 9:16,
        1:1, 4:3, 3:4 or 21:9.
        """
        if isinstance(source_video_url, Upload):
            source_video_url = source_video_url.media_url or ""
        with checked() as c:
            url = c.url("source_video_url", source_video_url, https=False)
            if source_video_url is None:
                c.add("source_video_url", "is required")
            ids: list[str] | None = None
            if isinstance(avatar_ids, (list, tuple)) and 1 <= len(avatar_ids) <= 5:
                ids = [i for n, i in enumerate(avatar_ids) if c.text(f"avatar_ids[{n}]", i, required=True)]
            else:
                c.add("avatar_ids", "must be a list of 1 to 5 avatar ids")
            body = without_none(
                source_video_url=url,
                avatar_ids=ids,
                duration_seconds=c.number("duration_seconds", duration_seconds, low=0, high=15, exclusive_low=True),
                trim_start_seconds=c.number("trim_start_seconds", trim_start_seconds, low=0),
                trim_end_seconds=c.number("trim_end_seconds", trim_end_seconds, low=0),
                aspect_ratio=c.choice("aspect_ratio", aspect_ratio, FACE_SWAP_ASPECT_RATIOS),
            )
        return body

    create = creates_all("face-swap")(prepare)

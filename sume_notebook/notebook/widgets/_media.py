"""What a widget shows for one output: media fetched as bytes, images made small, videos only under a size cap.

Previews travel to the browser as bytes, never as URLs, because a media URL may carry a token that would be saved
with the notebook. The fetch follows the client's download rules (https or loopback only, no Sume credentials,
redirects checked hop by hop) and stops at a cap, so a huge file never fills the kernel's memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import httpx

from ..._redaction import redact
from ...client import AsyncSume, DownloadError, MediaTooLargeError, Output
from ...client.stills import Still, display_size, downscale

__all__ = ["DEFAULT_MAX_VIDEO_BYTES", "DEFAULT_STATIC_BYTES", "FETCH_ERRORS", "SNAPSHOT_EDGE", "Preview", "load_preview"]

DEFAULT_MAX_VIDEO_BYTES = 10 * 1024**2  # a longer video shows its thumbnail; Download saves the whole file
DEFAULT_STATIC_BYTES = 2 * 1024**2  # media inlined into a saved notebook's static output (a clip, a full image)
SNAPSHOT_EDGE = 160  # the thumbnail inlined into a widget's static HTML
_MAX_IMAGE_BYTES = 64 * 1024**2
_MAX_THUMBNAIL_BYTES = 8 * 1024**2
FETCH_ERRORS = (DownloadError, httpx.HTTPError, OSError)  # OSError: Pillow cannot read the bytes


@dataclass(frozen=True)
class Preview:
    """One output ready to show: a still (the image, or a video's thumbnail) and/or the video's bytes.

    `original` is the full image when it fits the static cap: the saved notebook offers it as a browser download.
    `thumbnail` is made on first use: only a live view's static copy shows it, which most views never need (a
    finished view shows its full preview, a grid's cells are copied once all are final).
    """

    output: Output
    still: Still | None
    video: bytes | None
    video_format: str
    video_size: tuple[int, int] | None
    note: str | None
    original: bytes | None = None

    @cached_property
    def thumbnail(self) -> Still | None:
        """The still made small for the static snapshot."""
        return downscale(self.still.data, SNAPSHOT_EDGE) if self.still is not None else None


def _megabytes(size: int) -> str:
    return f"{size / 1024**2:.1f} MB"


async def load_preview(
    client: AsyncSume, output: Output, edge: int, max_video_bytes: int, static_bytes: int = DEFAULT_STATIC_BYTES
) -> Preview:
    """Fetch and shrink what `output` needs to be shown within `edge` pixels; raises one of `FETCH_ERRORS`."""
    if output.kind != "video":
        original = await client.read_media(output.url or "", max_bytes=_MAX_IMAGE_BYTES)
        still = downscale(original, edge)
        kept = original if len(original) <= static_bytes else None
        return Preview(output, still, None, "", None, None, kept)
    poster = None
    if output.thumbnail_url:
        poster = downscale(await client.read_media(output.thumbnail_url, max_bytes=_MAX_THUMBNAIL_BYTES), edge)
    video_format = (output.content_type or "video/mp4").split("/", 1)[-1].split(";", 1)[0] or "mp4"
    try:
        video = await client.read_media(output.url or "", max_bytes=max_video_bytes)
    except MediaTooLargeError as large:
        size = f" ({_megabytes(large.size)})" if large.size else ""
        shown = "its thumbnail is shown" if poster else "no preview is shown"
        note = f"The video{size} is over the {_megabytes(max_video_bytes)} preview cap: {shown}; Download saves it."
        return Preview(output, poster, None, video_format, None, redact(note))
    return Preview(output, poster, video, video_format, display_size(output.width, output.height, edge), None)

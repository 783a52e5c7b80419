"""Images made small enough to live in widget state, a saved notebook or a shared report.

A generated image is often several megapixels; its preview is redrawn with Pillow to a longest edge of a few
hundred pixels (JPEG unless it has transparency), so the notebook or report stays small. The full file is only ever
saved by a download. Without Pillow the bytes pass through unchanged and the browser scales them. Public (like
`reprs`) because the widgets show what the client's report embeds.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

__all__ = ["Still", "data_uri", "display_size", "downscale"]

_MAGIC = {b"\x89PNG": "png", b"\xff\xd8": "jpeg", b"GIF8": "gif", b"RIFF": "webp"}


@dataclass(frozen=True)
class Still:
    """Image bytes ready for an `ipywidgets.Image`; the size is known when Pillow read them."""

    data: bytes
    format: str
    width: int | None = None
    height: int | None = None


def _sniffed_format(data: bytes) -> str:
    return next((fmt for magic, fmt in _MAGIC.items() if data.startswith(magic)), "png")


def downscale(data: bytes, longest_edge: int) -> Still:
    """`data` redrawn to at most `longest_edge` pixels on its longest side (never enlarged)."""
    try:
        from PIL import Image
    except ImportError:
        return Still(data, _sniffed_format(data))
    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", (longest_edge, longest_edge))  # JPEG decodes at a reduced scale: much faster
        # Whole-factor box reduction as far as the target allows, then one small resample: as sharp as a
        # preview needs; the resampling after decoding costs a quarter (256 px) to an eighth (512 px) of the default.
        image.thumbnail((longest_edge, longest_edge), reducing_gap=1.0)
        transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        out = io.BytesIO()
        if transparent:
            image.save(out, "PNG", optimize=True)
        else:
            image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
        return Still(out.getvalue(), "png" if transparent else "jpeg", image.width, image.height)


def data_uri(still: Still) -> str:
    """The image inline, for the static HTML snapshot of a widget."""
    return f"data:image/{still.format};base64,{base64.b64encode(still.data).decode('ascii')}"


def display_size(width: int | None, height: int | None, longest_edge: int) -> tuple[int, int] | None:
    """Pixel size to show media of `width`x`height` within `longest_edge`, or None when the size is unknown."""
    if not width or not height:
        return None
    scale = min(1.0, longest_edge / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))

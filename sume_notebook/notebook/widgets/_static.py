"""A finished job's media as static HTML: what stays in the notebook once the live widget is gone.

The live widget needs its kernel; a reopened notebook has none, and JupyterLab then shows "Error displaying
widget" rather than the HTML beside it. So a final job view replaces its output with this HTML alone: the preview
inline (an image, or the clip as a playable `<video>` when it fits the cap, else its poster frame) and a browser
download link, either to the full bytes inline or to the file saved next to the notebook.

A saved file is linked as `.._files.saved_link` says.
"""

from __future__ import annotations

import base64
from pathlib import Path

from ...client.reprs import esc
from ...client.stills import Still, data_uri
from .._files import saved_link
from ._media import Preview

__all__ = ["media_html"]

_BOX = "display:inline-block;vertical-align:top;margin:4px 8px 0 0"
_LINK = "display:block;font-size:12px;margin-top:2px"


def _still_html(still: Still, title: str) -> str:
    size = f' width="{still.width}" height="{still.height}"' if still.width and still.height else ""
    return f'<img src="{data_uri(still)}" alt="{esc(title)}" title="{esc(title)}"{size} style="max-width:100%">'


def _video_html(preview: Preview, title: str) -> str:
    assert preview.video is not None
    source = f"data:video/{preview.video_format};base64,{base64.b64encode(preview.video).decode('ascii')}"
    width, height = preview.video_size or (None, None)
    size = f' width="{width}" height="{height}"' if width and height else ""
    poster = f' poster="{data_uri(preview.still)}"' if preview.still else ""
    return f'<video controls muted playsinline preload="metadata" src="{source}"{poster}{size} title="{esc(title)}"></video>'


def media_html(preview: Preview, *, file_name: str, saved: Path | None, static_bytes: int, title: str) -> str:
    """One output: its picture (or playable clip under `static_bytes`) and a download link named `file_name`."""
    if preview.video is not None and len(preview.video) <= static_bytes:
        picture = _video_html(preview, title)
    elif preview.still is not None:
        picture = _still_html(preview.still, title)
    else:
        picture = ""
    links = []
    if preview.original is not None:
        content_type = preview.output.content_type or "application/octet-stream"
        inline = f"data:{content_type};base64,{base64.b64encode(preview.original).decode('ascii')}"
        links.append(f'<a download="{esc(file_name)}" href="{inline}" style="{_LINK}">⤓ {esc(file_name)}</a>')
    if saved is not None:
        links.append(saved_link(saved))
    return f'<div style="{_BOX}">{picture}{"".join(links)}</div>'


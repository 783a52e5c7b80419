"""`TimelineView`: the reels' timeline, clickable while the kernel lives.

The same SVG as `ReelSet.timeline()`, wrapped in a small anywidget (stock ipywidgets cannot hear a click inside
an SVG). A click sends the block's reel and scene to the kernel, which answers with the scene to play, when the
reel's media is reachable, or with the scene's text otherwise. That answer is a custom message, not widget state:
a media URL (maybe signed) never lands in a saved notebook, whose copy of the output is the static SVG.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import anywidget
import traitlets

from ...client import ReelSet

__all__ = ["TimelineView"]

_PROBE_SECONDS = 3.0

_ESM = """
function render({ model, el }) {
  const chart = document.createElement("div");
  chart.className = "sume-timeline-chart";
  chart.style.overflowX = "auto";
  chart.innerHTML = model.get("svg");
  const detail = document.createElement("div");
  detail.className = "sume-timeline-detail";
  detail.style.cssText = "font: 13px system-ui, sans-serif; white-space: pre-wrap; padding: 6px 10px; " +
    "margin: 4px 0 0 0; border-left: 4px solid #4e79a7; background: #f7f7f7; max-width: 720px";
  detail.textContent = "Click a scene to play it (or read it, when its reel cannot be played here).";
  let chosen = null;
  chart.addEventListener("click", (event) => {
    const block = event.target.closest("rect.scene");
    if (!block) return;
    if (chosen) { chosen.setAttribute("stroke", "#fff"); chosen.setAttribute("stroke-width", "1"); }
    chosen = block;
    block.setAttribute("stroke", "#111");
    block.setAttribute("stroke-width", "2.5");
    detail.textContent = "Opening the scene…";
    model.send({ reel: Number(block.getAttribute("data-reel")), scene: Number(block.getAttribute("data-scene")) });
  });
  model.on("msg:custom", (message) => {
    const text = document.createElement("div");
    text.textContent = message.text;
    detail.replaceChildren(text);
    if (message.play) {
      const video = document.createElement("video");
      video.src = `${message.play}#t=${message.start},${message.end}`;
      video.controls = true; video.autoplay = true; video.muted = true; video.playsInline = true;
      video.style.cssText = "display: block; max-height: 320px; margin-top: 6px";
      video.addEventListener("error", () => { text.textContent = message.text + "\\n(its media did not play)"; });
      detail.append(video);
    }
  });
  el.append(chart, detail);
}
export default { render };
"""


def _playable(url: str) -> bool:
    """Whether `url` answers with video here and now (a public reel page is HTML: not playable)."""
    import httpx

    if not url.startswith(("https://", "http://")):
        return False
    try:
        response = httpx.head(url, follow_redirects=True, timeout=_PROBE_SECONDS)
    except httpx.HTTPError:
        return False
    return response.is_success and response.headers.get("content-type", "").startswith("video/")


class TimelineView(anywidget.AnyWidget):
    """`ReelSet.timeline()` with a live kernel: a click on a scene plays it from the reel's media when that is
    reachable, else shows the scene's text. `media` maps a reel (its name, `tiktok-735...`, or its source URL) to a
    playable video URL (a reel you downloaded and serve, say); by default the reel's own URL is tried."""

    _esm = _ESM
    svg = traitlets.Unicode("").tag(sync=True)

    def __init__(self, reels: ReelSet, media: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        self._reels = reels
        self._media = dict(media or {})
        self._static = reels.timeline()
        super().__init__(svg=self._static.svg, **kwargs)
        self.on_msg(self._clicked)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """The live view, and the static SVG beside it for every reader without a kernel (GitHub, nbconvert)."""
        bundle = super()._repr_mimebundle_(**kwargs)
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        data = {**(data or {}), "text/plain": repr(self._static), "text/html": self._static._repr_html_()}
        return data, metadata

    def media_of(self, reel: int) -> str | None:
        analysis = self._reels[reel]
        return (self._media.get(self._reels.name_of(analysis)) or self._media.get(analysis.source_url or "")
                or analysis.source_url)

    def _clicked(self, _widget: Any, content: Any, _buffers: Any) -> None:
        try:
            reel, scene = int(content["reel"]), int(content["scene"])
            text = self._reels.scene_text(reel, scene)
        except (KeyError, TypeError, ValueError, IndexError):
            return  # not a message of ours
        record = self._reels[reel].scenes[scene]
        # Probing the media takes up to a few seconds: off the kernel's thread, so the notebook stays responsive.
        threading.Thread(target=self._answer, args=(reel, record, text), daemon=True).start()

    def _answer(self, reel: int, record: Mapping[str, Any], text: str) -> None:
        url = self.media_of(reel)
        if url and _playable(url):
            self.send({"text": text, "play": url, "start": record.get("start_seconds") or 0,
                       "end": record.get("end_seconds") or 0})
        else:
            self.send({"text": text})

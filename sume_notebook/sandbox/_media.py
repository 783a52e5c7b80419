"""Real media for the sandbox: PNGs, H.264 MP4s and JPEG thumbnails, rendered locally.

The sandbox fakes a generation service, but the notebook, the widgets and the browser
must get files they can genuinely decode and play. Pillow draws a still picture whose
colours and shapes derive from sha256(text + seed), so different prompts look different
and the same prompt always looks the same; ffmpeg (from imageio-ffmpeg) animates that
still into a video. Every output is cached on disk under a hash of what produced it.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import json
import os
import pathlib
import re
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import imageio_ffmpeg
from PIL import Image, ImageDraw, ImageFont

# Bump when the drawing changes, so stale cached renders are not served.
_RENDER_VERSION = 1
_FFMPEG_TIMEOUT = 300.0
_Font = ImageFont.FreeTypeFont | ImageFont.ImageFont  # what load_default() is typed to return
_H264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart"]


class MediaError(Exception):
    """A media file could not be rendered, cut or read."""


@dataclass(frozen=True)
class ImageSpec:
    """An image to draw: the words of `text` on a background derived from text + seed."""

    text: str
    width: int
    height: int
    seed: str = ""


@dataclass(frozen=True)
class VideoSpec:
    """A video with the look of the matching image plus motion; width/height round up to even."""

    text: str
    width: int
    height: int
    duration: float
    audio: bool = False
    seed: str = ""
    fps: int = 24


# One lock per output file, shared by every renderer in the process, so concurrent
# requests for the same file render it once.
_locks: dict[pathlib.Path, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(path: pathlib.Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(path, threading.Lock())


def _even(n: int) -> int:
    """H.264 with yuv420p needs even dimensions."""
    return n + n % 2


def _digest(text: str, seed: str) -> bytes:
    """64 bytes of entropy: sha256(text + seed) for the colours, its own hash for the shapes."""
    first = hashlib.sha256((text + seed).encode()).digest()
    return first + hashlib.sha256(first).digest()


def _palette(digest: bytes) -> list[tuple[int, int, int]]:
    """Eight harmonious RGB colours: four gradient corners, then four accents."""
    hue = digest[0] / 255
    hues = [0, 0.08, 0.16, 0.55, 0.33, 0.45, 0.66, 0.8]
    colours = []
    for i, offset in enumerate(hues):
        sat = 0.45 + digest[i + 1] / 255 * 0.4
        val = 0.55 + digest[i + 9] / 255 * 0.4
        r, g, b = colorsys.hsv_to_rgb((hue + offset) % 1, sat, val)
        colours.append((int(r * 255), int(g * 255), int(b * 255)))
    return colours


def _wrap(text: str, font: _Font, width: float) -> list[str]:
    """Greedy word wrap; a single word wider than `width` keeps a line of its own."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if not line or font.getlength(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line else lines


def _ellipsize(line: str, font: _Font, width: float) -> str:
    while line and font.getlength(line + "…") > width:
        line = line[:-1].rstrip()
    return line + "…"


def _fit_text(text: str, box_w: int, box_h: int) -> tuple[_Font, list[str], int]:
    """The largest font whose wrapped text fits the box; at the smallest size, cut with an ellipsis."""
    size = max(12, box_h // 3)
    min_size = max(10, box_h // 10)
    while True:
        font = ImageFont.load_default(size=size)
        line_h = int(size * 1.25)
        lines = _wrap(text, font, box_w)
        fits = len(lines) * line_h <= box_h and all(font.getlength(s) <= box_w for s in lines)
        if fits or size <= min_size:
            break
        size = max(min_size, int(size * 0.85))
    if not fits:
        max_lines = max(1, box_h // line_h)
        cut = len(lines) > max_lines
        lines = [
            _ellipsize(s, font, box_w) if font.getlength(s) > box_w or (cut and i == max_lines - 1) else s
            for i, s in enumerate(lines[:max_lines])
        ]
    return font, lines, line_h


def _draw(text: str, seed: str, width: int, height: int) -> Image.Image:
    """The picture for a prompt: hashed corner gradient, translucent shapes, the words on a panel."""
    digest = _digest(text, seed)
    colours = _palette(digest)
    corners = Image.new("RGB", (2, 2))
    corners.putdata(colours[:4])
    image = corners.resize((width, height), Image.Resampling.BILINEAR).convert("RGBA")

    overlay = Image.new("RGBA", (width, height))
    shapes = ImageDraw.Draw(overlay)
    for i in range(5):
        cx, cy, r, kind = (b / 255 for b in digest[32 + 4 * i : 36 + 4 * i])
        radius = (0.08 + 0.25 * r) * min(width, height)
        x, y = cx * width, cy * height
        box = (x - radius, y - radius, x + radius, y + radius)
        fill = (*colours[4 + i % 4], 150)
        if kind < 1 / 3:
            shapes.ellipse(box, fill=fill)
        elif kind < 2 / 3:
            shapes.rectangle(box, fill=fill)
        else:
            shapes.polygon([(x, y - radius), (x + radius, y + radius), (x - radius, y + radius)], fill=fill)

    margin = max(4, min(width, height) // 12)
    font, lines, line_h = _fit_text(text, width - 4 * margin, int(height * 0.6))
    if lines:
        block_h = len(lines) * line_h
        top = (height - block_h) // 2
        panel = (margin, top - margin, width - margin, top + block_h + margin)
        shapes.rounded_rectangle(panel, radius=margin, fill=(0, 0, 0, 120))
        stroke = max(1, line_h // 20)
        for i, line in enumerate(lines):
            xy = (width / 2, top + i * line_h + line_h / 2)
            shapes.text(xy, line, font=font, anchor="mm", fill="white", stroke_width=stroke, stroke_fill="black")
    return Image.alpha_composite(image, overlay).convert("RGB")


def _key(*parts: object) -> str:
    return hashlib.sha256(json.dumps([_RENDER_VERSION, *parts], default=str).encode()).hexdigest()


class MediaRenderer:
    """Renders and caches sandbox media under `cache_dir`; safe to share between threads."""

    def __init__(self, cache_dir: pathlib.Path) -> None:
        self.cache_dir = pathlib.Path(cache_dir)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self._ffmpeg_exe = imageio_ffmpeg.get_ffmpeg_exe()

    def image_png(self, spec: ImageSpec) -> pathlib.Path:
        """A PNG of exactly spec.width x spec.height."""
        def render(out: pathlib.Path) -> None:
            _draw(spec.text, spec.seed, spec.width, spec.height).save(out, "PNG")

        return self._cached(f"image-{_key('image', asdict(spec))}.png", render)

    def thumbnail_jpeg(self, spec: ImageSpec | VideoSpec, max_edge: int = 320) -> pathlib.Path:
        """A JPEG that looks like the image or the video's first frame, longest edge <= max_edge."""
        def render(out: pathlib.Path) -> None:
            image = _draw(spec.text, spec.seed, spec.width, spec.height)
            image.thumbnail((max_edge, max_edge))
            image.save(out, "JPEG", quality=85)

        kind = type(spec).__name__
        return self._cached(f"thumb-{_key('thumb', kind, asdict(spec), max_edge)}.jpg", render)

    def video_mp4(self, spec: VideoSpec) -> pathlib.Path:
        """An H.264 MP4: the still picture with a bouncing square and a progress bar; AAC sine if audio."""
        width, height, fps = _even(spec.width), _even(spec.height), spec.fps
        square = _even(max(8, min(width, height) // 6))
        bar = _even(max(2, height // 60))
        digest = _digest(spec.text, spec.seed)
        accent = "0x%02x%02x%02x" % _palette(digest)[7]
        frequency = 220 + int.from_bytes(digest[30:32], "big") % 660

        def render(out: pathlib.Path) -> None:
            with tempfile.TemporaryDirectory(dir=self.cache_dir) as tmp:
                still = pathlib.Path(tmp) / "still.png"
                _draw(spec.text, spec.seed, width, height).save(still, compress_level=1)
                inputs = [
                    "-i", str(still),
                    "-f", "lavfi", "-i", f"color=c={accent}:s={square}x{square}:r={fps}",
                    "-f", "lavfi", "-i", f"color=c=white:s={width}x{bar}:r={fps}",
                ]
                # Decode the still once and repeat it in the graph: re-reading the PNG per frame costs 2x.
                graph = (
                    f"[0:v]loop=loop=-1:size=1,fps={fps},format=yuv420p[still];"
                    "[still][1:v]overlay=x='mod(t*W/4,W+w)-w':y='(H-h)/2+(H-h)/3*sin(t*2)'[moving];"
                    f"[moving][2:v]overlay=x='-w+W*t/{spec.duration}':y=H-h[v]"
                )
                audio: list[str] = []
                if spec.audio:
                    inputs += ["-f", "lavfi", "-i", f"sine=frequency={frequency}:sample_rate=44100"]
                    audio = ["-map", "3:a", "-c:a", "aac", "-b:a", "96k"]
                self._ffmpeg(
                    *inputs, "-filter_complex", graph, "-map", "[v]", *audio,
                    "-r", str(fps), "-t", f"{spec.duration:.3f}", *_H264, str(out),
                )

        return self._cached(f"video-{_key('video', asdict(spec))}.mp4", render)

    def probe(self, path: pathlib.Path) -> dict[str, Any]:
        """Duration, size, codec and audio presence, read from `ffmpeg -i` (there is no ffprobe)."""
        stderr = self._run([self._ffmpeg_exe, "-hide_banner", "-nostdin", "-i", str(path)]).stderr
        text = stderr.decode(errors="replace")
        if "Input #0" not in text:
            raise MediaError(f"not a readable media file: {path}: {_first_lines(text)}")
        hms = re.search(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)", text)  # "N/A" for still images
        streams = [line for line in text.splitlines() if re.search(r"Stream #.*: Video: ", line)]
        video = next((line for line in streams if "(attached pic)" not in line), "")  # skip cover art
        size = re.search(r", (\d+)x(\d+)\b", video)
        codec = re.search(r"Video: (\w+)", video)
        return {
            "duration_seconds": int(hms[1]) * 3600 + int(hms[2]) * 60 + float(hms[3]) if hms else 0.0,
            "width": int(size[1]) if size else None,
            "height": int(size[2]) if size else None,
            "has_audio": bool(re.search(r"Stream #.*: Audio: ", text)),
            "video_codec": codec[1] if codec else None,
        }

    def clip_mp4(self, source: pathlib.Path, start: float, end: float, key: str) -> pathlib.Path:
        """[start, end) of an existing video, re-encoded to H.264 so any upload plays in the browser."""
        if not 0 <= start < end:
            raise MediaError(f"invalid clip range [{start}, {end})")

        def render(out: pathlib.Path) -> None:
            self._ffmpeg(
                "-ss", f"{start:.3f}", "-i", str(source), "-t", f"{end - start:.3f}",
                "-map", "0:v:0", "-map", "0:a:0?", "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2",
                *_H264, "-c:a", "aac", str(out),
            )
            if self.probe(out)["video_codec"] is None:
                raise MediaError(f"clip [{start}, {end}) of {source} has no video frames")

        return self._cached(f"clip-{_key('clip', key, start, end)}.mp4", render)

    def frame_jpeg(self, source: pathlib.Path, at_seconds: float, key: str, max_edge: int = 320) -> pathlib.Path:
        """One frame of an existing video as a JPEG, longest edge <= max_edge."""
        def render(out: pathlib.Path) -> None:
            png = self._ffmpeg(
                "-ss", f"{max(0.0, at_seconds):.3f}", "-i", str(source), "-frames:v", "1",
                "-f", "image2pipe", "-c:v", "png", "-",
            )
            if not png:
                raise MediaError(f"no frame at {at_seconds}s in {source}")
            with Image.open(io.BytesIO(png)) as frame:
                image = frame.convert("RGB")
            image.thumbnail((max_edge, max_edge))
            image.save(out, "JPEG", quality=85)

        return self._cached(f"frame-{_key('frame', key, at_seconds, max_edge)}.jpg", render)

    def _cached(self, name: str, render: Callable[[pathlib.Path], None]) -> pathlib.Path:
        """Render into a temp file beside `name`, then rename: the final name is never partial."""
        final = self.cache_dir / name
        if final.exists():
            return final
        with _lock_for(final):
            if final.exists():
                return final
            tmp = final.with_name(f".tmp-{uuid.uuid4().hex}-{name}")
            try:
                render(tmp)
                os.replace(tmp, final)
            finally:
                tmp.unlink(missing_ok=True)
        return final

    def _ffmpeg(self, *args: str) -> bytes:
        """Run ffmpeg quietly; MediaError with the first stderr lines on failure. Returns stdout."""
        proc = self._run([self._ffmpeg_exe, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args])
        if proc.returncode != 0:
            raise MediaError(f"ffmpeg failed: {_first_lines(proc.stderr.decode(errors='replace'))}")
        return proc.stdout

    def _run(self, command: list[str]) -> subprocess.CompletedProcess[bytes]:
        try:
            return subprocess.run(command, check=False, capture_output=True, timeout=_FFMPEG_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            raise MediaError(f"ffmpeg timed out after {_FFMPEG_TIMEOUT:.0f}s") from exc


def _first_lines(text: str, count: int = 3) -> str:
    return " | ".join(text.strip().splitlines()[:count]) or "no output"

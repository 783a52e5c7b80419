"""Media: the files behind every URL the API hands out, rendered on first fetch and cached on disk.

Each URL carries a `?token=` signature of its path (as real signed media URLs carry secrets), so
creating a thousand jobs renders nothing until someone looks. Files are served with Range support.
"""

from __future__ import annotations

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from . import _catalog as cat
from ._errors import APIError
from ._http import sandbox_of
from ._jobs import status_of
from ._media import ImageSpec, MediaError, VideoSpec
from ._outputs import job_outputs
from ._seed import BRANDS, avatar_by_id
from ._state import Sandbox
from ._store import now

CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "mp4": "video/mp4", "mov": "video/quicktime",
                 "webm": "video/webm"}
LIBRARY_RESOLUTION = "480p"  # seeded library media stays small so first fetches are quick


def _missing(what: str) -> APIError:
    return APIError(404, "not_found", f"No such {what}.")


def _job_file(sandbox: Sandbox, job_id: str, index: int, extension: str) -> Path:
    job = sandbox.jobs.get_any(job_id)
    if job is None or status_of(job, now()) != "completed":
        raise _missing("media")
    outputs = job_outputs(job)
    if not 0 <= index < len(outputs):
        raise _missing("media")
    output = outputs[index]
    if extension == "jpg":
        return sandbox.media.thumbnail_jpeg(output.spec)
    if extension != output.extension:
        raise _missing("media")
    if output.is_video:
        return sandbox.media.video_mp4(output.spec)
    return sandbox.media.image_png(output.spec)


def _library_size(source: dict) -> tuple[int, int]:
    return cat.video_size(source.get("aspect_ratio") or "9:16", LIBRARY_RESOLUTION)


def _source_file(sandbox: Sandbox, source: dict) -> Path:
    """The full source video: an upload's own bytes, a generated job's output, or a rendered seed video."""
    if source.get("upload_id"):
        row = sandbox.store.one("SELECT path FROM uploads WHERE id = ?", (source["upload_id"],))
        return Path(row["path"])
    if source.get("job_id"):
        return _job_file(sandbox, source["job_id"], 0, "mp4")
    width, height = _library_size(source)
    spec = VideoSpec(source["title"], width, height, float(source["duration_seconds"]), True, source["id"])
    return sandbox.media.video_mp4(spec)


def _scene_file(sandbox: Sandbox, scene_id: str, name: str) -> Path:
    scene = sandbox.scene(scene_id)
    source = sandbox.source(scene["source_video_id"]) if scene else None
    if scene is None or source is None or (name == "clip.mp4" and not scene["has_clip"]):
        raise _missing("scene media")
    if source.get("upload_id") or source.get("job_id"):
        path = _source_file(sandbox, source)
        end = min(scene["end_seconds"], float(source["duration_seconds"]) - 0.05)
        if name == "thumb.jpg":
            return sandbox.media.frame_jpeg(path, scene["start_seconds"], key=scene_id)
        return sandbox.media.clip_mp4(path, scene["start_seconds"], end, key=scene_id)
    width, height = _library_size(source)
    spec = VideoSpec(scene["description"], width, height, float(scene["duration_seconds"]), True, scene_id)
    return sandbox.media.thumbnail_jpeg(spec) if name == "thumb.jpg" else sandbox.media.video_mp4(spec)


def _brand_file(sandbox: Sandbox, image_id: str) -> Path:
    for brand in BRANDS:
        for candidate, caption in brand["images"]:
            if candidate == image_id:
                return sandbox.media.image_png(ImageSpec(f"{brand['name']}: {caption}", 1024, 1024, image_id))
    raise _missing("brand image")


def _avatar_file(sandbox: Sandbox, avatar_id: str, extension: str) -> Path:
    avatar = avatar_by_id(avatar_id)
    if avatar is None:
        raise _missing("avatar preview")
    text = f"Avatar {avatar['name']}"
    if extension == "mp4":
        return sandbox.media.video_mp4(VideoSpec(text, 480, 854, 4.0, True, avatar_id))
    return sandbox.media.thumbnail_jpeg(ImageSpec(text, 480, 854, avatar_id), max_edge=512)


def _resolve(sandbox: Sandbox, parts: list[str]) -> Path:
    """Map /media/<kind>/... to a file on disk, rendering it if needed (runs in a worker thread)."""
    kind, rest = parts[0], parts[1:]
    stem, _, extension = rest[-1].rpartition(".")
    if kind == "jobs" and len(rest) == 2 and stem.isdigit():
        return _job_file(sandbox, rest[0], int(stem), extension)
    if kind == "scenes" and len(rest) == 2 and rest[1] in ("clip.mp4", "thumb.jpg"):
        return _scene_file(sandbox, rest[0], rest[1])
    if kind == "sources" and len(rest) == 1 and extension == "mp4":
        source = sandbox.source(stem)
        if source is None:
            raise _missing("source video")
        return _source_file(sandbox, source)
    if kind == "uploads" and len(rest) == 1:
        row = sandbox.store.one("SELECT path, received_bytes FROM uploads WHERE id = ?", (stem,))
        if row is None or not row["received_bytes"]:
            raise _missing("upload")
        return Path(row["path"])
    if kind == "brands" and len(rest) == 1 and extension == "png":
        return _brand_file(sandbox, stem)
    if kind == "avatars" and len(rest) == 1 and extension in ("jpg", "mp4"):
        return _avatar_file(sandbox, stem, extension)
    raise _missing("media")


async def media(request: Request) -> Response:
    sandbox = sandbox_of(request)
    path = request.url.path
    if not sandbox.verify(path, request.query_params.get("token")):
        raise APIError(403, "forbidden", "The media URL's token is missing or not valid.")
    try:
        file = await run_in_threadpool(_resolve, sandbox, path.split("/")[2:])
    except MediaError as error:
        raise APIError(500, "internal_error", f"Rendering failed: {error}") from None
    extension = path.rpartition(".")[2]
    return FileResponse(file, media_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
                        headers={"Cache-Control": "private, max-age=3600"})


routes = [Route("/media/{path:path}", media, methods=["GET", "HEAD"])]

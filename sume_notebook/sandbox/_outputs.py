"""What a completed job produced: the media specs behind its outputs and the result payload naming them.

The same function answers both "what does the result say" and "what file does this media URL
render", so a result's width, height and duration always match the bytes served.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import _catalog as cat
from ._analysis import analyze_reference
from ._media import ImageSpec, VideoSpec

UrlFor = Callable[[str], str]


@dataclass(frozen=True)
class Output:
    spec: ImageSpec | VideoSpec
    extension: str  # "png" or "mp4"

    @property
    def is_video(self) -> bool:
        return self.extension == "mp4"


def _ad_duration(request: dict) -> float:
    """Sume may clamp an ad's duration to its format's range; the sandbox does."""
    low, high = cat.AD_DURATION_RANGE[request.get("ad_format") or "talking_heads"]
    wanted = request.get("duration_seconds") or cat.AD_DEFAULT_DURATION
    return float(min(max(wanted, low), high))


def _face_swap_duration(job: dict) -> float:
    request = job["request"]
    if request.get("duration_seconds"):
        return float(request["duration_seconds"])
    source = float(job["extra"].get("source_duration_seconds") or cat.FACE_SWAP_MAX_DURATION)
    start = float(request.get("trim_start_seconds") or 0)
    end = float(request.get("trim_end_seconds") or source)
    return round(max(1.0, min(cat.FACE_SWAP_MAX_DURATION, end - start)), 2)


def job_outputs(job: dict) -> list[Output]:
    """The outputs of a completed job, derived only from its stored request."""
    request, seed, job_type = job["request"], job["id"], job["type"]
    if job_type == "image_generation":
        width, height = cat.image_size(request.get("aspect_ratio") or "1:1", request.get("resolution") or "1k")
        count = int(request.get("image_count") or request.get("n") or 1)
        return [Output(ImageSpec(request["prompt"], width, height, f"{seed}:{index}"), "png")
                for index in range(count)]
    if job_type == "video_generation":
        width, height = cat.video_size(request.get("aspect_ratio") or "9:16", request.get("resolution") or "720p")
        duration = float(request.get("duration") or 8)
        spec = VideoSpec(request["prompt"], width, height, duration, bool(request.get("generate_audio")), seed)
        return [Output(spec, "mp4")]
    if job_type == "ad_video_generation":
        width, height = cat.video_size("9:16", "720p")
        spec = VideoSpec(request["script"][:300], width, height, _ad_duration(request), True, seed)
        return [Output(spec, "mp4")]
    if job_type == "face_swap":
        width, height = cat.video_size(request.get("aspect_ratio") or "9:16", "720p")
        text = f"Face swap with avatar {job['avatar_id']}"
        return [Output(VideoSpec(text, width, height, _face_swap_duration(job), True, seed), "mp4")]
    return []


def output_path(job_id: str, index: int, extension: str) -> str:
    return f"/media/jobs/{job_id}/{index}.{extension}"


def result_payload(job: dict, url_for: UrlFor) -> dict:
    """The `result` member of GET /jobs/{id}/result for a completed job."""
    if job["type"] == "reference_analysis":
        return analyze_reference(job["request"]["url"])
    if job["type"] == "asset_upload":
        return dict(job["extra"].get("result") or {})
    outputs = job_outputs(job)
    if job["type"] == "image_generation":
        return {"images": [
            {"url": url_for(output_path(job["id"], index, "png")), "width": output.spec.width,
             "height": output.spec.height, "content_type": "image/png"}
            for index, output in enumerate(outputs)
        ]}
    return {"videos": [
        {"url": url_for(output_path(job["id"], index, "mp4")),
         "thumbnail_url": url_for(output_path(job["id"], index, "jpg")),
         "duration_seconds": output.spec.duration, "width": output.spec.width, "height": output.spec.height,
         "content_type": "video/mp4"}
        for index, output in enumerate(outputs)
    ]}

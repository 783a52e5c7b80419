"""A small Starlette app that answers in the plausible variant shapes API-CONTRACT.md's Tolerance list names,
and serves media for the download-safety tests. Reached through `httpx.ASGITransport`."""

from __future__ import annotations

from collections import Counter
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

BASE_URL = "http://localhost/api/v1"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def _job(job_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": job_id, "type": "image_generation", "status": "queued", **fields}


class VariantServer:
    def __init__(self) -> None:
        self.polls: Counter[str] = Counter()
        self.media_requests: list[dict[str, str]] = []
        self.app = Starlette(routes=[
            Route("/api/v1/images/generations", self.create_image, methods=["POST"]),
            Route("/api/v1/videos/generations", self.create_without_id, methods=["POST"]),
            Route("/api/v1/face-swap", self.create_face_swap, methods=["POST"]),
            Route("/api/v1/jobs", self.list_jobs),
            Route("/api/v1/jobs/{job_id:path}/result", self.result),
            Route("/api/v1/jobs/{job_id}", self.get_job),
            Route("/api/v1/avatars/{avatar_id}", self.error),
            Route("/media/{name}", self.media),
        ])

    async def create_image(self, request: Request) -> Response:
        prompt = (await request.json())["prompt"]
        shapes = {
            "nested": {"object": "image_generation", "job": {"id": "job_nested", "status": "queued"}},
            "job_id": {"object": "image_generation", "job_id": "job_top", "status": "queued"},
            "id": {"id": "job_bare", "status": "queued", "estimated_seconds": 12},
        }
        return JSONResponse(shapes[prompt], status_code=202)

    async def create_without_id(self, request: Request) -> Response:
        return JSONResponse({"object": "video_generation", "status": "queued"}, status_code=202)

    async def create_face_swap(self, request: Request) -> Response:
        jobs = [{"id": "job_fs_b", "status": "queued", "avatar_id": "b"}, {"id": "job_fs_a", "status": "queued", "avatar_id": "a"}]
        return JSONResponse({"object": "face_swap", "jobs": jobs, "job_id": "job_fs_a"}, status_code=202)

    async def list_jobs(self, request: Request) -> Response:
        shape = request.query_params.get("type")
        items = [_job(f"job_{i}") for i in range(3)]
        if shape == "items":
            return JSONResponse({"items": items, "next_cursor": None})
        if shape == "bare":
            return JSONResponse(items)
        if shape == "no_cursor":
            return JSONResponse({"data": items})
        if shape in ("total", "total_count"):
            return JSONResponse({"data": items, "next_cursor": None, shape: 40})
        if shape == "evolving":
            return JSONResponse({"data": [
                {"id": "job_old", "status": "completed", "created_at": "2026-01-02T03:04:05Z", "progress": 1.0},
                {"id": "job_new", "status": "running", "created_at": "2026-01-02T03:05:05+00:00", "priority": "high",
                 "cost": {"credits": 4, "currency": "credits"}, "tags": ["a", "b"]},
            ]})
        if shape == "paged":
            page = int(request.query_params.get("cursor") or 0)
            nxt = str(page + 1) if page < 2 else None
            return JSONResponse({"object": "list", "data": [_job(f"job_p{page}")], "next_cursor": nxt})
        return JSONResponse({"object": "list", "data": items, "has_more": False, "next_cursor": None})

    async def get_job(self, request: Request) -> Response:
        job_id = request.path_params["job_id"]
        self.polls[job_id] += 1
        n = self.polls[job_id]
        if job_id == "job_percent":
            body = _job(job_id, status="running", progress=42) if n < 3 else _job(job_id, status="completed", progress=100)
        elif job_id == "job_unknown":
            body = _job(job_id, status="paused_by_provider")
        elif job_id == "job_extra":
            body = {"id": job_id, "status": "running", "priority": "high", "eta": {"seconds": 3}}
        else:
            body = _job(job_id, status="completed")
        return JSONResponse(body)

    async def result(self, request: Request) -> Response:
        job_id = request.path_params["job_id"]
        url = {
            "job_insecure": "http://cdn.example.com/a.png?token=abc",
            "job_redirect": "http://localhost/media/redirect",
            "job_relative": "/media/ok.png?token=rel",
        }.get(job_id, "http://localhost/media/ok.png?token=secret123")
        return JSONResponse({"id": job_id, "status": "completed",
                             "result": {"images": [{"url": url, "content_type": "image/png", "width": 8, "height": 8}]}})

    async def media(self, request: Request) -> Response:
        self.media_requests.append(dict(request.headers))
        if request.path_params["name"] == "redirect":
            return RedirectResponse("http://cdn.example.com/elsewhere.png", status_code=302)
        return Response(PNG, media_type="image/png")

    async def error(self, request: Request) -> Response:
        variant = request.path_params["avatar_id"]
        if variant == "message":
            return JSONResponse({"message": "Avatar id is malformed."}, status_code=400, headers={"X-Request-Id": "req_hdr"})
        if variant == "detail":
            return JSONResponse({"detail": "No such avatar."}, status_code=404, headers={"X-Request-Id": "req_hdr"})
        if variant == "leaky":
            message = "Key sume_live_fake-LEAKED-0123 of ann.smith@example.com failed on https://cdn.example/x.mp4?token=LEAKTOKEN"
            return JSONResponse({"error": {"code": "invalid_request", "message": message}}, status_code=400)
        if variant == "text":
            return PlainTextResponse("upstream exploded", status_code=500)
        return JSONResponse({"error": {"code": "conflict", "message": "Busy.", "request_id": "req_in_body"}}, status_code=409)

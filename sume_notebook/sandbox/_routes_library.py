"""Uploads and the Asset Library: presign, the storage PUT, finalize, scene search and scene reads.

The storage endpoint plays the part of a cloud bucket: it knows nothing of API keys, trusts only the
signed URL and the required headers, and refuses a request that carries the Sume Authorization header.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ._errors import APIError, validation_error
from ._http import DIGITS, SignedURLs, authenticate, json_body, list_response, origin_of, sandbox_of, url_for
from ._json_output import APIJSONResponse
from ._library_search import parse_search_params
from ._media import MediaError
from ._state import Sandbox
from ._store import iso, now
from ._validation import RULES

EXTENSIONS = {"video/mp4": "mp4", "video/quicktime": "mov", "video/webm": "webm"}
UPLOAD_TOKEN_HEADER = "X-Sume-Upload-Token"
STORAGE_PREFIX = "/_storage/"


def _storage_signature(sandbox: Sandbox, object_key: str, expires: int) -> str:
    return hmac.new(sandbox.media_secret, f"storage:{object_key}:{expires}".encode(), hashlib.sha256).hexdigest()


async def presign(request: Request) -> APIJSONResponse:
    principal = authenticate(request)
    sandbox = sandbox_of(request)
    body = await json_body(request, RULES["presign"])
    if body["size_bytes"] > sandbox.settings.max_upload_bytes:
        raise APIError(413, "payload_too_large",
                       f"Uploads are limited to {sandbox.settings.max_upload_bytes} bytes.")
    upload_id = "upl_" + secrets.token_hex(10)
    safe_name = re.sub(r"[^A-Za-z0-9._-]+", "_", body["filename"]).strip("._") or "video"
    object_key = f"uploads/{secrets.token_hex(16)}/{safe_name}"
    expires = int(now() + sandbox.settings.upload_url_ttl)
    token = secrets.token_hex(16)
    sandbox.store.execute(
        "INSERT INTO uploads (id, workspace_id, object_key, purpose, filename, content_type, size_bytes,"
        " expires_at, storage_token, path, received_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
        (upload_id, principal.workspace_id, object_key, body["purpose"], body["filename"], body["content_type"],
         body["size_bytes"], expires, token, str(sandbox.uploads_dir / f"{upload_id}.bin")),
    )
    origin = origin_of(request)
    signature = _storage_signature(sandbox, object_key, expires)
    return APIJSONResponse({
        "object": "upload",
        "id": upload_id,
        "purpose": body["purpose"],
        "upload_url": f"{origin}{STORAGE_PREFIX}{object_key}?expires={expires}&signature={signature}",
        "required_headers": {"Content-Type": body["content_type"], UPLOAD_TOKEN_HEADER: token},
        "object_key": object_key,
        "media_url": url_for(request, f"/media/uploads/{upload_id}.{EXTENSIONS[body['content_type']]}"),
        "expires_at": iso(expires),
    })


def _storage_error(status: int, code: str, message: str) -> Response:
    """Storage answers like a bucket does: a small XML document, not the API's JSON."""
    body = f"<?xml version=\"1.0\"?><Error><Code>{code}</Code><Message>{message}</Message></Error>"
    return Response(body, status_code=status, media_type="application/xml")


async def storage_put(request: Request) -> Response:
    sandbox = sandbox_of(request)
    if "authorization" in request.headers:
        return _storage_error(400, "InvalidRequest", "Do not send the Sume Authorization header to storage.")
    object_key = request.path_params["object_key"]
    upload = sandbox.store.one("SELECT * FROM uploads WHERE object_key = ?", (object_key,))
    expires = request.query_params.get("expires", "")
    signature = request.query_params.get("signature", "")
    if upload is None or not DIGITS.fullmatch(expires) or not hmac.compare_digest(
            _storage_signature(sandbox, object_key, int(expires)), signature):
        return _storage_error(403, "SignatureDoesNotMatch", "The upload URL signature is not valid.")
    if int(expires) < now():
        return _storage_error(403, "AccessDenied", "The upload URL has expired; presign again.")
    if request.headers.get("content-type") != upload["content_type"] or \
            request.headers.get(UPLOAD_TOKEN_HEADER.lower()) != upload["storage_token"]:
        return _storage_error(403, "AccessDenied", "A required header is missing or wrong.")
    if upload["finalized_job"]:
        return _storage_error(409, "InvalidObjectState", "This upload was finalized; presign a new one.")
    sandbox.store.execute("UPDATE uploads SET received_bytes = 0 WHERE id = ?", (upload["id"],))
    limit = min(upload["size_bytes"], sandbox.settings.max_upload_bytes)
    received = await _stream_to_disk(request, upload["path"], limit)
    if received is None:
        return _storage_error(413, "EntityTooLarge", f"The body is larger than the {limit} bytes presigned.")
    if received != upload["size_bytes"]:
        return _storage_error(400, "IncompleteBody",
                              f"Received {received} of the {upload['size_bytes']} bytes presigned.")
    try:
        duration = (await run_in_threadpool(sandbox.media.probe, upload["path"]))["duration_seconds"] or None
    except MediaError:
        duration = None
    sandbox.store.execute("UPDATE uploads SET received_bytes = ?, duration_seconds = ? WHERE id = ?",
                          (received, duration, upload["id"]))
    return Response(status_code=200, headers={"ETag": f'"{upload["id"]}"'})


async def _stream_to_disk(request: Request, path: str, limit: int) -> int | None:
    """Write the body chunk by chunk; None (and no file) once it passes `limit`."""
    received = 0
    with open(path, "wb") as target:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                break
            target.write(chunk)
    if received > limit:
        open(path, "wb").close()
        return None
    return received


async def finalize(request: Request) -> APIJSONResponse:
    principal = authenticate(request)
    sandbox = sandbox_of(request)
    body = await json_body(request, RULES["finalize"])
    upload = sandbox.store.one("SELECT * FROM uploads WHERE object_key = ? AND workspace_id = ?",
                               (body["object_key"], principal.workspace_id))
    if upload is None:
        raise APIError(404, "not_found", "No upload with this object_key in this workspace.")
    if upload["purpose"] != "asset_library_video":
        raise validation_error([{"field": "object_key", "message": "was presigned for face_swap_source_video; "
                                 "presign with purpose asset_library_video to add it to the library"}])
    if upload["finalized_job"]:
        raise APIError(409, "conflict", f"This upload was already finalized as job {upload['finalized_job']}.")
    if not upload["received_bytes"]:
        raise APIError(409, "conflict", "No bytes were uploaded yet: PUT the file to upload_url first.")
    if not upload["duration_seconds"]:
        raise validation_error([{"field": "object_key", "message": "the uploaded file is not a readable video"}])
    source_id = "src_" + upload["id"].removeprefix("upl_")
    extra = {"upload_id": upload["id"], "source_id": source_id,
             "result": {"source_video_id": source_id, "duration_seconds": upload["duration_seconds"],
                        "title": body.get("title") or upload["filename"]}}
    job = sandbox.jobs.create(principal.workspace_id, "asset_upload", body, 0, extra=extra)
    sandbox.store.execute("UPDATE uploads SET finalized_job = ? WHERE id = ?", (job["id"], upload["id"]))
    return APIJSONResponse({"object": "asset_upload", "id": upload["id"], "status": "processing",
                            "job_id": job["id"], "source_video_id": source_id}, status_code=202)


def scene_json(urls: SignedURLs, scene: dict, search: dict | None, source: dict) -> dict:
    """The contract's scene asset, its media URLs signed for this caller; `source` is its source video's record."""
    clip = urls(f"/media/scenes/{scene['id']}/clip.mp4") if scene["has_clip"] else None
    source_media = urls(f"/media/sources/{scene['source_video_id']}.mp4")
    body = {"object": "asset", **scene}
    del body["has_clip"], body["source_video_id"]
    body.update({
        "clip_url": clip,
        "media_url": clip,
        "thumbnail_url": urls(f"/media/scenes/{scene['id']}/thumb.jpg"),
        "source_media_url": source_media,
        "source_video": {"id": scene["source_video_id"], "title": source.get("title"),
                         "duration_seconds": source.get("duration_seconds"), "media_url": source_media},
        "search": search,
    })
    return body


async def search_assets(request: Request) -> APIJSONResponse:
    principal = authenticate(request)
    params, problems = parse_search_params(request.query_params)
    if problems:
        raise validation_error(problems)
    try:
        page, next_cursor = await run_in_threadpool(sandbox_of(request).search, principal.workspace_id, params)
    except ValueError as error:
        raise validation_error([{"field": "cursor", "message": str(error)}]) from None
    sources = sandbox_of(request).sources(scene["source_video_id"] for scene, _ in page)
    urls = SignedURLs(request)
    items = [
        scene_json(urls, scene, {"score": score, "query": params.q, "mode": params.search_mode}
                   if params.q else None, sources.get(scene["source_video_id"], {}))
        for scene, score in page
    ]
    return list_response(items, next_cursor)


async def get_asset(request: Request) -> APIJSONResponse:
    principal = authenticate(request)
    sandbox = sandbox_of(request)
    scene = sandbox.scene(request.path_params["asset_id"], principal.workspace_id)
    if scene is None:
        raise APIError(404, "not_found", "No asset with this id in this workspace.")
    query = request.query_params
    problems = []
    if query.get("search_mode") and query["search_mode"] not in ("auto", "text"):
        problems.append({"field": "search_mode", "message": "must be auto or text"})
    score = query.get("search_score")
    if score is not None:
        try:
            score = float(score)
        except ValueError:
            score = math.nan
        if not math.isfinite(score):
            problems.append({"field": "search_score", "message": "must be a finite number (omit it when unknown)"})
    if problems:
        raise validation_error(problems)
    search = None
    if query.get("query"):
        search = {"score": score, "query": query["query"], "mode": query.get("search_mode") or "text"}
    source = sandbox.source(scene["source_video_id"]) or {}
    return APIJSONResponse(scene_json(SignedURLs(request), scene, search, source))


routes = [
    Route("/uploads/presign", presign, methods=["POST"]),
    Route("/assets", finalize, methods=["POST"]),
    Route("/assets", search_assets, methods=["GET"]),
    Route("/assets/{asset_id}", get_asset, methods=["GET"]),
]
storage_routes = [Route(STORAGE_PREFIX + "{object_key:path}", storage_put, methods=["PUT"])]

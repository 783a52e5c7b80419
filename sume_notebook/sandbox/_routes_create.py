"""The create routes: image, video, ad, face swap and reference analysis jobs.

All five share one path: authenticate, check scope, validate the body, replay an idempotent retry,
then in one transaction check the active-generation limit and the credits, reserve them, and insert.
"""

from __future__ import annotations

import hashlib
from typing import Callable
from urllib.parse import parse_qs, urlsplit

from starlette.requests import Request
from starlette.routing import Route

from . import _catalog as cat
from ._analysis import validate_reference_url
from ._errors import APIError, validation_error
from ._http import authenticate, json_body, sandbox_of
from ._jobs import job_json
from ._json_output import APIJSONResponse
from ._seed import visible_avatars
from ._state import Principal, Sandbox
from ._store import dumps, loads, now
from ._validation import RULES

RESTRICTED_TYPES = ("ad_video_generation", "face_swap")
UPLOAD_MEDIA_PREFIX = "/media/uploads/"


def _find_avatar(workspace_id: str, ident: str) -> dict | None:
    return next((a for a in visible_avatars(workspace_id) if ident in (a["id"], a["slug"])), None)


def _check_ad(principal: Principal, body: dict, sandbox: Sandbox) -> dict:
    ad_format = body.get("ad_format") or "talking_heads"
    if ad_format not in cat.AVATAR_AD_FORMATS:
        return {}
    field = "avatar_id" if body.get("avatar_id") else "avatar_slug"
    avatar = _find_avatar(principal.workspace_id, body[field])
    if avatar is None:
        raise validation_error([{"field": field, "message": "is not an avatar of this workspace"}])
    if not avatar["capabilities"][ad_format]:
        raise validation_error([{"field": field, "message": f"avatar {avatar['slug']} cannot do {ad_format}"}])
    return {"avatar_id": avatar["id"]}


def _check_face_swap(principal: Principal, body: dict, sandbox: Sandbox) -> dict:
    problems = []
    for index, avatar_id in enumerate(body["avatar_ids"]):
        avatar = _find_avatar(principal.workspace_id, avatar_id)
        if avatar is None or not avatar["capabilities"]["face_swap"]:
            reason = "is not an avatar of this workspace" if avatar is None else "cannot do face swap"
            problems.append({"field": f"avatar_ids[{index}]", "message": f"{avatar_id!r} {reason}"})
    upload = _face_swap_source(principal, body["source_video_url"], sandbox)
    if upload is None:
        problems.append({"field": "source_video_url", "message": "must be the media_url of a finished upload "
                         "with purpose face_swap_source_video"})
    if problems:
        raise validation_error(problems)
    return {"source_duration_seconds": upload["duration_seconds"]}


def _face_swap_source(principal: Principal, url: str, sandbox: Sandbox):
    try:
        parts = urlsplit(url)
    except ValueError:  # a broken IPv6 literal
        return None
    if not parts.path.startswith(UPLOAD_MEDIA_PREFIX):
        return None
    token = parse_qs(parts.query).get("token", [None])[0]
    if not sandbox.verify(parts.path, token):
        return None
    upload_id = parts.path[len(UPLOAD_MEDIA_PREFIX):].split(".")[0]
    upload = sandbox.store.one("SELECT * FROM uploads WHERE id = ? AND workspace_id = ?",
                               (upload_id, principal.workspace_id))
    ok = (upload is not None and upload["purpose"] == "face_swap_source_video"
          and upload["received_bytes"] and upload["duration_seconds"])
    return upload if ok else None


def _check_analysis(principal: Principal, body: dict, sandbox: Sandbox) -> dict:
    message = validate_reference_url(body["url"])
    if message:
        raise validation_error([{"field": "url", "message": message}])
    return {}


def _no_check(principal: Principal, body: dict, sandbox: Sandbox) -> dict:
    return {}


CHECKS: dict[str, Callable[[Principal, dict, Sandbox], dict]] = {
    "image_generation": _no_check, "video_generation": _no_check, "ad_video_generation": _check_ad,
    "face_swap": _check_face_swap, "reference_analysis": _check_analysis,
}


def _replay(sandbox: Sandbox, principal: Principal, route: str, key: str, body_hash: str) -> APIJSONResponse | None:
    row = sandbox.store.one(
        "SELECT * FROM idempotency WHERE workspace_id = ? AND route = ? AND key = ? AND created_at > ?",
        (principal.workspace_id, route, key, now() - cat.IDEMPOTENCY_TTL_SECONDS),
    )
    if row is None:
        return None
    if row["body_hash"] != body_hash:
        raise APIError(409, "idempotency_mismatch",
                       "This Idempotency-Key was used with a different body; use a new key for a new request.")
    return APIJSONResponse(loads(row["response"]), status_code=row["status"], headers={"Idempotent-Replayed": "true"})


def _reserve_and_create(sandbox: Sandbox, principal: Principal, job_type: str, body: dict, extra: dict) -> list[dict]:
    """Check capacity and credits, reserve, insert: atomically, so parallel creates cannot overspend."""
    avatar_ids = [extra.pop("avatar_id")] if "avatar_id" in extra else [None]
    if job_type == "face_swap":
        avatar_ids = [_find_avatar(principal.workspace_id, a)["id"] for a in body["avatar_ids"]]
    unit_price = cat.price(job_type, body)
    total = unit_price * len(avatar_ids)
    with sandbox.store.transaction() as store:
        workspace = store.one("SELECT * FROM workspaces WHERE id = ?", (principal.workspace_id,))
        if job_type in cat.GENERATION_TYPES:
            active = sandbox.jobs.active_count(principal.workspace_id)
            if active + len(avatar_ids) > workspace["max_active"]:
                soonest = store.one(
                    "SELECT MIN(ends_at) AS t FROM jobs WHERE workspace_id = ? AND ends_at > ?",
                    (principal.workspace_id, now()),
                )["t"]
                wait = max(1, round((soonest or now()) - now() + 0.5))
                raise APIError(429, "active_generation_limit",
                               f"{active} of {workspace['max_active']} generations are active; "
                               f"retry after {wait} s.", headers={"Retry-After": str(wait)})
        if workspace["remaining_credits"] < total:
            raise APIError(402, "insufficient_credits",
                           f"This job needs {total} credits; {workspace['remaining_credits']} remain.")
        store.execute("UPDATE workspaces SET remaining_credits = remaining_credits - ? WHERE id = ?",
                      (total, principal.workspace_id))
        return [sandbox.jobs.create(principal.workspace_id, job_type, body, unit_price, avatar_id=avatar_id,
                                    extra=extra) for avatar_id in avatar_ids]


def _response_body(job_type: str, jobs: list[dict]) -> dict:
    moment = now()
    primary = job_json(jobs[0], moment)
    required = sum(job["credits"] for job in jobs)
    if job_type == "face_swap":
        return {"object": "face_swap", "job_id": primary["id"], "required_credits": required,
                "jobs": [{"id": j["id"], "status": job_json(j, moment)["status"], "avatar_id": j["avatar_id"]}
                         for j in jobs]}
    return {"object": job_type, "job_id": primary["id"], "required_credits": required, "job": primary}


def create_route(path: str, job_type: str) -> Route:
    async def create(request: Request) -> APIJSONResponse:
        principal = authenticate(request)
        sandbox = sandbox_of(request)
        if principal.restricted and job_type in RESTRICTED_TYPES:
            raise APIError(403, "forbidden", f"This API key cannot create {job_type} jobs.")
        body = await json_body(request, RULES[job_type])
        extra = CHECKS[job_type](principal, body, sandbox)
        key = request.headers.get("idempotency-key")
        body_hash = hashlib.sha256(dumps(body).encode()).hexdigest()
        if key:
            replay = _replay(sandbox, principal, path, key, body_hash)
            if replay is not None:
                return replay
        jobs = _reserve_and_create(sandbox, principal, job_type, body, extra)
        response = _response_body(job_type, jobs)
        if key:
            sandbox.store.execute(
                "INSERT OR REPLACE INTO idempotency VALUES (?, ?, ?, ?, ?, ?, ?)",
                (principal.workspace_id, path, key, body_hash, 202, dumps(response), now()),
            )
        return APIJSONResponse(response, status_code=202)

    return Route(path, create, methods=["POST"], name=job_type)


routes = [
    create_route("/images/generations", "image_generation"),
    create_route("/videos/generations", "video_generation"),
    create_route("/ads/videos", "ad_video_generation"),
    create_route("/face-swap", "face_swap"),
    create_route("/reference-analysis", "reference_analysis"),
]

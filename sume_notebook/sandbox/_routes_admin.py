"""The admin API under /_sandbox/: faults, settings, counters. It needs the admin token, never an API key."""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.routing import Route

from ._errors import APIError
from ._http import read_json, sandbox_of
from ._json_output import APIJSONResponse
from ._state import Sandbox


def _admin(request: Request) -> Sandbox:
    sandbox = sandbox_of(request)
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else ""
    if not token or not hmac.compare_digest(token, sandbox.admin_token):
        raise APIError(401, "invalid_admin_token", "Send 'Authorization: Bearer <admin_token>'.")
    return sandbox


async def _options(request: Request) -> dict:
    body = read_json(await request.body() or b"{}")
    if not isinstance(body, dict):
        raise APIError(400, "invalid_request", "The body must be a JSON object.")
    return body


async def _call(request: Request, action) -> APIJSONResponse:
    """Run an admin action with the body's keys as arguments; a bad argument is a 400."""
    options = await _options(request)
    try:
        return APIJSONResponse(action(**options))
    except (TypeError, ValueError) as error:
        raise APIError(400, "invalid_request", str(error)) from None


async def config(request: Request) -> APIJSONResponse:
    sandbox = _admin(request)
    if request.method == "GET":
        return APIJSONResponse(sandbox.describe_settings())
    return await _call(request, sandbox.configure)


async def faults(request: Request) -> APIJSONResponse:
    sandbox = _admin(request)
    if request.method == "GET":
        return APIJSONResponse({"faults": sandbox.faults.pending(),
                                "job_faults": [dict(vars(f)) for f in sandbox.settings.job_faults]})
    return await _call(request, sandbox.add_fault)


async def job_faults(request: Request) -> APIJSONResponse:
    return await _call(request, _admin(request).add_job_fault)


async def cancel_job(request: Request) -> APIJSONResponse:
    sandbox = _admin(request)
    job = sandbox.jobs.get_any(request.path_params["job_id"])
    if job is None:
        raise APIError(404, "not_found", "No such job.")
    if not sandbox.jobs.cancel(job):
        raise APIError(409, "conflict", f"Job {job['id']} already ended as {job['outcome']}.")
    return APIJSONResponse({"id": job["id"], "canceled": True})


async def timeline(request: Request) -> APIJSONResponse:
    found = _admin(request).job_timeline(request.path_params["job_id"])
    if found is None:
        raise APIError(404, "not_found", "No such job.")
    return APIJSONResponse(found)


async def reset(request: Request) -> APIJSONResponse:
    _admin(request).reset()
    return APIJSONResponse({"reset": True})


async def stats(request: Request) -> APIJSONResponse:
    return APIJSONResponse(_admin(request).stats.snapshot())


routes = [
    Route("/_sandbox/config", config, methods=["GET", "POST"]),
    Route("/_sandbox/faults", faults, methods=["GET", "POST"]),
    Route("/_sandbox/job-faults", job_faults, methods=["POST"]),
    Route("/_sandbox/jobs/{job_id}/cancel", cancel_job, methods=["POST"]),
    Route("/_sandbox/jobs/{job_id}/timeline", timeline),
    Route("/_sandbox/reset", reset, methods=["POST"]),
    Route("/_sandbox/stats", stats),
]

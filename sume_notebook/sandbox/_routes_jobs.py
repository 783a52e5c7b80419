"""Job routes: list, get and result."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from . import _catalog as cat
from ._cursors import decode_keyset_cursor, encode_cursor
from ._errors import APIError
from ._http import SignedURLs, authenticate, list_response, parse_limit, sandbox_of
from ._jobs import job_json, status_of
from ._json_output import APIJSONResponse
from ._outputs import result_payload
from ._store import now


def _validate_filters(request: Request) -> tuple[str | None, str | None]:
    job_type, status = request.query_params.get("type"), request.query_params.get("status")
    problems = []
    if job_type is not None and job_type not in cat.JOB_DURATIONS:
        problems.append({"field": "type", "message": "must be one of " + ", ".join(cat.JOB_DURATIONS)})
    if status is not None and status not in cat.JOB_STATUSES:
        problems.append({"field": "status", "message": "must be one of " + ", ".join(cat.JOB_STATUSES)})
    if problems:
        raise APIError(400, "validation_error", "Invalid fields: " + ", ".join(p["field"] for p in problems) + ".",
                       fields=problems)
    return job_type, status


async def list_jobs(request: Request) -> APIJSONResponse:
    principal = authenticate(request)
    job_type, status = _validate_filters(request)
    limit = parse_limit(request)
    cursor = request.query_params.get("cursor")
    before = decode_keyset_cursor(cursor) if cursor else None
    jobs, more = sandbox_of(request).jobs.list(principal.workspace_id, job_type=job_type, status=status,
                                               limit=limit, before=before)
    moment = now()
    next_cursor = encode_cursor([jobs[-1]["created_at"], jobs[-1]["id"]]) if more else None
    return list_response([job_json(job, moment) for job in jobs], next_cursor)


def _job_or_404(request: Request) -> dict:
    principal = authenticate(request)
    job_id = request.path_params["job_id"]
    job = sandbox_of(request).jobs.get(principal.workspace_id, job_id)
    if job is None:
        raise APIError(404, "not_found", f"No job {job_id} in this workspace.")
    return job


async def get_job(request: Request) -> APIJSONResponse:
    return APIJSONResponse(job_json(_job_or_404(request)))


async def job_result(request: Request) -> APIJSONResponse:
    job = _job_or_404(request)
    moment = now()
    status = status_of(job, moment)
    if status != "completed":
        detail = "is still " + status if status not in cat.TERMINAL_STATUSES else f"ended as {status}"
        raise APIError(409, "job_not_completed", f"Job {job['id']} {detail}; it has no result.")
    body = job_json(job, moment)
    body["result"] = result_payload(job, SignedURLs(request))
    return APIJSONResponse(body)


routes = [
    Route("/jobs", list_jobs),
    Route("/jobs/{job_id}", get_job),
    Route("/jobs/{job_id}/result", job_result),
]

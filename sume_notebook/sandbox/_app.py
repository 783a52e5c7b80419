"""The Starlette application: the API under /api/v1, media, storage, the admin API and OpenAPI."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.routing import BaseRoute, Match, Mount, Route

from . import (
    _routes_account,
    _routes_admin,
    _routes_create,
    _routes_jobs,
    _routes_library,
    _routes_media,
)
from ._crash import CrashEnvelope
from ._errors import APIError, error_response
from ._faults import EdgeMiddleware
from ._http import origin_of, request_id_of
from ._jobs import Settings
from ._json_output import APIJSONResponse
from ._openapi import openapi_document
from ._state import Sandbox

API_PREFIX = "/api/v1"


async def _api_error(request: Request, error: Exception) -> APIJSONResponse:
    assert isinstance(error, APIError)
    return error_response(error, request_id_of(request))


async def _not_found(request: Request, error: Exception) -> APIJSONResponse:
    return error_response(APIError(404, "not_found", f"No route {request.method} {request.url.path}."),
                          request_id_of(request))


def _allowed_methods(routes: list[BaseRoute], scope: dict) -> set[str]:
    """Every method some route at this path answers (Starlette's own 405 names only the first route's)."""
    methods: set[str] = set()
    for route in routes:
        match, child = route.matches(scope)
        if match is Match.NONE:
            continue
        if isinstance(route, Mount):
            methods |= _allowed_methods(route.routes, {**scope, **child})
        else:
            methods |= getattr(route, "methods", None) or set()
    return methods


async def _method_not_allowed(request: Request, error: Exception) -> APIJSONResponse:
    """405 with `Allow`, as RFC 9110 requires, so a client learns what the path does answer."""
    scope = {"type": "http", "path": request.url.path, "root_path": "", "method": request.method}
    allowed = ", ".join(sorted(_allowed_methods(request.app.router.routes, scope)))
    return error_response(APIError(405, "method_not_allowed", f"{request.method} is not allowed here; use {allowed}.",
                                   headers={"Allow": allowed}), request_id_of(request))


async def _openapi(request: Request) -> APIJSONResponse:
    return APIJSONResponse(openapi_document(origin_of(request) + API_PREFIX))


def build_app(sandbox: Sandbox) -> EdgeMiddleware:
    """The ASGI app: Starlette routes wrapped in the edge (request ids, counters, faults)."""
    api_routes = _routes_account.routes + _routes_create.routes + _routes_jobs.routes + _routes_library.routes
    app = Starlette(
        routes=[
            Mount(API_PREFIX, routes=api_routes),
            Route("/api/openapi.json", _openapi),
            *_routes_media.routes,
            *_routes_library.storage_routes,
            *_routes_admin.routes,
        ],
        exception_handlers={APIError: _api_error, 404: _not_found, 405: _method_not_allowed},
        middleware=[Middleware(CrashEnvelope)],
    )
    app.state.sandbox = sandbox
    edge = EdgeMiddleware(app, sandbox.faults, sandbox.stats)
    edge.state = app.state  # so `handle.app.state.sandbox` works on the outer app too
    return edge


def create_app(data_dir: Path, *, seed: int = 0, time_scale: float = 1.0) -> EdgeMiddleware:
    """An app over a data directory, for uvicorn or httpx.ASGITransport."""
    return build_app(Sandbox(data_dir, Settings(seed=seed, time_scale=time_scale)))

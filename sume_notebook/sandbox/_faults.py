"""Injected faults and the server's edge: request ids, request counters, and what tests break on purpose.

`EdgeMiddleware` wraps the whole app as raw ASGI, because some faults (a dropped connection, a body
cut short) cannot be expressed as a response: they happen to the socket.
"""

from __future__ import annotations

import asyncio
import fnmatch
import json
import secrets
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._errors import APIError, error_body

FAULT_KINDS = ("status", "drop", "malformed_json", "truncate", "latency")
UNFAULTED_PREFIX = "/_sandbox/"
ANSWERED_AT_THE_EDGE = ("status", "drop", "malformed_json")  # these faults answer without the router


@dataclass
class HTTPFault:
    """Act on the next `count` requests whose "METHOD /path" matches `route` (a glob)."""

    route: str
    kind: str = "status"
    status: int = 500
    count: int = 1
    latency: float = 0.0
    retry_after: float | None = None
    code: str | None = None
    message: str | None = None

    def matches(self, method: str, path: str) -> bool:
        pattern = self.route if " " in self.route else f"* {self.route}"
        want_method, want_path = pattern.split(" ", 1)
        return fnmatch.fnmatchcase(method, want_method) and fnmatch.fnmatchcase(path, want_path)


class Faults:
    """The pending HTTP faults, consumed in the order they were added."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[HTTPFault] = []

    def add(self, fault: HTTPFault) -> None:
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {', '.join(FAULT_KINDS)}")
        with self._lock:
            self._pending.append(fault)

    def take(self, method: str, path: str) -> HTTPFault | None:
        with self._lock:
            for fault in self._pending:
                if fault.matches(method, path):
                    fault.count -= 1
                    if fault.count <= 0:
                        self._pending.remove(fault)
                    return fault
        return None

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(vars(fault)) for fault in self._pending]

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()


class Stats:
    """Request counts by route template and responses by status, for tests and benchmarks."""

    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.responses: Counter[str] = Counter()

    def snapshot(self) -> dict[str, dict[str, int]]:
        return {"requests": dict(self.requests), "responses": dict(self.responses)}

    def clear(self) -> None:
        self.requests.clear()
        self.responses.clear()


def new_request_id() -> str:
    return "req_" + secrets.token_hex(12)


def route_template(scope: Scope) -> str:
    """"GET /api/v1/jobs/{job_id}" from the matched path parameters, for readable counters."""
    path = scope["path"]
    for name, value in (scope.get("path_params") or {}).items():
        path = path.replace(f"/{value}", f"/{{{name}}}", 1)
    return f"{scope['method']} {path}"


def _path_params(routes: list[BaseRoute], scope: Scope) -> dict[str, Any]:
    """The path parameters the router would find, for a request a fault answers before routing."""
    for route in routes:
        match, child = route.matches(scope)
        if match is Match.NONE:
            continue
        if isinstance(route, Mount):
            return _path_params(route.routes, {**scope, **child})
        return dict(child.get("path_params") or {})
    return {}


def _abort_connection(send: Send) -> bool:
    """Close the socket under uvicorn without a response; False where there is no socket (ASGITransport)."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        return False
    transport.abort()
    cycle.disconnected = True  # uvicorn then sends no 500 of its own
    return True


class EdgeMiddleware:
    def __init__(self, app: ASGIApp, faults: Faults, stats: Stats) -> None:
        self.app = app
        self.faults = faults
        self.stats = stats

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        admin = scope["path"].startswith(UNFAULTED_PREFIX)  # the harness's own calls: never faulted nor counted
        fault = None if admin else self.faults.take(scope["method"], scope["path"])
        if fault is not None and fault.kind in ANSWERED_AT_THE_EDGE:
            # Never routed: find its path parameters anyway, so it is counted under its route template.
            scope["path_params"] = _path_params(self.app.router.routes, scope)  # type: ignore[attr-defined]
        counted = admin

        def count(status: int | None) -> None:
            # Once per request, before its response leaves (so a client never sees a reply the counters
            # miss yet), or at the end for a request that got no response at all (a dropped connection).
            nonlocal counted
            if not counted:
                counted = True
                self.stats.requests[route_template(scope)] += 1
                if status is not None:
                    self.stats.responses[str(status)] += 1

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                message = {**message, "headers": [*headers, (b"x-request-id", request_id.encode())]}
                count(message["status"])
            await send(message)

        try:
            await self._serve(scope, receive, send, send_with_id, fault, request_id)
        finally:
            count(None)

    async def _serve(self, scope: Scope, receive: Receive, raw_send: Send, send: Send,
                     fault: HTTPFault | None, request_id: str) -> None:
        if fault is None:
            await self.app(scope, receive, send)
        elif fault.kind == "latency":
            await asyncio.sleep(fault.latency)
            await self.app(scope, receive, send)
        elif fault.kind == "status":
            await self._send_status(send, fault, request_id)
        elif fault.kind == "malformed_json":
            await _send_raw(send, 200, b'{"object": "job", "id": "job_', b"application/json")
        elif fault.kind == "drop":
            if not _abort_connection(raw_send):
                raise ConnectionResetError("sandbox fault: connection dropped")
        else:
            await self.app(scope, receive, _truncating(raw_send, send))

    async def _send_status(self, send: Send, fault: HTTPFault, request_id: str) -> None:
        error = APIError(fault.status, fault.code, fault.message)
        headers = {}
        if fault.status == 429 or fault.retry_after is not None:
            headers["retry-after"] = f"{fault.retry_after if fault.retry_after is not None else 1:g}"
        body = json.dumps(error_body(error, request_id)).encode()
        await _send_raw(send, fault.status, body, b"application/json", headers)


async def _send_raw(send: Send, status: int, body: bytes, content_type: bytes,
                    headers: dict[str, str] | None = None) -> None:
    raw_headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    raw_headers += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


def _truncating(raw_send: Send, send: Send) -> Send:
    """A send that lets through half of the declared body, then drops the connection."""
    state = {"budget": None, "done": False}

    async def truncated_send(message: Message) -> None:
        if state["done"]:
            return
        if message["type"] == "http.response.start":
            length = dict(message.get("headers", [])).get(b"content-length")
            state["budget"] = int(length) // 2 if length else None
            await send(message)
            return
        body = message.get("body", b"")
        budget = state["budget"] if state["budget"] is not None else len(body) // 2
        await send({"type": "http.response.body", "body": body[:budget], "more_body": True})
        state["budget"] = budget - min(budget, len(body))
        if state["budget"] <= 0 or not message.get("more_body"):
            state["done"] = True
            if not _abort_connection(raw_send):
                raise ConnectionResetError("sandbox fault: download truncated")

    return truncated_send

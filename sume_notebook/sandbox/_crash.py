"""The last answer: an exception no handler expected becomes the contract's JSON 500, logged with its request id.

Starlette's own fallback answers plain text, which a client cannot read a request id or an error code from.
This middleware sits inside Starlette's, so it sees the exception first and answers in the contract's envelope.
A response that already started cannot be replaced: then the exception goes on up (and the connection ends).
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._errors import APIError, error_response

log = logging.getLogger("sume_notebook.sandbox")


class CrashEnvelope:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        except Exception:
            request_id = scope.get("state", {}).get("request_id", "req_unknown")
            log.exception("sandbox: unexpected error answering %s %s (%s)", scope["method"], scope["path"], request_id)
            if started:
                raise
            error = APIError(500, "internal_error", f"Internal error; quote request id {request_id}.")
            await error_response(error, request_id)(scope, receive, send)

"""A loopback HTTP proxy in front of the sandbox that records every API request it passes on: method, path, query
and JSON body. The sandbox counts requests per route only; comparing the two front ends needs the bodies too.

It is a real server on a real socket (the client under test cannot tell it from the sandbox), forwarding with
httpx; media and storage URLs in answers still point at the sandbox itself, so downloads and uploads go there.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

_HOP_BY_HOP = {"host", "connection", "content-length", "transfer-encoding", "content-encoding", "keep-alive"}


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    body: Any


class RecordingProxy:
    def __init__(self, upstream_origin: str) -> None:
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._upstream = httpx.Client(base_url=upstream_origin, timeout=60)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                content = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                if parts.path.startswith("/api/"):
                    body = json.loads(content) if content else None
                    with proxy._lock:
                        proxy.requests.append(Recorded(self.command, parts.path, tuple(sorted(parse_qsl(parts.query))), body))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                answer = proxy._upstream.request(self.command, self.path, headers=headers, content=content)
                self.send_response(answer.status_code)
                for name, value in answer.headers.items():
                    if name.lower() not in _HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward

            def log_message(self, format: str, *args: Any) -> None:  # quiet: pytest shows failures, not traffic
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """The API base URL through the proxy (what SUME_BASE_URL takes)."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/v1"

    def take(self) -> list[Recorded]:
        """The requests recorded since the last take."""
        with self._lock:
            taken, self.requests = self.requests, []
        return taken

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._upstream.close()

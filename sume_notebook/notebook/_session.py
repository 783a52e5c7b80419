"""Which Sume client the magics talk to, and the local sandbox they fall back on.

The key is the one given with `%sume login` (kept in this process's memory only), else `SUME_API_KEY`; the base
URL is `SUME_BASE_URL`, else production. With neither a key nor a base URL the magics start the local sandbox, or
reuse the one this process already runs, and say so in one line: the embedded default costs nothing. After
`%sume sandbox start` the magics use the sandbox whatever the environment says, until `%sume sandbox stop`.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .._redaction import register_secret

if TYPE_CHECKING:
    from .._facade import Sume
    from ..client import PollSchedule
    from ..sandbox import SandboxHandle

__all__ = ["SANDBOX_BANNER", "Session"]

SANDBOX_BANNER = "Using the local Sume sandbox at {origin} (no credits spent)"

_sandbox: SandboxHandle | None = None  # one per process: every shell and session shares it
_sandbox_lock = threading.Lock()


def _ensure_sandbox(**options: Any) -> SandboxHandle:
    """The running sandbox of this process, started on first use (its data persists in the user's cache)."""
    global _sandbox
    with _sandbox_lock:
        if _sandbox is None:
            from ..sandbox import start_sandbox

            _sandbox = start_sandbox(**options)
        return _sandbox


def running_sandbox() -> SandboxHandle | None:
    return _sandbox


def stop_sandbox() -> bool:
    """Stop this process's sandbox; False when none was running."""
    global _sandbox
    with _sandbox_lock:
        handle, _sandbox = _sandbox, None
    if handle is None:
        return False
    handle.stop()
    return True


class Session:
    """The client of one magics instance, rebuilt when the key, base URL or journal home changes.

    `recent` maps a request's identity to the job(s) it started, so an identical re-run can re-attach.
    `poll_schedule` sets how often jobs are polled (None: the client's default). Without `sandbox` (the console,
    whose process ends with the command) a missing key is an error rather than a sandbox of this process.
    """

    def __init__(self, announce: Callable[[str], None] = print, *, sandbox: bool = True) -> None:
        self.poll_schedule: PollSchedule | None = None
        self.recent: dict[tuple[str, ...], list[Any]] = {}
        self._announce = announce
        self._login_key: str | None = None
        self._use_sandbox = False
        self._clients: dict[tuple[str, str, str], Sume] = {}
        self._announced: str | None = None
        self._sandbox_fallback = sandbox

    def login(self, key: str) -> tuple[str | None, bool]:
        """Use `key` from now on in this process (never written anywhere), over `SUME_API_KEY` and the sandbox.

        Returns what it replaced, for `restore_login` when the key turns out to be refused.
        """
        register_secret(key)
        previous = (self._login_key, self._use_sandbox)
        self._login_key, self._use_sandbox = key, False
        return previous

    def restore_login(self, previous: tuple[str | None, bool]) -> None:
        self._login_key, self._use_sandbox = previous

    def use_sandbox(self, **options: Any) -> SandboxHandle:
        """Start or reuse the sandbox and use it from now on, whatever the environment says."""
        handle = _ensure_sandbox(**options)
        self._use_sandbox = True
        self._announce(SANDBOX_BANNER.format(origin=handle.origin))
        self._announced = handle.origin
        return handle

    def leave_sandbox(self) -> bool:
        self._use_sandbox = False
        return stop_sandbox()

    def _credentials(self) -> tuple[str | None, str | None]:
        """(api key, base URL); None for the base URL means the client's default (production)."""
        key = self._login_key or os.environ.get("SUME_API_KEY") or None
        base_url = os.environ.get("SUME_BASE_URL") or None
        if self._use_sandbox or (key is None and base_url is None and self._sandbox_fallback):
            handle = _ensure_sandbox()
            if self._announced != handle.origin:
                self._announce(SANDBOX_BANNER.format(origin=handle.origin))
                self._announced = handle.origin
            return handle.api_key, handle.url
        return key, base_url

    def client(self) -> Sume:
        """The client for the current credentials, made on first use (a missing key raises `SumeError`)."""
        from .._facade import Sume
        from ..client import DEFAULT_BASE_URL, SumeError, data_home

        key, base_url = self._credentials()
        if not key and not self._sandbox_fallback:
            from IPython.core.error import UsageError

            raise UsageError("No Sume API key: set SUME_API_KEY (and SUME_BASE_URL for another Sume environment).")
        if not key:
            raise SumeError("No Sume API key: set SUME_API_KEY or run %sume login (unset SUME_BASE_URL for the local sandbox).")
        identity = (base_url or DEFAULT_BASE_URL, hashlib.sha256(key.encode()).hexdigest()[:12], str(data_home()))
        client = self._clients.get(identity)
        if client is None:
            client = self._clients[identity] = Sume(api_key=key, base_url=base_url, poll_schedule=self.poll_schedule)
        return client

    def close(self) -> None:
        """Close every client (their jobs keep running on the service); the sandbox stays up for a reload."""
        for client in self._clients.values():
            client.close()
        self._clients.clear()
        self.recent.clear()

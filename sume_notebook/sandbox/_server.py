"""Running the sandbox: uvicorn on a background thread behind a small handle, loopback only."""

from __future__ import annotations

import ipaddress
import os
import threading
import time
from pathlib import Path
from typing import Any

from ._app import API_PREFIX, build_app
from ._jobs import Settings
from ._seed import keys_by_role
from ._state import Sandbox

START_TIMEOUT_SECONDS = 30.0


def default_data_dir() -> Path:
    """A per-user cache directory, so the demo keeps its jobs and library between runs."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sume-notebook" / "sandbox"


def _require_loopback(host: str) -> None:
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"the sandbox binds to loopback only (127.0.0.1, ::1 or localhost), not {host!r}")


class SandboxHandle:
    """A running sandbox: its URL and keys, fault and settings controls, and `stop()`."""

    def __init__(self, sandbox: Sandbox, host: str, port: int) -> None:
        import uvicorn

        self.sandbox = sandbox
        self.app = build_app(sandbox)
        config = uvicorn.Config(self.app, host=host, port=port, log_level="warning", lifespan="off",
                                access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="sume-sandbox", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the sandbox could not start on {host}:{port}")
            time.sleep(0.01)
        bound = self._server.servers[0].sockets[0].getsockname()
        display_host = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
        self.origin = f"http://{display_host}:{bound[1]}"
        self.port = int(bound[1])

    @property
    def url(self) -> str:
        """The API base URL, ending in /api/v1 (what SUME_BASE_URL takes)."""
        return self.origin + API_PREFIX

    @property
    def keys(self) -> dict[str, str]:
        """API keys by role: primary, restricted (403 on ads and face swap), other (a second workspace), poor."""
        return keys_by_role(self.sandbox.store)

    @property
    def api_key(self) -> str:
        return self.keys["primary"]

    @property
    def admin_token(self) -> str:
        return self.sandbox.admin_token

    @property
    def data_dir(self) -> Path:
        return self.sandbox.data_dir

    def add_fault(self, route: str, **options: Any) -> dict:
        """Break the next requests matching `route`; see `Sandbox.add_fault` for the options."""
        return self.sandbox.add_fault(route, **options)

    def add_job_fault(self, outcome: str = "failed", **options: Any) -> dict:
        return self.sandbox.add_job_fault(outcome, **options)

    def configure(self, **options: Any) -> dict:
        return self.sandbox.configure(**options)

    def stats(self) -> dict:
        return self.sandbox.stats.snapshot()

    def job_timeline(self, job_id: str) -> dict | None:
        return self.sandbox.job_timeline(job_id)

    def reset(self) -> None:
        self.sandbox.reset()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self.sandbox.close()

    def __enter__(self) -> "SandboxHandle":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<SandboxHandle {self.url}>"


def start_sandbox(port: int = 0, data_dir: str | Path | None = None, time_scale: float = 1.0, *,
                  seed: int = 0, host: str = "127.0.0.1", seed_scenes: int | None = None) -> SandboxHandle:
    """Start a sandbox on a background thread and return its handle once it accepts connections.

    `seed_scenes` makes the primary workspace's seeded Asset Library that many scenes long (200,000 take about
    half a minute, once per data directory), for trying search, paging and syncing at the size of a real team's library.
    """
    _require_loopback(host)
    if time_scale <= 0:
        raise ValueError("time_scale must be positive")
    if seed_scenes is not None and (isinstance(seed_scenes, bool) or not isinstance(seed_scenes, int)
                                    or seed_scenes < 0):
        raise ValueError("seed_scenes must be a whole number of scenes, 0 or more")
    directory = Path(data_dir) if data_dir is not None else default_data_dir()
    sandbox = Sandbox(directory, Settings(seed=seed, time_scale=time_scale))
    if seed_scenes is not None:
        sandbox.seed_scenes(seed_scenes)
    return SandboxHandle(sandbox, host, port)

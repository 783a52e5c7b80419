"""A fresh sandbox per benchmark, and what the benchmarks read back from it through its public API.

Every benchmark starts its own sandbox in a new temporary directory with the request rate limit off and
credits to spare, so no figure depends on an earlier benchmark or on a limit it did not ask for.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from sume_notebook.sandbox import SandboxHandle, start_sandbox

__all__ = ["Bench", "fresh_sandbox", "job_ids_on_service", "status_reads"]

_CREDITS = 10**9
_PAGE = 100


@dataclass(frozen=True)
class Bench:
    """A running sandbox, its settings as configured (job durations included) and a work directory for clients."""

    box: SandboxHandle
    settings: Mapping[str, Any]
    workdir: Path

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.box.api_key}"}

    def job_duration(self, job_type: str) -> float:
        """The nominal duration at this time scale (each job varies by +-15 % around it)."""
        return float(self.settings["job_durations"][job_type])

    def ends_at(self, job_id: str) -> float:
        """The end the sandbox recorded for a job (epoch seconds): the moment its status turned terminal."""
        timeline = self.box.job_timeline(job_id)
        if timeline is None:
            raise LookupError(f"the sandbox has no job {job_id}")
        return float(timeline["ends_at"])


@contextmanager
def fresh_sandbox(time_scale: float, seed_scenes: int | None = None, **settings: Any) -> Iterator[Bench]:
    """A sandbox of its own at `time_scale`, rate limit off, plenty of credits, plus `settings` (see `configure`);
    `seed_scenes` makes its Asset Library that many scenes long."""
    with tempfile.TemporaryDirectory(prefix="sume-bench-") as root, \
            start_sandbox(data_dir=Path(root, "sandbox"), time_scale=time_scale, seed_scenes=seed_scenes) as box:
        described = box.configure(rate_limit_per_second=0, credits=_CREDITS, **settings)
        workdir = Path(root, "client")
        workdir.mkdir()
        yield Bench(box, described, workdir)


def job_ids_on_service(bench: Bench) -> set[str]:
    """Every job of the workspace, read with `GET /jobs` pages: the service's own count of what was created."""
    ids: set[str] = set()
    params: dict[str, Any] = {"limit": _PAGE}
    with httpx.Client(base_url=bench.box.url, headers=bench.headers) as http:
        while True:
            body = http.get("/jobs", params=params).raise_for_status().json()
            ids.update(job["id"] for job in body["data"])
            if not body.get("next_cursor"):
                return ids
            params["cursor"] = body["next_cursor"]


def status_reads(stats: Mapping[str, Mapping[str, int]]) -> int:
    """Requests that read job status (`GET /jobs/{id}` and `GET /jobs` pages) in a `stats()` snapshot."""
    return sum(n for route, n in stats["requests"].items() if route in ("GET /api/v1/jobs/{job_id}", "GET /api/v1/jobs"))

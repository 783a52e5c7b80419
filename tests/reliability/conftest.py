"""The reliability and security suite: fault matrix, kernel restarts, soak, secret scans and bad input, all against
the shared sandbox."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sume_notebook.sandbox import SandboxHandle


@pytest.fixture
def sandbox_limits() -> dict[str, Any]:
    """No rate limit, as the scenarios count requests and retries exactly: every refusal must be one they injected.
    Room for 20 active generations, so jobs still running from an earlier scenario do not hold the capacity."""
    return {"max_active_generations": 20, "rate_limit_per_second": 0}


def sandbox_job_ids(handle: SandboxHandle) -> set[str]:
    """Every job of the primary workspace, read over the admin-free public API (all pages)."""
    ids: set[str] = set()
    params: dict[str, object] = {"limit": 100}
    with httpx.Client(base_url=handle.url, headers={"Authorization": f"Bearer {handle.api_key}"}, timeout=30) as http:
        while True:
            body = http.get("/jobs", params=params).json()
            ids |= {item["id"] for item in body.get("data") or body.get("items") or []}
            cursor = body.get("next_cursor") or (body.get("has_more") and body.get("last_id"))
            if not cursor:
                return ids
            params["cursor"] = cursor

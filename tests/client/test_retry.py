"""The retry policy, by counting what reached the sandbox: reads recover; a create is never sent twice once it
may have been accepted, and is repeated with the same idempotency key only when it provably was not."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from sume_notebook import AmbiguousCreateError, APIConnectionError, AsyncSume, history
from sume_notebook.sandbox import SandboxHandle
from tests.support import requests_to

CREATE = "POST /api/v1/images/generations"


def recording_client(sb: SandboxHandle, timeout: float = 5.0) -> tuple[AsyncSume, list[tuple[str, str, str | None]]]:
    """A client whose outgoing requests are recorded (method, path, idempotency key) by an httpx event hook."""
    sent: list[tuple[str, str, str | None]] = []

    async def record(request: httpx.Request) -> None:
        sent.append((request.method, request.url.path, request.headers.get("idempotency-key")))

    http = httpx.AsyncClient(event_hooks={"request": [record]}, timeout=timeout)
    return AsyncSume(api_key=sb.api_key, base_url=sb.url, http_client=http), sent


@pytest.fixture
async def recorded(sb: SandboxHandle):
    client, sent = recording_client(sb)
    yield client, sent
    await client._http.aclose()


@pytest.mark.parametrize("kind", ["status503", "status429", "malformed_json", "drop"])
async def test_reads_recover(client: AsyncSume, sb: SandboxHandle, kind: str) -> None:
    fault = {"status503": {"status": 503}, "status429": {"status": 429, "retry_after": 0.05}}.get(kind, {"kind": kind})
    sb.add_fault(route="GET /api/v1/credits", count=1, **fault)
    assert (await client.credits()).max_active_generations == 4
    assert requests_to(sb, "GET /api/v1/credits") == 2


async def test_reads_give_up_after_max_retries(sb: SandboxHandle) -> None:
    sb.add_fault(route="GET /api/v1/me", status=503, count=10)
    async with AsyncSume(api_key=sb.api_key, base_url=sb.url, max_retries=2) as client:
        with pytest.raises(Exception):
            await client.me()
    assert requests_to(sb, "GET /api/v1/me") == 3


@pytest.mark.parametrize("fault", [{"status": 503}, {"status": 500}, {"kind": "drop"}, {"kind": "malformed_json"}])
async def test_create_is_never_resent_after_it_may_have_been_accepted(recorded, sb: SandboxHandle, fault: dict) -> None:
    client, sent = recorded
    sb.add_fault(route=CREATE, count=1, **fault)
    with pytest.raises(AmbiguousCreateError) as caught:
        await client.images.generate("maybe accepted")
    assert requests_to(sb, CREATE) == 1
    [(_, _, key)] = [s for s in sent if s[0] == "POST"]
    assert key and caught.value.idempotency_key == key and key in str(caught.value)
    assert "jobs.list()" in str(caught.value)
    [row] = history().to_dict("records")
    assert row["request_state"] == "ambiguous" and row["idempotency_key"] == key


async def test_create_timeout_is_ambiguous(sb: SandboxHandle) -> None:
    client, sent = recording_client(sb, timeout=0.3)
    sb.add_fault(route=CREATE, kind="latency", latency=0.6, count=1)
    with pytest.raises(AmbiguousCreateError):
        await client.images.generate("slow accept")
    await client._http.aclose()
    await asyncio.sleep(0.5)  # let the sandbox finish the abandoned request before the next test counts
    assert len([s for s in sent if s[0] == "POST"]) == 1


async def test_create_429_is_retried_with_the_same_key(recorded, sb: SandboxHandle) -> None:
    client, sent = recorded
    sb.add_fault(route=CREATE, status=429, count=2, retry_after=0.05)
    job = await client.images.generate("after a 429")
    keys = [key for method, _, key in sent if method == "POST"]
    assert len(keys) == 3 and len(set(keys)) == 1 and None not in keys
    assert (await job.wait()).status == "completed"


async def test_create_that_never_left_is_retried_then_reported(sb: SandboxHandle) -> None:
    async with AsyncSume(api_key=sb.api_key, base_url="http://127.0.0.1:9/api/v1", max_retries=2) as client:
        with pytest.raises(APIConnectionError):
            await client.images.generate("no route")
    [row] = history().to_dict("records")
    assert row["request_state"] == "rejected"


async def test_each_logical_create_has_its_own_key(recorded) -> None:
    client, sent = recorded
    await client.images.generate("one")
    await client.images.generate("two")
    keys = [key for method, _, key in sent if method == "POST"]
    assert len(keys) == len(set(keys)) == 2

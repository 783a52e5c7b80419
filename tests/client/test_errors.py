"""Every error class, each from a real sandbox answer, with its request id and a message that says what to do."""

from __future__ import annotations

import asyncio

import pytest

from sume_notebook import (
    APIConnectionError,
    APITimeoutError,
    AsyncSume,
    AuthenticationError,
    InsufficientCreditsError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    SumeError,
)
from sume_notebook.client import APIError
from sume_notebook.sandbox import SandboxHandle


def no_retries(sb: SandboxHandle, key: str | None = None, **options: object) -> AsyncSume:
    return AsyncSume(api_key=key or sb.api_key, base_url=sb.url, max_retries=0, **options)  # type: ignore[arg-type]


def assert_reportable(error: APIError) -> None:
    text = str(error)
    assert error.request_id and error.request_id.startswith("req_") and error.request_id in text
    assert len(text.splitlines()) <= 3 and isinstance(error, SumeError)


async def test_401_invalid_key(sb: SandboxHandle) -> None:
    async with no_retries(sb, key="sume_test_not_a_real_key_0000") as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.me()
    assert caught.value.status == 401 and caught.value.code == "invalid_api_key"
    assert "SUME_API_KEY" in str(caught.value) and "not_a_real_key" not in str(caught.value)
    assert_reportable(caught.value)


async def test_402_insufficient_credits(sb: SandboxHandle) -> None:
    async with no_retries(sb, key=sb.keys["poor"]) as client:
        with pytest.raises(InsufficientCreditsError) as caught:
            await client.videos.generate("too expensive", duration=15, resolution="720p", generate_audio=True)
    assert caught.value.status == 402 and "credits()" in str(caught.value)
    assert_reportable(caught.value)


async def test_429_rate_limited_carries_retry_after(sb: SandboxHandle) -> None:
    sb.configure(rate_limit_per_second=0.5, rate_limit_burst=1)
    async with no_retries(sb) as client:
        with pytest.raises(RateLimitError) as caught:
            for _ in range(3):
                await client.credits()
    assert caught.value.kind == "rate" and caught.value.retry_after and caught.value.retry_after > 0
    assert_reportable(caught.value)


async def test_429_active_generation_limit(sb: SandboxHandle) -> None:
    sb.configure(max_active_generations=1, time_scale=1.0)
    async with no_retries(sb, retry_policy=RetryPolicy(max_retries=0, create_wait_budget=0)) as client:
        await client.videos.generate("first", duration=4)
        with pytest.raises(RateLimitError) as caught:
            await client.videos.generate("second", duration=4)
    assert caught.value.kind == "active_generation" and caught.value.retry_after is not None
    assert "submit_many" in str(caught.value)
    assert_reportable(caught.value)


async def test_5xx_server_error(sb: SandboxHandle) -> None:
    sb.add_fault(route="GET /api/v1/credits", status=502, count=1)
    async with no_retries(sb) as client:
        with pytest.raises(ServerError) as caught:
            await client.credits()
    assert caught.value.status == 502
    assert_reportable(caught.value)


async def test_dropped_connection(sb: SandboxHandle) -> None:
    sb.add_fault(route="GET /api/v1/credits", kind="drop", count=1)
    async with no_retries(sb) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.credits()
    assert "GET /credits" in str(caught.value)


async def test_timeout(sb: SandboxHandle) -> None:
    sb.add_fault(route="GET /api/v1/credits", kind="latency", latency=1.0, count=1)
    async with no_retries(sb, timeout=0.2) as client:
        with pytest.raises(APITimeoutError):
            await client.credits()
    await asyncio.sleep(1.0)  # let the sandbox finish the abandoned request before the next test counts


async def test_unreachable_service(sb: SandboxHandle) -> None:
    async with AsyncSume(api_key=sb.api_key, base_url="http://127.0.0.1:9/api/v1", max_retries=1) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.me()
    assert "SUME_BASE_URL" in str(caught.value)

"""Hostile input and echoing servers, as a user or a server would bring them: every case here got through once.

Text typed into a magic is data (no `{}`/`$` expansion, names-only interpolation); sizes and unsendable text are
refused before anything is journalled; a server that echoes the key or a signature leaks it nowhere; IPv6 URLs
are redacted like any other; one `AsyncSume` serves two event loops in turn.
"""

from __future__ import annotations

import asyncio
import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from sume_notebook import AsyncSume, DownloadError, InvalidRequestError, Journal, Sume, redact
from sume_notebook.notebook._problems import problem_from
from sume_notebook.notebook._testing import SumeShell
from sume_notebook.sandbox import SandboxHandle
from tests.support import requests_to

CREATE_IMAGE = "POST /api/v1/images/generations"
ECHOED_KEY = "sume_live_fake-EchoedKey"
OTHER_KEY = "sume_test_fake-NeverRegistered"


def test_a_magic_line_is_data_braces_and_dollars_are_not_expanded(ip: SumeShell) -> None:
    ip.shell.user_ns["secret_word"] = "EXPANDED"
    line = '%sume_generate image --prompt "{__import__(\'os\').getpid()} costs $secret_word" --dry-run -o body'
    run = ip.run(line)
    assert run.error is None, run.text
    assert ip.shell.user_ns["body"]["prompt"] == "{__import__('os').getpid()} costs $secret_word"
    assert str(os.getpid()) not in run.text


def test_a_prompt_cell_refuses_attribute_access(ip: SumeShell, env: SandboxHandle) -> None:
    ip.shell.user_ns["helper"] = lambda: None
    run = ip.run("%%sume_prompt --dry-run\n{helper.__globals__}")
    assert "is refused" in run.stderr and "__builtins__" not in run.text
    assert requests_to(env, CREATE_IMAGE) == 0


def test_a_huge_matrix_is_refused_before_it_is_built(ip: SumeShell, env: SandboxHandle) -> None:
    ip.shell.user_ns.update(a=range(160), b=range(160), c=range(160))
    run = ip.run("%%sume_prompt --dry-run --yes\n{a} {b} {c}")
    assert "4,096,000 prompts" in run.stderr and requests_to(env, CREATE_IMAGE) == 0


@pytest.mark.parametrize("prompt", ["x" * 30_000_000, "a lone \ud800 surrogate"], ids=["30 MB", "surrogate"])
def test_oversized_or_unsendable_text_is_refused_before_the_journal(sb: SandboxHandle, prompt: str) -> None:
    with Sume(api_key=sb.api_key, base_url=sb.url) as sume:
        with pytest.raises(InvalidRequestError, match="prompt"):
            sume.images.generate(prompt)
        assert sume.journal.entries() == []
    assert requests_to(sb, CREATE_IMAGE) == 0


def _echoing_server(key: str) -> Starlette:
    """A service that echoes what it got (the key, a signature) in every part of its error answer."""

    async def refuse(request: Request) -> JSONResponse:
        body = {"error": {
            "code": f"bad_key_{key}_code_{OTHER_KEY}",
            "message": f"key {key} refused; SignatureDoesNotMatch X-Amz-Signature=deadbeefcafe for {OTHER_KEY}",
            "fields": [{"field": f"auth_{key}", "message": f"echo X-Amz-Credential=AKIAECHO/{OTHER_KEY}"}],
        }}
        return JSONResponse(body, status_code=400, headers={"x-request-id": f"req_{key}_{OTHER_KEY}"})

    return Starlette(routes=[Route("/api/v1/images/generations", refuse, methods=["POST"])])


async def test_a_server_echoing_secrets_leaks_them_nowhere(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    transport = httpx.ASGITransport(app=_echoing_server(ECHOED_KEY))
    async with httpx.AsyncClient(transport=transport) as http, AsyncSume(
        api_key=ECHOED_KEY, base_url="http://localhost/api/v1", http_client=http, journal=journal
    ) as client:
        with pytest.raises(Exception) as caught:
            await client.images.generate("an echo")
    problem = problem_from(caught.value)
    shown = [str(caught.value), problem.text(), problem.html(), json.dumps(journal.entries(), default=str),
             journal.history().to_csv(), repr(vars(caught.value))]
    for text in shown:
        for secret in (ECHOED_KEY, OTHER_KEY, "deadbeefcafe", "AKIAECHO"):
            assert secret not in text, (secret, text[:300])


def test_login_never_takes_the_key_on_the_line(ip: SumeShell) -> None:
    run = ip.run(f"%sume login {OTHER_KEY}")
    assert "takes no key on the line" in run.stderr and OTHER_KEY not in run.text


def test_me_as_json_masks_the_key_id(ip: SumeShell, env: SandboxHandle) -> None:
    key_id = httpx.get(f"{env.url}/me", headers={"Authorization": f"Bearer {env.api_key}"}).json()["api_key"]["id"]
    run = ip.run("%sume me --json")
    assert run.error is None and key_id not in run.text


def test_ipv6_urls_are_redacted_like_any_other() -> None:
    shown = redact("fetch http://[::1]:8080/media/a.png?token=abc123 failed; also https://[2001:db8::7]/x?sig=zz9")
    assert "abc123" not in shown and "zz9" not in shown
    assert "http://[::1]:8080/media/a.png?…" in shown and "https://[2001:db8::7]/x?…" in shown
    assert "tok3n" not in redact("broken http://[::1/x?token=tok3n")


async def test_a_malformed_ipv6_media_url_is_a_download_error(client: AsyncSume) -> None:
    with pytest.raises(DownloadError):
        await client.read_media("http://[::1/media/a.png", max_bytes=1000)


def test_one_async_client_serves_two_event_loops_in_turn(sb: SandboxHandle) -> None:
    client = AsyncSume(api_key=sb.api_key, base_url=sb.url)
    first = asyncio.run(client.images.generate("first loop"))
    second = asyncio.run(client.images.generate("second loop"))
    assert first.id != second.id and requests_to(sb, CREATE_IMAGE) == 2
    asyncio.run(client.close())


def test_a_given_http_client_is_refused_on_another_loop_before_any_request(sb: SandboxHandle) -> None:
    http = httpx.AsyncClient()
    client = AsyncSume(api_key=sb.api_key, base_url=sb.url, http_client=http)
    asyncio.run(client.images.generate("its own loop"))
    with pytest.raises(Exception, match="one client per event loop"):
        asyncio.run(client.images.generate("another loop"))
    assert requests_to(sb, CREATE_IMAGE) == 1


def test_a_download_target_under_a_file_is_refused_before_the_job_is_paid(
    ip: SumeShell, env: SandboxHandle, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    run = ip.run(f'%sume_generate image --prompt "a lamp" --download {tmp_path / "notes.txt" / "out"}')
    assert "is a file, not a directory" in run.stderr and not run.has_traceback
    assert requests_to(env, CREATE_IMAGE) == 0


def test_one_async_client_serves_two_threads_at_once(sb: SandboxHandle) -> None:
    client = AsyncSume(api_key=sb.api_key, base_url=sb.url)

    async def create_and_wait(prompt: str) -> str:
        job = await client.images.generate(prompt)
        await job.wait()
        return job.status

    with ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(lambda p: asyncio.run(create_and_wait(p)), ["thread one", "thread two"]))
    assert statuses == ["completed", "completed"] and requests_to(sb, CREATE_IMAGE) == 2

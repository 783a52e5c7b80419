"""Secrets never leave the process in clear: not in logs (DEBUG included), reprs, exception texts or the journal."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from sume_notebook import AsyncSume, BadRequestError, SumeError, redact, redact_url
from sume_notebook.sandbox import SandboxHandle

from .client.variant_server import BASE_URL, VariantServer


async def test_a_whole_workflow_leaks_nothing(
    sb: SandboxHandle, sample_video: Path, tmp_path: Path, debug_logs: pytest.LogCaptureFixture
) -> None:
    shown: list[str] = []
    async with AsyncSume(api_key=sb.api_key, base_url=sb.url) as client:
        shown.append(repr(client))
        account = await client.me()
        shown.append(repr(account))
        upload = await client.uploads.upload_file(sample_video, "face_swap_source_video")
        shown.append(repr(upload))
        jobs = await client.face_swap.create(upload.media_url, ["avt_mia"], duration_seconds=2)
        shown += [repr(j) for j in jobs]
        await jobs[0].wait()
        result = await jobs[0].result()
        shown += [repr(result), *map(repr, result.outputs)]
        await result.download(tmp_path / "out")
        scenes = await client.assets.search("hook", max_items=5).to_list()
        shown += [repr(s) for s in scenes]
        shown.append(repr(await client.assets.search("hook", max_items=5).to_pandas()))
        brand = await client.brand.current()
        shown += [repr(brand), *map(repr, brand.images)]
        for call in (client.jobs.get("job_missing"), client.assets.get("scn_missing")):
            with pytest.raises(SumeError) as caught:
                await call
            shown.append(str(caught.value))
    async with AsyncSume(api_key=sb.keys["restricted"], base_url=sb.url) as restricted:
        with pytest.raises(SumeError) as caught:
            await restricted.face_swap.create(upload.media_url, ["avt_mia"])
        shown.append(str(caught.value))
    journal = b"".join(p.read_bytes() for p in (tmp_path / "home").iterdir())
    texts = "\n".join(shown + [r.getMessage() for r in debug_logs.records] + [debug_logs.text])
    secrets = [sb.api_key, sb.keys["restricted"], upload.upload_url, upload.object_key, account.email,
               account.workspace["id"], account.user["id"]]
    for secret in secrets:
        assert secret not in texts and secret.encode() not in journal
    assert "token=" not in texts and b"token=" not in journal
    assert any("HTTP Request" in r.getMessage() for r in debug_logs.records)  # httpx did log, filtered


async def test_server_messages_are_redacted_in_exceptions() -> None:
    server = VariantServer()
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=server.app))
    async with AsyncSume(api_key="sume_test_redaction", base_url=BASE_URL, http_client=http, journal=False) as client:
        with pytest.raises(BadRequestError) as caught:
            await client.avatars.get("leaky")
    await http.aclose()
    text = str(caught.value)
    for leaked in ("LEAKED-0123", "ann.smith@example.com", "LEAKTOKEN"):
        assert leaked not in text and leaked not in caught.value.message
    assert "https://cdn.example/x.mp4?…" in text


def test_log_filter_masks_arguments(caplog: pytest.LogCaptureFixture) -> None:
    AsyncSume(api_key="sume_live_fake-registered-secret", journal=False)
    logger = logging.getLogger("sume_notebook.client")
    with caplog.at_level(logging.DEBUG, logger="sume_notebook"):
        logger.debug("key %s url %s", "sume_live_fake-registered-secret", "https://s.example/u?X-Amz-Signature=abc")
    assert caplog.records[-1].getMessage() == "key sume_live_fake… url https://s.example/u?…"


def test_helpers() -> None:
    assert redact_url("https://cdn.example/a/b.png?token=x#f") == "https://cdn.example/a/b.png?…"
    assert redact("mail bob@example.org, Bearer abc.def") == "mail b…@e…, Bearer …"

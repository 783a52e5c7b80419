"""Unanswered creates: `jobs.resolve()` leaves alone what it cannot send exactly as the first time or what may still
be in flight, `pending()` says what to do instead, and a create cancelled mid-send lends its key. (Resolving the
creates of killed processes, replayed or created, is tested in tests/reliability/test_unanswered_creates.py.)"""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import time

import pytest

from sume_notebook import AsyncSume, history, pending, pending_frame
from sume_notebook.sandbox import SandboxHandle
from tests.support import requests_to

IMAGES = "POST /api/v1/images/generations"


def unanswered(client: AsyncSume, key: str, body: dict[str, object]) -> None:
    """What a process killed right after sending leaves behind: the request, journalled as `sent`."""
    assert client.journal is not None
    client.journal.record_request(key, "image", "/images/generations", body, client.base_url, client.key_fingerprint)


async def test_a_send_past_the_idempotency_window_is_listed_not_resent(client: AsyncSume, sb: SandboxHandle) -> None:
    unanswered(client, "sume-nb-old", {"prompt": "last week"})
    with sqlite3.connect(client.journal.path) as db:  # type: ignore[union-attr]
        db.execute("UPDATE requests SET created_at = ?", (time.time() - 25 * 3600,))

    [entry] = pending()
    assert (entry.id, entry.state) == (None, "expired")
    assert "jobs list" in pending_frame()["next_step"][0]
    [resolution] = await client.jobs.resolve()
    assert resolution.outcome == "expired" and "jobs list" in resolution.note and resolution.job_id is None
    assert requests_to(sb, IMAGES) == 0


async def test_a_body_stored_without_its_signed_urls_is_not_resent(client: AsyncSume, sb: SandboxHandle) -> None:
    body = {"prompt": "with a reference", "reference_image_urls": [f"{sb.origin}/media/ref.png?token=secret"]}
    unanswered(client, "sume-nb-signed", body)

    [resolution] = await client.jobs.resolve()
    assert resolution.outcome == "not_sent" and "signed URLs" in resolution.note
    assert requests_to(sb, IMAGES) == 0
    # Running it again cannot reuse that key either: the service would compare bodies the journal never saw.
    await client.images.generate("with a reference", reference_image_urls=body["reference_image_urls"])
    assert [e.state for e in pending()] == ["unresolved", "accepted"]


async def test_only_this_service_and_key_are_resolved(client: AsyncSume, sb: SandboxHandle) -> None:
    async with AsyncSume(api_key=sb.keys["other"], base_url=sb.url) as other:
        unanswered(other, "sume-nb-other-key", {"prompt": "not mine"})
    assert await client.jobs.resolve() == []
    assert requests_to(sb, IMAGES) == 0 and [e.state for e in pending()] == ["unresolved"]


async def test_a_send_of_a_live_process_is_in_flight_not_lost(client: AsyncSume, sb: SandboxHandle) -> None:
    """Another kernel (here: this process) still waits for the answer: neither re-sent nor its key reused, so two
    kernels creating the same image at once get two jobs."""
    assert client.journal is not None
    body = {"prompt": "same prompt, two kernels"}
    client.journal.record_request("sume-nb-in-flight", "image", "/images/generations", body, client.base_url,
                                  client.key_fingerprint, sender=f"{socket.gethostname()}:{os.getpid()}")

    assert [e.state for e in pending()] == ["sending"]
    [resolution] = await client.jobs.resolve()
    assert resolution.outcome == "sending" and requests_to(sb, IMAGES) == 0
    job = await client.images.generate(body["prompt"])
    assert client.journal.unresolved_key("image", "/images/generations", body, client.base_url,
                                         client.key_fingerprint) is None
    assert [(e.id, e.state) for e in pending()] == [(None, "sending"), (job.id, "accepted")]


async def test_a_create_cancelled_mid_send_lends_its_key_to_the_same_create(client: AsyncSume, sb: SandboxHandle) -> None:
    """Ctrl-C while the create is on the wire: the service may have it, so running it again replays it."""
    sb.add_fault(IMAGES, kind="latency", latency=0.5)
    sending = asyncio.create_task(client.images.generate("interrupted"))
    await asyncio.sleep(0.2)
    sending.cancel()
    with pytest.raises(asyncio.CancelledError):
        await sending
    [entry] = pending()
    assert entry.state == "unresolved"  # ended ambiguous, though this process lives on

    job = await client.images.generate("interrupted")
    assert [(e.id, e.state) for e in pending()] == [(job.id, "accepted")]
    assert entry.idempotency_key == history()["idempotency_key"].tolist()[0]

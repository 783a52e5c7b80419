"""Streaming file bytes to a presigned storage URL: only `required_headers`, never the Sume Authorization."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from .._redaction import redact, redact_url
from ._errors import SumeError, connection_error, error_from_response
from ._models import Upload
from ._retry import Mode
from ._transfer import MEDIA_TIMEOUT, is_allowed_media_url, without_credentials

if TYPE_CHECKING:
    from ._client import AsyncSume

__all__ = ["put_file"]

CHUNK = 256 * 1024
_WHERE = "<storage upload URL>"  # the signed URL itself is never named
logger = logging.getLogger("sume_notebook.client")
ProgressCallback = Callable[[int, int], Any]


async def _chunks(path: Path, size: int, on_progress: ProgressCallback | None) -> AsyncIterator[bytes]:
    sent = 0
    with path.open("rb") as handle:
        while sent < size:
            chunk = handle.read(min(CHUNK, size - sent))
            if not chunk:
                raise SumeError(f"{path.name} shrank while it was being uploaded; upload it again.")
            sent += len(chunk)
            if on_progress is not None:
                try:
                    on_progress(sent, size)
                except Exception as exc:  # a broken progress display must not break the upload
                    logger.warning("upload progress callback failed: %s", redact(exc))
            yield chunk
            await asyncio.sleep(0)


async def put_file(
    client: AsyncSume, upload: Upload, path: Path, size: int, on_progress: ProgressCallback | None = None
) -> None:
    """PUT the file to `upload.upload_url`, retried like a read: it overwrites the same object."""
    url = upload.upload_url or ""
    if not is_allowed_media_url(url):
        raise SumeError(f"Refusing to upload to {redact_url(url)}: only https (or http to this machine) is allowed.")
    headers = {str(k): str(v) for k, v in (upload.required_headers or {}).items()}
    headers["Content-Length"] = str(size)
    attempt = 0
    started = time.monotonic()
    while True:
        request = client._http.build_request(
            "PUT", url, content=_chunks(path, size, on_progress), headers=headers, timeout=MEDIA_TIMEOUT
        )
        try:
            response = await client._http.send(without_credentials(request))
        except httpx.TransportError as exc:
            error: SumeError = connection_error(exc, "PUT", _WHERE)
        else:
            if response.is_success:
                return
            error = error_from_response(response, "PUT", _WHERE)
        wait = client._retry.next_wait(error, Mode.READ, attempt, time.monotonic() - started)  # a PUT overwrites: safe
        if wait is None:
            raise error
        await client._pause("PUT", _WHERE, error, wait)
        attempt += 1

"""Saving output media to disk safely.

Only https (or http to this machine) is fetched, without any credential. The file name is made for a person to
find it again (a slug of the prompt, the short job id, the output index) with an extension from the content type,
and never comes from the URL. Bytes stream to a temporary file that is
renamed only when complete, so a broken or oversized transfer leaves nothing under the final name. A file already
there with the announced size is kept without fetching the body again.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import unicodedata
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import httpx

from .._redaction import redact_url
from ._errors import DownloadError, MediaTooLargeError
from ._models import Output
from ._retry import RETRYABLE_STATUSES
from ._transfer import MEDIA_TIMEOUT, is_allowed_media_url, without_credentials

if TYPE_CHECKING:
    from ._client import AsyncSume

__all__ = [
    "DEFAULT_MAX_BYTES", "MAX_OUTPUTS_PER_JOB", "Downloader", "deadline_for", "extension_for", "readable_stem",
    "short_id", "slug",
]

DEFAULT_MAX_BYTES = 2 * 1024**3
CONCURRENCY = 4
MAX_REDIRECTS = 5
# The only extensions a saved file can get: media types. A server's `text/html` or `text/x-python` never names a
# file that a double click would open as a page or run as code; anything unknown is saved as `.bin`.
_EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "video/mp4": ".mp4",
    "video/webm": ".webm",
    "video/quicktime": ".mov",
    "audio/mpeg": ".mp3",
    "audio/wav": ".wav",
}
MAX_OUTPUTS_PER_JOB = 16
DEFAULT_MAX_JOB_BYTES = 4 * 1024**3
# A file must arrive at this rate at least, after a minute of grace: a server that drips a byte every few seconds
# cannot hold a download (and the kernel) forever.
MIN_SECONDS = 60.0
MIN_BYTES_PER_SECOND = 256 * 1024


def extension_for(*content_types: str | None) -> str:
    """The extension of the first allowed media type among `content_types`, else `.bin`."""
    for ctype in content_types:
        extension = _EXTENSIONS.get((ctype or "").split(";", 1)[0].strip().lower())
        if extension:
            return extension
    return ".bin"


def deadline_for(size: int) -> float:
    """Seconds a file of `size` bytes may take in all: a minute plus its size at the minimum rate."""
    return MIN_SECONDS + size / MIN_BYTES_PER_SECOND


class _Budget:
    """Bytes all the files of one job may take together."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def take(self, size: int, url: str) -> None:
        self.used += size
        if self.used > self.limit:
            raise DownloadError(f"The outputs of this job exceed {self.limit:,} bytes together (at {redact_url(url)}); "
                                "pass max_job_bytes= to allow more. Nothing more was saved.")


SLUG_CHARS = 40
SHORT_ID_CHARS = 8  # after the id's type prefix: enough that two jobs of one prompt never share a name


def slug(words: str, limit: int = SLUG_CHARS) -> str:
    """`Serum bottle on marble, soft light!` -> `serum-bottle-on-marble-soft-light`: ascii, cut at a word."""
    ascii_words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", ascii_words.lower()).strip("-")
    if len(text) > limit:
        cut = text[: limit + 1]
        text = cut.rsplit("-", 1)[0] if "-" in cut else text[:limit]
    return text.strip("-")


def short_id(job_id: str) -> str:
    """`job_9f3a2b1c` of `job_9f3a2b1c5d...`: the type prefix and a few characters, safe in a file name."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", job_id).lstrip("_")
    underscore = safe.find("_")
    prefix = underscore + 1 if 0 < underscore <= 5 else 0
    return safe[: prefix + SHORT_ID_CHARS] or "output"


def readable_stem(words: str, job_id: str, index: int) -> str:
    """The file name without its extension: `serum-bottle-on-marble-job_9f3a2b1c-0`."""
    return "-".join(part for part in (slug(words), short_id(job_id), str(index)) if part)


def _same_bytes(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    digests = []
    for path in (a, b):
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digests.append(digest.digest())
    return digests[0] == digests[1]


class Downloader:
    def __init__(self, client: AsyncSume) -> None:
        self._client = client

    async def save_outputs(
        self, job_id: str, outputs: Sequence[Output], directory: Path, *, words: str, max_bytes: int | None = None,
        max_job_bytes: int | None = None, deadline: float | None = None,
    ) -> list[Path]:
        """Save every output concurrently (a few at a time), named from `words` (a prompt); paths in output order.

        Limits, all checked as the bytes arrive and none leaving a partial file: `max_bytes` per file,
        `max_job_bytes` for all of them, at most `MAX_OUTPUTS_PER_JOB` files, and `deadline` seconds per file
        (default: a minute plus the declared size at 256 KiB/s)."""
        if len(outputs) > MAX_OUTPUTS_PER_JOB:
            raise DownloadError(f"This job lists {len(outputs)} outputs; at most {MAX_OUTPUTS_PER_JOB} are saved at "
                                "once. Pass outputs= to choose them.")
        directory.mkdir(parents=True, exist_ok=True)
        gate = asyncio.Semaphore(CONCURRENCY)
        budget = _Budget(max_job_bytes or DEFAULT_MAX_JOB_BYTES)

        async def one(output: Output) -> Path:
            async with gate:
                return await self.save(
                    output.url or "", directory, readable_stem(words, job_id, output.index), output.content_type,
                    max_bytes or DEFAULT_MAX_BYTES, budget, deadline,
                )

        return list(await asyncio.gather(*(one(o) for o in outputs)))

    async def save(self, url: str, directory: Path, stem: str, content_type: str | None, max_bytes: int,
                   budget: _Budget, deadline: float | None) -> Path:
        url = self._absolute(url)
        retry = self._client._retry
        attempt = 0
        while True:
            try:
                return await self._fetch(url, directory, stem, content_type, max_bytes, budget, deadline)
            except (httpx.TransportError, _Retryable) as exc:
                if attempt >= retry.max_retries:
                    raise DownloadError(f"Download of {redact_url(url)} failed: {exc}. Nothing was saved; try again.") from exc
                await self._client._pause("GET", redact_url(url), exc, retry.delay(attempt))
                attempt += 1

    async def read(self, url: str, max_bytes: int) -> bytes:
        """The body at `url` in memory, or `MediaTooLargeError` past `max_bytes`, or `DownloadError` when refused."""
        response = await self._open(self._absolute(url))
        try:
            if not response.is_success:
                raise DownloadError(f"the media server answered HTTP {response.status_code} for {redact_url(url)}")
            length = response.headers.get("content-length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise MediaTooLargeError(int(length), max_bytes)
            chunks: list[bytes] = []
            received = 0
            async for chunk in response.aiter_bytes():
                received += len(chunk)
                if received > max_bytes:
                    raise MediaTooLargeError(None, max_bytes)
                chunks.append(chunk)
            return b"".join(chunks)
        finally:
            await response.aclose()

    def _absolute(self, url: str) -> str:
        """A media URL relative to the API resolved against it; one that does not parse is a `DownloadError`."""
        try:
            return urljoin(self._client.base_url + "/", url)
        except ValueError:
            raise DownloadError(f"Refusing to download {redact_url(url)}: the URL does not parse.") from None

    async def _open(self, url: str) -> httpx.Response:
        """GET with redirects followed by hand, each hop checked against the URL rules."""
        for _ in range(MAX_REDIRECTS + 1):
            if not is_allowed_media_url(url):
                raise DownloadError(f"Refusing to download {redact_url(url)}: only https, or http to this machine, is allowed.")
            request = self._client._http.build_request("GET", url, timeout=MEDIA_TIMEOUT)
            response = await self._client._http.send(without_credentials(request), stream=True)
            if not response.is_redirect:
                return response
            await response.aclose()
            url = urljoin(url, response.headers.get("location", ""))
        raise DownloadError(f"Too many redirects for {redact_url(url)}.")

    async def _fetch(self, url: str, directory: Path, stem: str, content_type: str | None, max_bytes: int,
                     budget: _Budget, deadline: float | None) -> Path:
        response = await self._open(url)
        try:
            if response.status_code in RETRYABLE_STATUSES:
                raise _Retryable(f"HTTP {response.status_code}")
            if not response.is_success:
                raise DownloadError(
                    f"The media server refused {redact_url(url)} (HTTP {response.status_code}); "
                    "read the job result again for fresh URLs."
                )
            final = directory / f"{stem}{extension_for(response.headers.get('content-type'), content_type)}"
            if final.resolve().parent != directory.resolve():
                raise DownloadError(f"Refusing to write outside {directory}.")
            length = response.headers.get("content-length")
            encoded = response.headers.get("content-encoding", "identity").lower() != "identity"
            expected = int(length) if length and length.isdigit() and not encoded else None
            if expected is not None and expected > max_bytes:
                raise DownloadError(f"{redact_url(url)} is {expected} bytes, over the {max_bytes}-byte cap.")
            if expected is not None and final.exists() and final.stat().st_size == expected:
                return final  # the same output saved before: keep it, do not fetch the body again
            return await self._stream_to(response, final, expected, max_bytes, url, budget, deadline)
        finally:
            await response.aclose()

    async def _stream_to(self, response: httpx.Response, final: Path, expected: int | None, max_bytes: int, url: str,
                         budget: _Budget, deadline: float | None) -> Path:
        """Write the body to a temporary file, renamed when complete. The body must keep pace: `deadline` seconds
        in all, or by default a minute plus the bytes so far (or the declared size) at the minimum rate, checked
        as each chunk arrives; a server silent for longer than the read timeout is cut by httpx."""
        temp = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.part")
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            received = 0
            with temp.open("wb") as handle:
                async for chunk in response.aiter_bytes():
                    received += len(chunk)
                    allowed = deadline if deadline is not None else deadline_for(max(expected or 0, received))
                    if loop.time() - started > allowed:
                        raise DownloadError(f"{redact_url(url)} took longer than {allowed:g} s; nothing was saved. "
                                            "Try again, or pass deadline= for a slow connection.")
                    if received > max_bytes:
                        raise DownloadError(f"{redact_url(url)} exceeded the {max_bytes}-byte cap; nothing was saved.")
                    budget.take(len(chunk), url)
                    handle.write(chunk)
            if expected is not None and received != expected:
                raise _Retryable(f"truncated: {received} of {expected} bytes")
            if final.exists() and _same_bytes(temp, final):
                return final
            os.replace(temp, final)
            return final
        finally:
            temp.unlink(missing_ok=True)


class _Retryable(Exception):
    """A transfer that may succeed if tried again (server busy, body cut short)."""

"""The media of a report: small stills of every output, and the full files for a zip.

Files the journal saw downloaded are used while they are still on disk (a video's poster frame still comes from
the service, when it can be reached); otherwise the outputs are read through a client: the job's own, the one
given, or one made from the environment only when a job needs it. Only small stills are kept in memory; full
files are streamed to disk. A file that cannot be had keeps its place in the report, with the reason.
"""

from __future__ import annotations

import asyncio
import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from .._redaction import redact, redact_url
from ._downloads import extension_for, readable_stem
from ._errors import SumeError
from ._job import JobResult
from ._models import Output
from .stills import Still, downscale

if TYPE_CHECKING:
    from ._client import AsyncSume

__all__ = ["EDGE", "FETCH_ERRORS", "Media", "ReportFile", "failure", "given"]

EDGE = 512  # longest side of an embedded still, in pixels: sharp in a contact sheet, small in a file
_MAX_IMAGE_BYTES = 64 * 1024**2
_MAX_POSTER_BYTES = 8 * 1024**2
_CONCURRENCY = 4
FETCH_ERRORS = (SumeError, httpx.HTTPError, OSError)  # OSError: Pillow cannot read the bytes


@dataclass(frozen=True)
class ReportFile:
    """One output: its file name, its kind, a small still (the image, or a video's poster frame), the full file
    when it is on disk, and why there is no still when there is none."""

    name: str
    kind: str
    still: Still | None
    path: Path | None = None
    note: str | None = None


def given(value: Any) -> Any:
    """A DataFrame cell as a plain value: NaN, NaT and <NA> are None."""
    if isinstance(value, (list, tuple, dict)):
        return value
    try:
        import pandas as pd

        return None if pd.isna(value) else value
    except (ImportError, TypeError, ValueError):
        return value


def _kind_of_file(path: Path) -> str:
    kind = (mimetypes.guess_type(path.name)[0] or "").split("/", 1)[0]
    return kind if kind in ("image", "video") else "file"


def failure(exc: BaseException) -> str:
    """Why something could not be had, in one redacted line."""
    return redact(str(exc) or type(exc).__name__).split("\n", 1)[0]


class Media:
    """Fetches stills (and full files for a zip) through clients; a default client from the environment is made
    only when a job needs one and none was given."""

    def __init__(self, full_files: Path | None, edge: int) -> None:
        self.full_files = full_files
        self.edge = edge
        self.gate = asyncio.Semaphore(_CONCURRENCY)
        self._default: AsyncSume | None = None
        self._default_error: str | None = None

    async def close(self) -> None:
        if self._default is not None:
            await self._default.close()

    def client_for(self, service: str | None, client: AsyncSume | None) -> tuple[AsyncSume | None, str | None]:
        """The client that can fetch the media of a job of `service` (the one given, else one made from the
        environment), or why there is none."""
        if client is None and self._default_error is None:
            from ._client import AsyncSume

            try:
                self._default = self._default or AsyncSume()
            except SumeError as exc:
                self._default_error = failure(exc)
            client = self._default
        if client is None:
            return None, f"not downloaded, and no client to fetch it: {self._default_error}"
        if service and redact_url(client.base_url) != service:
            return None, f"not downloaded; it is on {service}: pass a client of that service (client=)"
        return client, None

    async def files(self, row: Mapping[str, Any], client: AsyncSume | None,
                    result: JobResult | None = None) -> tuple[ReportFile, ...]:
        """The files of a completed job (a journal row): those on disk, else its outputs read through a client."""
        words = given(row.get("prompt")) or given(row.get("kind")) or "output"
        job_id = given(row.get("job_id"))
        if not job_id or row.get("status") != "completed":
            return ()
        async with self.gate:
            local = [Path(p) for p in given(row.get("downloads")) or [] if Path(p).is_file()]
            client, why_not = self.client_for(given(row.get("base_url")), client)
            outputs: list[Output] = []
            if client is not None and (not local or any(_kind_of_file(p) == "video" for p in local)):
                try:
                    outputs = (result or await client.jobs.result(job_id)).outputs
                except FETCH_ERRORS as exc:
                    why_not = f"its result could not be read: {failure(exc)}"
            if local:
                posters = [o for o in outputs if o.kind == "video"]
                return tuple([await self._local(path, posters, client) for path in local])
            if not outputs:
                return (ReportFile("", "file", None, note=why_not or "the job listed no outputs"),)
            return tuple([await self._fetched(client, job_id, output, words) for output in outputs])

    async def _local(self, path: Path, posters: list[Output], client: AsyncSume | None) -> ReportFile:
        kind = _kind_of_file(path)
        try:
            if kind == "image":
                return ReportFile(path.name, kind, downscale(path.read_bytes(), self.edge), path)
            poster = posters.pop(0) if posters and kind == "video" else None
            if poster is None or client is None or not poster.thumbnail_url:
                return ReportFile(path.name, kind, None, path, note="no poster frame at hand")
            still = downscale(await client.read_media(poster.thumbnail_url, max_bytes=_MAX_POSTER_BYTES), self.edge)
            return ReportFile(path.name, kind, still, path)
        except FETCH_ERRORS as exc:
            return ReportFile(path.name, kind, None, path, note=f"no preview: {failure(exc)}")

    async def _fetched(self, client: AsyncSume, job_id: str, output: Output, words: str) -> ReportFile:
        kind = output.kind if output.kind in ("image", "video") else "file"
        name = readable_stem(words, job_id, output.index) + extension_for(output.content_type)
        path = None
        try:
            if self.full_files is not None:
                [path] = await client._downloader.save_outputs(job_id, [output], self.full_files, words=words)
                name = path.name
            if kind == "image":
                data = path.read_bytes() if path else await client.read_media(output.url or "",
                                                                              max_bytes=_MAX_IMAGE_BYTES)
                return ReportFile(name, kind, downscale(data, self.edge), path)
            if not output.thumbnail_url:
                return ReportFile(name, kind, None, path, note="the service gave no poster frame")
            poster = await client.read_media(output.thumbnail_url, max_bytes=_MAX_POSTER_BYTES)
            return ReportFile(name, kind, downscale(poster, self.edge), path)
        except FETCH_ERRORS as exc:
            return ReportFile(name, kind, None, path, note=f"not available: {failure(exc)}")

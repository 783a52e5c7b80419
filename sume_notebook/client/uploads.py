"""`POST /uploads/presign` and the upload of a local file to the presigned storage URL."""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path

from .._redaction import redact_url, register_secret
from ._creating import Resource
from ._models import Upload
from ._retry import Mode
from ._uploads import ProgressCallback, put_file
from ._validation import Checker, checked

__all__ = ["UPLOAD_PURPOSES", "Uploads"]

UPLOAD_PURPOSES = ("asset_library_video", "face_swap_source_video")


def _check_file(c: Checker, path: str | os.PathLike[str]) -> tuple[Path, int]:
    file = Path(path)
    if not file.is_file():
        c.add("path", f"{file.name or path!s} is not a readable file")
        return file, 0
    size = file.stat().st_size
    if size == 0:
        c.add("path", f"{file.name} is empty")
    return file, size


class Uploads(Resource):
    async def presign(self, purpose: str, filename: str, content_type: str, size_bytes: int) -> Upload:
        """A temporary signed storage target for one file (its URL and object key are secrets)."""
        with checked() as c:
            c.choice("purpose", purpose, UPLOAD_PURPOSES)
            if purpose is None:
                c.add("purpose", f"is required: one of {', '.join(UPLOAD_PURPOSES)}")
            c.text("filename", filename, required=True)
            c.text("content_type", content_type, required=True)
            c.number("size_bytes", size_bytes, low=1, integer=True)
            if size_bytes is None:
                c.add("size_bytes", "is required")
        body = {"purpose": purpose, "filename": filename, "content_type": content_type, "size_bytes": size_bytes}
        response = await self._client._request("POST", "/uploads/presign", json=body, mode=Mode.READ)
        upload = Upload.from_api(response.data)
        register_secret(upload.upload_url, "<upload URL>")
        register_secret(upload.object_key, "<object key>")
        register_secret(upload.media_url, redact_url(upload.media_url))
        upload.purpose = upload.purpose or purpose
        return upload

    async def upload_file(
        self, path: str | os.PathLike[str], purpose: str, on_progress: ProgressCallback | None = None
    ) -> Upload:
        """Presign, then stream the file's bytes to storage; `on_progress(sent_bytes, total_bytes)` follows along.

        The size is declared at presign, so the service can refuse an oversized file (413) before any byte is sent.
        """
        with checked() as c:
            file, size = _check_file(c, path)
            c.choice("purpose", purpose, UPLOAD_PURPOSES)
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        upload = await self.presign(purpose, file.name, content_type, size)
        await put_file(self._client, upload, file, size, on_progress)
        return upload

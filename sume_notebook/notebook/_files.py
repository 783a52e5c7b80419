"""Links to files the kernel saved, so that a download reaches the person's browser, not only the server's disk.

A file is linked by its path relative to the kernel's working directory, which is the notebook's folder in
Jupyter: JupyterLab and Notebook 7 resolve a relative link in an output against the notebook and serve it from
the server's files route (`/files/<path from the server root>`), and the `download` attribute makes the browser
save it rather than open it in a tab. nbconvert's HTML, written next to the notebook, resolves it the same way.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..client.reprs import esc

__all__ = ["SavedFiles", "file_href", "saved_link"]

_LINK = "display:block;font-size:12px;margin-top:2px"


def file_href(path: Path) -> str | None:
    """`path` relative to the notebook's folder, as a URL path; None when no relative path reaches it."""
    try:
        relative = os.path.relpath(path, Path.cwd())
    except ValueError:  # another drive (Windows)
        return None
    return Path(relative).as_posix()


def saved_link(saved: Path) -> str:
    """Where a saved file is, as a link that downloads it through the Jupyter server (plain text if none reaches it)."""
    href = file_href(saved)
    if href is None:
        return f'<span style="{_LINK}">Saved as {esc(str(saved))}</span>'
    return f'<a download="{esc(saved.name)}" href="{esc(href)}" style="{_LINK}">⤓ saved as {esc(href)}</a>'


class SavedFiles:
    """What `--download` saved: the paths as text, and download links in HTML."""

    def __init__(self, job_id: str, paths: Sequence[Path]) -> None:
        self.job_id = job_id
        self.paths = list(paths)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        links = "".join(saved_link(path) for path in self.paths)
        return {"text/plain": repr(self), "text/html": f"<div>Saved {esc(self.job_id)}:{links}</div>"}

    def __repr__(self) -> str:
        return f"Saved {self.job_id}: " + ", ".join(str(p) for p in self.paths)

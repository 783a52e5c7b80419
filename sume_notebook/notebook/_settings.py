"""`Settings`: the `%config SumeMagics` values a command runs with, in a module of its own.

It imports nothing of the package, so the context, the presenters and the display can all name it without an
import circle between them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Settings"]


@dataclass(frozen=True)
class Settings:
    """The `SumeMagics` traits as they were when the command started (see `magics.py` for what each means)."""

    aspect_ratio: str | None
    resolution: str | None
    quality: str | None
    timeout: float | None
    download_dir: str
    max_batch: int
    preview_size: int
    static_video_bytes: int
    prices: dict[str, dict[str, float]] | None = None  # the price table of estimates (None: the default one)

"""`POST /videos/generations`."""

from __future__ import annotations

from typing import Any

from ._creating import Resource, creates
from ._validation import checked, without_none

__all__ = ["Videos"]

VIDEO_RESOLUTIONS = ("480p", "720p")


class Videos(Resource):
    def prepare(
        self,
        prompt: str,
        *,
        aspect_ratio: str | None = None,
        duration: float | None = None,
        resolution: str | None = None,
        generate_audio: bool | None = None,
    ) -> dict[str, Any]:
        """The validated request body, without sending it.

        `aspect_ratio` such as 9:16; `duration` 4 to 15 seconds; `resolution` 480p or 720p; `generate_audio`
        asks for audio where supported.
        """
        with checked() as c:
            body = without_none(
                prompt=c.text("prompt", prompt, required=True),
                aspect_ratio=c.text("aspect_ratio", aspect_ratio),
                duration=c.number("duration", duration, low=4, high=15),
                resolution=c.choice("resolution", resolution, VIDEO_RESOLUTIONS),
                generate_audio=c.boolean("generate_audio", generate_audio),
            )
        return body

    generate = creates("video")(prepare)

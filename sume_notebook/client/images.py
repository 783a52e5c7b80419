"""`POST /images/generations`."""

from __future__ import annotations

from typing import Any

from ._creating import Resource, creates
from ._validation import checked, without_none

__all__ = ["Images"]

IMAGE_ASPECT_RATIOS = ("1:1", "4:5", "9:16")


class Images(Resource):
    def prepare(
        self,
        prompt: str,
        *,
        aspect_ratio: str | None = None,
        n: int | None = None,
        resolution: str | None = None,
        quality: str | None = None,
        reference_image_urls: list[str] | None = None,
    ) -> dict[str, Any]:
        """The validated request body, without sending it.

        `aspect_ratio`: 1:1, 4:5 or 9:16. `n` >= 1 (one reliable output per job today). `resolution` and
        `quality` are passed as given (the seeds name no fixed values). `reference_image_urls`: HTTPS, such as
        a Brand's `reference_urls`.
        """
        with checked() as c:
            body = without_none(
                prompt=c.text("prompt", prompt, required=True),
                aspect_ratio=c.choice("aspect_ratio", aspect_ratio, IMAGE_ASPECT_RATIOS),
                image_count=c.number("n", n, low=1, integer=True),
                resolution=c.text("resolution", resolution),
                quality=c.text("quality", quality),
                reference_image_urls=c.urls("reference_image_urls", reference_image_urls),
            )
        return body

    generate = creates("image")(prepare)

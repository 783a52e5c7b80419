"""`--brand-references 1,3|IDS|all`: which reference images of the current Brand DNA a create adds.

The seeds say to pass *selected* Brand references, so the option names them: by their 1-based index in the current
profile or by image id (`all` for every one). Given without a value it lists them, numbered, and sends nothing:
the way to find the numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..._redaction import redact_url
from .._parsing import MagicParser, usage_error

if TYPE_CHECKING:
    import pandas as pd

    from ..._facade import Sume
    from ...client import BrandImage

__all__ = ["reference_frame", "references", "selected_urls"]


def references(client: Sume) -> list[BrandImage]:
    """The current Brand DNA's images that have a reference URL, in the order `--brand-references` numbers them."""
    return [image for image in client.brand.current().images or [] if image.reference_url]


def reference_frame(images: list[BrandImage]) -> pd.DataFrame:
    """The numbered list shown for `--brand-references` without a value (URLs without their query)."""
    import pandas as pd

    rows: list[dict[str, Any]] = [
        {"index": i, "id": image.id, "caption": image.caption, "reference_url": redact_url(image.reference_url or "")}
        for i, image in enumerate(images, 1)
    ]
    return pd.DataFrame(rows, columns=["index", "id", "caption", "reference_url"])


def selected_urls(parser: MagicParser, images: list[BrandImage], selection: str) -> list[str]:
    """The reference URLs `selection` names ("1,3", image ids, or "all"); an unknown one is a usage error."""
    urls = [image.reference_url or "" for image in images]
    if selection.strip().lower() == "all":
        return urls
    by_id = {image.id: image.reference_url or "" for image in images if image.id}
    chosen: list[str] = []
    for word in (w.strip() for w in selection.split(",")):
        if word.isdigit() and 1 <= int(word) <= len(urls):
            chosen.append(urls[int(word) - 1])
        elif word in by_id:
            chosen.append(by_id[word])
        else:
            known = f"1 to {len(urls)}, an image id, or all" if urls else "none: the current Brand DNA has no references"
            raise usage_error(parser, f"--brand-references: no reference {word!r} (choose {known}; "
                                      "--brand-references alone lists them)")
    return chosen

"""What a run is likely to cost before it is sent: an estimate from a price table the user can set.

The seeds publish no prices. The default table is the local sandbox's (docs/sandbox.md) and every figure made from
it is called an estimate; `AsyncSume(prices=...)` and `%config SumeMagics.prices` replace any part of it, kind by
kind. Once a job is accepted, what the service reserved is what counts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ._endpoints import endpoint_for

__all__ = ["DEFAULT_PRICES", "Estimate", "estimate_credits", "estimate_total"]

PriceTable = Mapping[str, Mapping[str, float]]

DEFAULT_PRICES: dict[str, dict[str, float]] = {
    "image": {"standard": 2, "high": 4},  # per image, by quality
    "video": {"480p": 2, "720p": 3, "audio": 4},  # per second by resolution, plus a flat fee for audio
    "ad": {"talking_heads": 40, "ugc_ads": 50, "video": 60},  # per ad, by format
    "face-swap": {"per_avatar": 15},
    "analysis": {"flat": 5},
}
_VIDEO_DEFAULTS = {"resolution": "720p", "duration": 8}  # what the sandbox assumes when a request leaves them out


@dataclass(frozen=True)
class Estimate:
    """About how many credits `jobs` jobs would reserve, and (when read) how many the workspace has left."""

    jobs: int
    credits: float
    remaining: float | None = None

    def __str__(self) -> str:
        left = f"; {self.remaining:,.0f} left" if self.remaining is not None else ""
        noun = "job" if self.jobs == 1 else "jobs"
        return f"{self.jobs} {noun} would reserve about {self.credits:,.0f} credits (estimated{left})"


def _table(kind: str, prices: PriceTable | None) -> Mapping[str, float]:
    return {**DEFAULT_PRICES.get(kind, {}), **((prices or {}).get(kind) or {})}


def estimate_credits(kind: str, body: Mapping[str, Any], prices: PriceTable | None = None) -> float:
    """Credits one create of `kind` with this request body would reserve, by the price table."""
    endpoint = endpoint_for(kind)
    name = endpoint.kind if endpoint else kind
    table = _table(name, prices)
    if name == "image":
        return table.get(body.get("quality") or "standard", table.get("standard", 0)) * int(body.get("image_count") or 1)
    if name == "video":
        seconds = math.ceil(float(body.get("duration") or _VIDEO_DEFAULTS["duration"]))
        per_second = table.get(body.get("resolution") or _VIDEO_DEFAULTS["resolution"], 0)
        return per_second * seconds + (table.get("audio", 0) if body.get("generate_audio") else 0)
    if name == "ad":
        return table.get(body.get("ad_format") or "talking_heads", 0)
    if name == "face-swap":
        return table.get("per_avatar", 0) * len(body.get("avatar_ids") or [])
    return table.get("flat", 0)


def estimate_total(requests: Iterable[tuple[str, Mapping[str, Any]]], prices: PriceTable | None = None) -> Estimate:
    """The estimate of many (kind, body) requests at once."""
    pairs = list(requests)
    return Estimate(len(pairs), sum(estimate_credits(kind, body, prices) for kind, body in pairs))

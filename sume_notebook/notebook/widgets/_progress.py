"""Progress a person can trust: the service's own fraction when it sends one, else an honest estimate.

The estimate grows with elapsed time against the job type's typical duration and flattens below 95 %, so a bar
never claims completion before the service does; a bar also never moves backwards.
"""

from __future__ import annotations

import math

__all__ = ["ESTIMATE_CEILING", "RUNNING_CAP", "TYPICAL_SECONDS", "estimate", "next_fraction", "typical_seconds"]

# Typical wall time of each job type on the service (seconds); a guess shapes the estimate, not any deadline.
TYPICAL_SECONDS = {
    "image_generation": 30.0,
    "video_generation": 180.0,
    "ad_video_generation": 240.0,
    "face_swap": 180.0,
    "reference_analysis": 60.0,
    "asset_upload": 60.0,
}
_DEFAULT_TYPICAL = 120.0
ESTIMATE_CEILING = 0.95
RUNNING_CAP = 0.99  # a running job's bar stops here even if the service reports 100 %


def typical_seconds(job_type: str | None) -> float:
    return TYPICAL_SECONDS.get(job_type or "", _DEFAULT_TYPICAL)


def estimate(elapsed: float, job_type: str | None) -> float:
    """A fraction in [0, 0.95): about 60 % at the typical duration, creeping towards 95 % after it.

    The browser draws the same curve by itself between messages (`_live.js`), from the same constants."""
    return ESTIMATE_CEILING * (1 - math.exp(-max(0.0, elapsed) / typical_seconds(job_type)))


def next_fraction(shown: float, reported: float | None, elapsed: float, job_type: str | None, completed: bool) -> float:
    """The bar's next value: 1 only on completion, otherwise the reported (or estimated) fraction, never lower."""
    if completed:
        return 1.0
    fraction = reported if reported is not None else estimate(elapsed, job_type)
    return max(shown, min(fraction, RUNNING_CAP))

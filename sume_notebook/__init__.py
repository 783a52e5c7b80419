"""sume-notebook: the Sume Public API as a first-class citizen of Jupyter.

`import sume_notebook` is cheap: the client (and httpx) load on first use of one of its names, and pandas only
when a DataFrame is asked for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

_CLIENT_NAMES = (
    "ASSET_SORTS", "DEFAULT_BASE_URL", "DEFAULT_PRICES", "Estimate", "estimate_credits", "estimate_total", "IMAGE_ASPECT_RATIOS",
    "KINDS", "TERMINAL_STATUSES", "VIDEO_RESOLUTIONS", "Account", "AmbiguousCreateError", "APIConnectionError",
    "APIError", "APITimeoutError", "Asset", "AssetUpload", "AsyncPaginator", "AsyncSume", "AuthenticationError",
    "Avatar", "BadRequestError", "Brand", "BrandImage", "Card", "card_of", "ConflictError", "Credits", "data_home",
    "default_journal", "DownloadError", "Endpoint", "endpoint_for", "FieldError", "history",
    "InsufficientCreditsError", "InvalidRequestError", "Job", "JobError", "JobFailedError", "JobResult",
    "JobTimeoutError", "Journal", "JournalEntry", "library", "Listing", "MediaTooLargeError", "NotFoundError", "Output",
    "Page", "PayloadTooLargeError", "pending", "pending_frame", "PermissionDeniedError", "PollSchedule",
    "prepare_request", "RateLimitError", "ReelSet", "ReferenceAnalysis", "Rendered", "Resolution", "Resource",
    "RetryPolicy", "Review", "sanitize", "ServerError", "SumeError", "SyncReport", "Upload", "write_report",
)
_LAZY = {
    **{name: "sume_notebook.client" for name in _CLIENT_NAMES},
    "Sume": "sume_notebook._facade",
    "Blocking": "sume_notebook._facade",
    "unwrap": "sume_notebook._facade",
    "export_report": "sume_notebook._facade",
    "RedactingFilter": "sume_notebook._redaction",
    "redact": "sume_notebook._redaction",
    "redact_url": "sume_notebook._redaction",
    "compare": "sume_notebook.widgets",
    "load_ipython_extension": "sume_notebook.notebook",
    "unload_ipython_extension": "sume_notebook.notebook",
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sume_notebook' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


if TYPE_CHECKING:
    from ._facade import Blocking, Sume, export_report, unwrap
    from ._redaction import RedactingFilter, redact, redact_url
    from .client import *  # noqa: F403
    from .notebook import load_ipython_extension, unload_ipython_extension

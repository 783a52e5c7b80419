"""sume-notebook: the Sume Public API as a first-class citizen of Jupyter.

`import sume_notebook` is cheap: the client (and httpx) load on first use of one of its names, and pandas only
when a DataFrame is asked for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_CLIENT_NAMES = (
    "DEFAULT_BASE_URL", "TERMINAL_STATUSES", "APIConnectionError", "APIError", "APITimeoutError", "Account",
    "AmbiguousCreateError", "Asset", "AssetUpload", "AsyncPaginator", "AsyncSume", "AuthenticationError", "Avatar",
    "BadRequestError", "Brand", "BrandImage", "ConflictError", "Credits", "DownloadError", "FieldError",
    "InsufficientCreditsError", "InvalidRequestError", "Job", "JobError", "JobFailedError", "JobResult",
    "JobTimeoutError", "NotFoundError", "Output", "Page", "PayloadTooLargeError", "PermissionDeniedError",
    "PollSchedule", "RateLimitError", "ReferenceAnalysis", "RetryPolicy", "ServerError", "SumeError", "Upload",
)
_LAZY = {
    **{name: "sume_notebook.client" for name in _CLIENT_NAMES},
    "Sume": "sume_notebook._facade",
    "Blocking": "sume_notebook._facade",
    "Journal": "sume_notebook._journal",
    "JournalEntry": "sume_notebook._journal",
    "history": "sume_notebook._journal",
    "pending": "sume_notebook._journal",
    "RedactingFilter": "sume_notebook._redaction",
    "redact": "sume_notebook._redaction",
    "redact_url": "sume_notebook._redaction",
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
    from ._facade import Blocking, Sume
    from ._journal import Journal, JournalEntry, history, pending
    from ._redaction import RedactingFilter, redact, redact_url
    from .notebook import load_ipython_extension, unload_ipython_extension
    from .client import *  # noqa: F403

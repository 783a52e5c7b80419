"""The asynchronous Sume Public API client: `AsyncSume`, its models, errors, journal, frames and cards.

Everything above the client (the blocking facade, the notebook layer) imports these names only, never a
`client._*` module: what an upper floor needs becomes a public name here.
"""

from .._redaction import sanitize
from ._client import DEFAULT_BASE_URL, AsyncSume
from ._creating import Resource
from ._endpoints import KINDS, Endpoint, endpoint_for, prepare_request
from ._errors import (
    AmbiguousCreateError,
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DownloadError,
    FieldError,
    InsufficientCreditsError,
    InvalidRequestError,
    JobFailedError,
    JobTimeoutError,
    MediaTooLargeError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    SumeError,
)
from ._history import history, pending, pending_frame
from ._job import TERMINAL_STATUSES, Job, JobResult
from ._journal import Journal, JournalEntry, data_home, default_journal
from ._library_sync import SyncReport
from ._models import (
    Account,
    Asset,
    AssetUpload,
    Avatar,
    Brand,
    BrandImage,
    Credits,
    JobError,
    Output,
    ReferenceAnalysis,
    Upload,
)
from ._pagination import AsyncPaginator, Listing, Page
from ._polling import PollSchedule
from ._prices import DEFAULT_PRICES, Estimate, estimate_credits, estimate_total
from ._reels import ReelSet
from ._report import write_report
from ._resolve import Resolution
from ._retry import RetryPolicy
from ._reviews import Review
from .assets import ASSET_SORTS
from .images import IMAGE_ASPECT_RATIOS
from .library import library
from .reprs import Card, Rendered, card_of
from .videos import VIDEO_RESOLUTIONS

__all__ = [
    "ASSET_SORTS",
    "ReelSet",
    "DEFAULT_BASE_URL",
    "DEFAULT_PRICES",
    "IMAGE_ASPECT_RATIOS",
    "KINDS",
    "TERMINAL_STATUSES",
    "VIDEO_RESOLUTIONS",
    "Account",
    "AmbiguousCreateError",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "Asset",
    "AssetUpload",
    "AsyncPaginator",
    "AsyncSume",
    "AuthenticationError",
    "Avatar",
    "BadRequestError",
    "Brand",
    "BrandImage",
    "Card",
    "card_of",
    "ConflictError",
    "Credits",
    "data_home",
    "default_journal",
    "DownloadError",
    "Estimate",
    "Endpoint",
    "endpoint_for",
    "estimate_credits",
    "estimate_total",
    "FieldError",
    "history",
    "InsufficientCreditsError",
    "InvalidRequestError",
    "Job",
    "JobError",
    "JobFailedError",
    "JobResult",
    "JobTimeoutError",
    "Journal",
    "JournalEntry",
    "library",
    "Listing",
    "MediaTooLargeError",
    "NotFoundError",
    "Output",
    "Page",
    "PayloadTooLargeError",
    "pending",
    "pending_frame",
    "prepare_request",
    "PermissionDeniedError",
    "PollSchedule",
    "RateLimitError",
    "ReferenceAnalysis",
    "Rendered",
    "Resolution",
    "Resource",
    "RetryPolicy",
    "Review",
    "sanitize",
    "ServerError",
    "SumeError",
    "SyncReport",
    "Upload",
    "write_report",
]

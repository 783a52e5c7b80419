"""`AsyncSume`: the one place where HTTP requests are made, retried, and turned into answers or errors."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import time
import uuid
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from .._redaction import install_log_filter, mask_id, redact, redact_url, register_secret
from .._version import __version__
from ._creating import Created, accepted
from ._downloads import Downloader
from ._endpoints import KINDS, Endpoint, endpoint_for
from ._errors import AmbiguousCreateError, APIError, SumeError, connection_error, error_from_response
from ._job import Job
from ._journal import Journal, default_journal
from ._models import Account, Credits
from ._polling import Poller, PollSchedule
from ._recorder import Recorder
from ._retry import INVALID_RESPONSE, Mode, RetryPolicy, may_be_accepted, never_sent
from .account import fetch_credits, fetch_me
from .ads import Ads
from .assets import Assets
from .avatars import Avatars
from .brand import BrandDNA
from .face_swap import FaceSwap
from .images import Images
from .jobs import Jobs
from .reference_analysis import ReferenceAnalyses
from .uploads import Uploads
from .videos import Videos

__all__ = ["DEFAULT_BASE_URL", "AsyncSume", "Response"]

DEFAULT_BASE_URL = "https://www.sume.so/api/v1"
logger = logging.getLogger("sume_notebook.client")


@dataclass(frozen=True)
class Response:
    """A successful answer: its JSON body and request id."""

    data: Any
    request_id: str | None
    status: int
    headers: httpx.Headers


def _resolve_journal(journal: Journal | str | os.PathLike[str] | bool | None) -> Journal | None:
    if journal is False:
        return None
    if journal is None or journal is True:
        return default_journal()
    if isinstance(journal, Journal):
        return journal
    return Journal(Path(journal))


class AsyncSume:
    """The Sume Public API, asynchronously.

    `api_key` defaults to `SUME_API_KEY`, `base_url` to `SUME_BASE_URL` or the production URL. `journal` is
    where jobs are recorded (default: the shared journal under `SUME_NOTEBOOK_HOME`; `False` turns it off).
    Pass `http_client` to use your own `httpx.AsyncClient` (for example one on an `httpx.ASGITransport`); it then
    serves the first event loop that uses it (the client's own transport is made per loop). `prices` replaces any
    part of the price table behind cost estimates (`submit_many(..., dry_run=True)`).
    """

    # One resource per row of the table of kinds (`_endpoints.KINDS`), made in `__init__`; named here for editors.
    images: Images
    videos: Videos
    ads: Ads
    face_swap: FaceSwap
    reference_analysis: ReferenceAnalyses

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float = 60.0,
        max_retries: int = 2,
        journal: Journal | str | os.PathLike[str] | bool | None = None,
        http_client: httpx.AsyncClient | None = None,
        poll_schedule: PollSchedule | None = None,
        retry_policy: RetryPolicy | None = None,
        prices: Mapping[str, Mapping[str, float]] | None = None,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get("SUME_API_KEY")
        if not key:
            raise SumeError("No Sume API key: pass api_key= or set SUME_API_KEY (keys look like sume_live_...).")
        register_secret(key)
        install_log_filter()
        self._api_key = key
        self.base_url = (base_url or os.environ.get("SUME_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.timeout = timeout
        self.prices = prices  # estimates only (the seeds publish no prices); see `_prices.DEFAULT_PRICES`
        self._retry = retry_policy or RetryPolicy(max_retries=max_retries)
        self._schedule = poll_schedule or PollSchedule()
        self._given_http = http_client
        self._given_http_loop: asyncio.AbstractEventLoop | None = None  # its connections belong to this loop
        self._own_http: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = (
            weakref.WeakKeyDictionary()
        )
        self._pollers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Poller] = weakref.WeakKeyDictionary()
        self._downloader = Downloader(self)
        self._background: set[asyncio.Task[None]] = set()  # batch watchers, kept alive until their job ends
        self.key_fingerprint = hashlib.sha256(key.encode()).hexdigest()[:12]
        self._recorder = Recorder(_resolve_journal(journal), self.base_url, self.key_fingerprint)
        self.jobs = Jobs(self)
        self.brand = BrandDNA(self)
        self.avatars = Avatars(self)
        self.uploads = Uploads(self)
        self.assets = Assets(self)
        for endpoint in KINDS.values():  # images, videos, ads, face_swap, reference_analysis
            setattr(self, endpoint.resource, endpoint.resource_class(self))

    @property
    def journal(self) -> Journal | None:
        """Where this client records its jobs (None with `journal=False`)."""
        return self._recorder.journal

    # --- account ---------------------------------------------------------------------------------------------

    async def me(self) -> Account:
        """The user, workspace and key metadata of this API key (masked in reprs)."""
        return await fetch_me(self)

    async def credits(self) -> Credits:
        """Plan, balances and active-generation capacity."""
        return await fetch_credits(self)

    async def read_media(self, url: str, *, max_bytes: int) -> bytes:
        """A media file (an output, a thumbnail) in memory, by the download rules: https or this machine only, no
        Sume credentials sent, redirects checked hop by hop; `MediaTooLargeError` past `max_bytes`."""
        return await self._downloader.read(url, max_bytes)

    async def submit_many(
        self,
        requests: Iterable[Mapping[str, Any]],
        max_concurrency: int | None = None,
        on_update: Callable[[Job], Any] | None = None,
        *,
        dry_run: bool = False,
    ) -> Any:
        """Create many jobs, keeping the workspace's active-generation capacity full without a storm of 429s.

        Each request is a dict of a create method's arguments plus `kind` (`image` by default, `video`, `ad`,
        `analysis`). All are validated before the first is sent. Returns the jobs in input order once every one
        was accepted; the last ones may still be running (`await job.wait()`). With `dry_run=True` nothing is
        sent: the result is an `Estimate` of the credits the batch would reserve and those left.
        """
        from ._batch import estimate_many, submit_many

        if dry_run:
            return await estimate_many(self, list(requests))
        return await submit_many(self, list(requests), max_concurrency, on_update)

    # --- lifecycle -------------------------------------------------------------------------------------------

    async def close(self) -> None:
        """Stop polling and release connections; jobs keep running on the service (see `jobs.attach`)."""
        for task in list(self._background):
            task.cancel()
        for poller in list(self._pollers.values()):
            await poller.stop()
        own = self._own_http.pop(asyncio.get_running_loop(), None)
        if own is not None:
            await own.aclose()
        self._own_http.clear()  # those of other loops belong to loops that ended or are not running here

    async def __aenter__(self) -> AsyncSume:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={redact_url(self.base_url)!r}, api_key={mask_id(self._api_key)!r})"

    # --- internals shared by the resources -------------------------------------------------------------------

    def _poller(self) -> Poller:
        loop = asyncio.get_running_loop()
        poller = self._pollers.get(loop)
        if poller is None:
            poller = self._pollers[loop] = Poller(self._schedule, self.jobs._read_one, self.jobs._read_page, self._track)
        return poller

    @property
    def _http(self) -> httpx.AsyncClient:
        """The HTTP client of the running event loop: one per loop, so one `AsyncSume` serves several loops in turn
        (two `asyncio.run` calls) or threads. A client passed in as `http_client` belongs to the first loop that
        uses it; another loop is refused here, before any request is sent."""
        loop = asyncio.get_running_loop()
        if self._given_http is not None:
            if self._given_http_loop is None:
                self._given_http_loop = loop
            elif self._given_http_loop is not loop:
                raise SumeError("This AsyncSume was given an http_client, which belongs to the event loop it was "
                                "first used on.\nMake one client per event loop, or use Sume (every call on one loop).")
            return self._given_http
        own = self._own_http.get(loop)
        if own is None:
            own = self._own_http[loop] = httpx.AsyncClient(
                timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)), follow_redirects=False
            )
        return own

    def _url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"

    def _headers(self, idempotency_key: str | None) -> dict[str, str]:
        headers = {
            "Authorization": f"Bearer {self._api_key}",
            "Accept": "application/json",
            "User-Agent": f"sume-notebook/{__version__}",
        }
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        return headers

    async def _get(self, path: str, params: Mapping[str, Any] | None = None) -> Response:
        return await self._request("GET", path, params=params)

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        mode: Mode = Mode.READ,
        idempotency_key: str | None = None,
    ) -> Response:
        """Send one logical request, repeating it only as `mode` allows (see `_retry`)."""
        attempt = 0
        started = time.monotonic()
        while True:
            began = time.monotonic()
            error: SumeError
            try:
                response = await self._http.request(
                    method, self._url(path), params=params, json=json, headers=self._headers(idempotency_key)
                )
            except httpx.TransportError as exc:
                error = connection_error(exc, method, path)
                sent = not never_sent(exc)
            else:
                request_id = response.headers.get("x-request-id")
                request_id = redact(request_id) if request_id else None  # a header may echo what was sent
                logger.debug("%s %s -> %s in %.0f ms (%s)", method, path, response.status_code,
                             1000 * (time.monotonic() - began), request_id)
                if response.is_success:
                    try:
                        data = response.json() if response.content else None
                        return Response(data, request_id, response.status_code, response.headers)
                    except ValueError:
                        error = APIError("the answer was not valid JSON", status=response.status_code,
                                         code=INVALID_RESPONSE, request_id=request_id, method=method, path=path)
                else:
                    error = error_from_response(response, method, path)
                sent = True
            if mode is Mode.CREATE and sent and may_be_accepted(error):
                raise AmbiguousCreateError(idempotency_key or "", error)
            wait = self._retry.next_wait(error, mode, attempt, time.monotonic() - started)
            if wait is None:
                raise error
            await self._pause(method, path, error, wait)
            attempt += 1

    async def _pause(self, method: str, path: str, error: Exception, seconds: float) -> None:
        logger.info("%s %s: %s; retrying in %.2f s", method, path, str(error).split("\n", 1)[0], seconds)
        await asyncio.sleep(seconds)

    async def _create(self, kind: str, body: dict[str, Any]) -> Created:
        """Send a paid create of `kind` once (one idempotency key), journalled before it leaves.

        An identical create of this service and key whose answer never arrived (a crash, a lost connection) lends
        its idempotency key: the service then replays that job instead of starting and charging a second one.
        """
        endpoint = endpoint_for(kind)
        if endpoint is None:
            raise ValueError(f"no create endpoint is named {kind!r}")  # a bug of ours: kinds come from the table
        key = self._recorder.unresolved_key(endpoint, body) or f"sume-nb-{uuid.uuid4().hex}"
        return await self._send_create(endpoint, key, body)

    async def _send_create(self, endpoint: Endpoint, key: str, body: Mapping[str, Any]) -> Created:
        """POST a create under `key`, recording what became of it (a key sent before becomes this process's send)."""
        self._recorder.request_sent(key, endpoint, body)
        try:
            response = await self._request("POST", endpoint.path, json=body, mode=Mode.CREATE, idempotency_key=key)
            created = accepted(self, response, endpoint, key)
        except (AmbiguousCreateError, asyncio.CancelledError) as exc:  # cancelled (Ctrl-C) mid-send: maybe accepted
            self._recorder.create_ambiguous(key, exc)
            raise
        except SumeError as exc:
            self._recorder.create_refused(key, exc)
            raise
        self._recorder.jobs_accepted(key, created.jobs, response.request_id, created.required_credits)
        text = body.get(endpoint.text_field) if endpoint.text_field else None
        for job in created.jobs:
            job.request = dict(body)
            job.prompt = text if isinstance(text, str) else None
        return created

    def _track(self, job: Job, data: Mapping[str, Any], request_id: str | None) -> bool:
        """Apply a fresh view of a job and journal a status change; True when anything visible changed."""
        before = job.status
        changed = job._apply(data, request_id)
        if job.status != before:
            self._recorder.status_seen(job, request_id)
        return changed

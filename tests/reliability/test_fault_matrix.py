"""The fault matrix: every seed status and every transport fault, on every kind of call, against the real client.

For each (fault, call): the client raises the error class of that status carrying the request id the server gave,
or recovers by retrying a read (counted at the sandbox), a paid create is never sent twice once it may have been
accepted, and the journal still holds every accepted job. `test_widgets_show_the_fault` then runs the same faults
under the widgets: a `JobView` (status, result, preview) and `PromptStudio` (create) show an error box or finish.

Unit-level cases (one fault each) live in tests/client/test_retry.py and test_errors.py; this is the cross product.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from sume_notebook import (
    AmbiguousCreateError,
    APIConnectionError,
    APIError,
    APITimeoutError,
    AsyncSume,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DownloadError,
    InsufficientCreditsError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    Sume,
    history,
)
from sume_notebook.sandbox import SandboxHandle
from tests.support import QUICK_POLLS, settled_requests

from .conftest import sandbox_job_ids

SEED_STATUSES = (400, 401, 402, 403, 404, 409, 413, 429, 500, 502, 503)
TRANSPORT = ("drop", "timeout", "malformed_json", "truncate")
FAULTS = [str(s) for s in SEED_STATUSES] + list(TRANSPORT)
ERROR_CLASSES: dict[int, type[APIError]] = {
    400: BadRequestError, 401: AuthenticationError, 402: InsufficientCreditsError, 403: PermissionDeniedError,
    404: NotFoundError, 409: ConflictError, 413: PayloadTooLargeError, 429: RateLimitError,
    500: ServerError, 502: ServerError, 503: ServerError,
}
CLIENT_TIMEOUT = 0.4
LATENCY = 0.8  # longer than the client's timeout: the answer comes too late


@dataclass(frozen=True)
class Call:
    name: str
    template: str  # the sandbox's route template, for counting
    media: bool = False  # storage PUT or media GET: not the JSON API


CALLS = {c.name: c for c in (
    Call("create", "POST /api/v1/images/generations"),
    Call("status", "GET /api/v1/jobs/{job_id}"),
    Call("result", "GET /api/v1/jobs/{job_id}/result"),
    Call("list", "GET /api/v1/jobs"),
    Call("upload", "PUT /_storage/{object_key}", media=True),
    Call("download", "GET /media/{path}", media=True),
)}


def fault_options(fault: str) -> dict[str, Any]:
    if fault.isdigit():
        status = int(fault)
        return {"kind": "status", "status": status, **({"retry_after": 0.05} if status == 429 else {})}
    if fault == "timeout":
        return {"kind": "latency", "latency": LATENCY}
    return {"kind": fault}


def journalled_job_ids() -> set[str]:
    frame = history()
    return set(frame["job_id"].dropna()) if "job_id" in frame else set()


def harmless(fault: str, call: str) -> bool:
    """Storage answers a PUT with an empty 200: there is no body to cut, so the upload simply succeeds."""
    return fault == "truncate" and call == "upload"


def transient(fault: str) -> bool:
    """What a read retries: 429, 5xx and every transport fault."""
    return not fault.isdigit() or int(fault) in (429, 500, 502, 503)


def applicable(fault: str, call: Call) -> bool:
    """Storage and media answers are not JSON: their broken-body fault is `truncate`, not `malformed_json`."""
    return not (fault == "malformed_json" and call.media)


MATRIX = [pytest.param(f, c, id=f"{c}-{f}") for c in CALLS for f in FAULTS if applicable(f, CALLS[c])]


@pytest.fixture
def short_media_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Storage PUTs and media GETs have their own generous timeout: shrink it so a latency fault times out."""
    timeout = httpx.Timeout(CLIENT_TIMEOUT)
    for module in ("sume_notebook.client._uploads", "sume_notebook.client._downloads"):
        monkeypatch.setattr(f"{module}.MEDIA_TIMEOUT", timeout)


def assert_carries_request_id(error: BaseException) -> None:
    request_id = getattr(error, "request_id", None)
    assert request_id and request_id.startswith("req_"), repr(error)
    assert request_id in str(error).split("\n", 1)[0]


async def completed_job(client: AsyncSume):
    job = await client.images.generate("fault matrix")
    await job.wait(timeout=30)
    return job


@pytest.mark.parametrize(("fault", "call"), MATRIX)
async def test_fault_matrix(fault: str, call: str, sb: SandboxHandle, tmp_path: Path, sample_video: Path,
                            short_media_timeout: None) -> None:
    spec = CALLS[call]
    async with AsyncSume(api_key=sb.api_key, base_url=sb.url, timeout=CLIENT_TIMEOUT, max_retries=2,
                         poll_schedule=QUICK_POLLS) as client:
        accepted: list[str] = []
        job = None
        if call != "create" and call != "upload":
            job = await completed_job(client)
            accepted.append(job.id)
        result = await client.jobs.result(job) if call == "download" else None
        before_jobs = sandbox_job_ids(sb)
        route = {
            "create": "POST /api/v1/images/generations",
            "status": f"GET /api/v1/jobs/{job.id if job else ''}",
            "result": f"GET /api/v1/jobs/{job.id if job else ''}/result",
            "list": "GET /api/v1/jobs",
            "upload": "PUT /_storage/*",
            "download": "GET /media/*",
        }[call]
        sb.reset()  # counters from the setup above
        sb.add_fault(route, count=1, **fault_options(fault))

        outcome: Any = None
        error: BaseException | None = None
        try:
            if call == "create":
                outcome = await client.images.generate("fault matrix create")
                accepted.append(outcome.id)
            elif call == "status":
                outcome = await client.jobs.get(job.id)
            elif call == "result":
                outcome = await client.jobs.result(job)
            elif call == "list":
                outcome = await client.jobs.list(limit=5, max_items=5).to_list()
            elif call == "upload":
                outcome = await client.uploads.upload_file(sample_video, "asset_library_video")
            else:
                outcome = await result.download(tmp_path / "out")
        except Exception as caught:  # noqa: BLE001  (checked below, whatever it is)
            error = caught
        retried = transient(fault) and call != "create" and not harmless(fault, call)
        sent = settled_requests(sb, spec.template, 2 if retried else 1)

    if call == "create":
        check_create(fault, error, outcome, sent, sb, before_jobs)
    else:
        check_read(fault, spec, error, outcome, sent, tmp_path)
    journalled = journalled_job_ids()
    assert set(accepted) <= journalled, (accepted, journalled)
    if call != "create":
        assert sandbox_job_ids(sb) == before_jobs  # a read never creates anything


def check_read(fault: str, spec: Call, error: BaseException | None, outcome: Any, sent: int, tmp_path: Path) -> None:
    if harmless(fault, spec.name):
        assert error is None and sent == 1, (error, sent)
        return
    if transient(fault):
        assert error is None, f"{spec.name} did not recover from {fault}: {error!r}"
        assert sent == 2, f"{spec.name} under {fault}: {sent} requests, expected the faulted one and one retry"
        if spec.name == "download":
            [path] = outcome
            assert path.stat().st_size > 0 and not list(path.parent.glob(".*.part"))
        return
    status = int(fault)
    assert sent == 1, f"{spec.name} under {fault}: an error that cannot pass was repeated ({sent} requests)"
    if spec.name == "download":
        assert isinstance(error, DownloadError), repr(error)
        assert f"HTTP {status}" in str(error)
        assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
        return
    assert type(error) is ERROR_CLASSES[status], repr(error)
    assert error.status == status  # type: ignore[union-attr]
    assert_carries_request_id(error)


def check_create(fault: str, error: BaseException | None, outcome: Any, sent: int, sb: SandboxHandle,
                 before: set[str]) -> None:
    rows = history().to_dict("records")
    new_jobs = sandbox_job_ids(sb) - before
    if fault == "429":  # provably not accepted: repeated with the same idempotency key, then accepted
        assert error is None, repr(error)
        assert settled_requests(sb, CALLS["create"].template, 2) == 2
        assert new_jobs == {outcome.id}
        [row] = rows
        assert row["job_id"] == outcome.id and row["request_state"] == "accepted"
        return
    assert sent == 1, f"a create was sent {sent} times under {fault}"
    [row] = rows  # one logical create, journalled before it left
    if fault.isdigit() and int(fault) < 500:  # refused: nothing was accepted, nothing to check for later
        status = int(fault)
        assert type(error) is ERROR_CLASSES[status], repr(error)
        assert_carries_request_id(error)
        assert row["request_state"] == "rejected" and row["request_id"] == error.request_id  # type: ignore[union-attr]
        assert not new_jobs
        return
    # The service may have accepted it: reported as ambiguous, never resent, and the journal keeps the key.
    assert isinstance(error, AmbiguousCreateError), repr(error)
    assert row["request_state"] == "ambiguous" and row["idempotency_key"] == error.idempotency_key
    assert error.idempotency_key in str(error)
    if fault.isdigit():
        assert isinstance(error.cause, ServerError)
        assert_carries_request_id(error)
    elif fault == "timeout":
        assert isinstance(error.cause, APITimeoutError)
    elif fault in ("drop", "truncate"):
        assert isinstance(error.cause, APIConnectionError)
    # Only a cut answer (truncate) comes from a create the sandbox ran; a canned fault never runs it, and behind a
    # latency fault the sandbox finds the client gone before it reads the body. Either way the journal has the key.
    assert len(new_jobs) == (1 if fault == "truncate" else 0)


# --- the same faults under the widgets ----------------------------------------------------------------------------

WIDGET_CALLS = ("create", "status", "result", "preview")
WAIT = 30


def _error_box(html: str) -> bool:
    return "sume-card sume-error" in html  # the one error box style of the magics and the widgets


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("call", WIDGET_CALLS)
def test_widgets_show_the_fault(call: str, fault: str, sb: SandboxHandle, tmp_path: Path,
                                short_media_timeout: None) -> None:
    from sume_notebook.widgets import JobView, PromptStudio

    with Sume(api_key=sb.api_key, base_url=sb.url, timeout=CLIENT_TIMEOUT, poll_schedule=QUICK_POLLS) as sume:
        if call == "create":
            studio = PromptStudio(sume)
            studio.loaded.result(timeout=WAIT)
            studio._prompt.value = "a widget under fire"
            sb.add_fault("POST /api/v1/images/generations", count=1, **fault_options(fault))
            future = studio.generate()
            try:
                view = future.result(timeout=WAIT)
            except Exception as error:  # noqa: BLE001  (shown in the studio status line, then re-raised)
                status_html = studio._status.value
                assert fault != "429", repr(error)
                assert _error_box(status_html), status_html
                if getattr(error, "request_id", None):
                    assert error.request_id in status_html  # type: ignore[union-attr]
                if isinstance(error, AmbiguousCreateError):
                    assert error.idempotency_key in status_html  # what to look for before trying again
                assert len(history()) == 1
                return
            assert fault == "429", "a create that may not have been accepted must not pass silently"
            view.done.result(timeout=WAIT)
            assert view.phase == "completed"
            assert journalled_job_ids() == {view.job.id}
            return

        job = sume.images.generate("a job under fire")
        route = {"status": f"GET /api/v1/jobs/{job.id}", "result": f"GET /api/v1/jobs/{job.id}/result",
                 "preview": "GET /media/*"}[call]
        sb.add_fault(route, count=1, **fault_options(fault))
        view = JobView(job, download_dir=tmp_path)
        view.done.result(timeout=WAIT)
        problem = view._problem_html.value if view._problem_html is not None else ""  # made when first shown
        if transient(fault) or call == "preview":
            # A read recovers; a preview that could not load says so and leaves Download to fetch the file.
            assert view.phase == "completed" and not problem, (view.phase, problem)
            if call == "preview":
                assert view._previews or "No preview of output 0" in view._note, view._note
            else:
                assert view._previews, view._note
        else:
            assert _error_box(problem), (view.phase, problem)
            assert f"{fault} " in problem and "req_" in problem
            assert view.phase == ("completed" if call == "result" else "error")
            assert view._problem_html in view.children
        assert journalled_job_ids() == {job.id}
        # Whatever happened, the job itself is not lost: a fresh look finds it completed.
        assert sume.jobs.wait(job.id, timeout=WAIT).status == "completed"
        if call == "status" and not transient(fault):
            view.watch().result(timeout=WAIT)  # the view can resume once the fault is gone
            assert view.phase == "completed" and view._problem_html is not None and not view._problem_html.value
            assert view._problem_html not in view.children

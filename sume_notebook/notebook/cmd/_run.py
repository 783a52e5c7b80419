"""Running create requests for `%sume_generate` and `%%sume_prompt`, from validation to results.

Order matters: every request is validated before anything happens, so a bad line or a `--dry-run` sends nothing
(it does not even need a key). Then brand references are read, identical requests still running are re-attached,
the rest are sent (a matrix paced to the workspace's capacity by `submit_many`), shown live, and with `--wait` or
`--download` waited for, downloaded and shown as results. Everything shown goes through the context's presenter,
so `%sume images generate` in a notebook and `sume images generate` in a terminal run this same code.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...client import KINDS, Estimate, SumeError, estimate_total
from .._parsing import LIST_BRAND_REFERENCES, MagicParser, usage_error
from .._presenter import raw_of
from ..display import wait_for_jobs
from ._brand import reference_frame, references, selected_urls
from ._reattach import find_running, remember
from ._requests import Request, create_method, shown_body, validated

if TYPE_CHECKING:
    import pandas as pd

    from ..._facade import Blocking, Sume
    from .._context import Context

__all__ = ["collect_results", "run_requests"]


def _dry_run(context: Context, args: argparse.Namespace, requests: list[Request], bodies: list[dict[str, Any]]) -> None:
    """Show (and with `-o` assign) the validated request bodies and what they would cost; a matrix lists its
    prompts by label."""
    endpoint = KINDS[requests[0].kind]
    shown = [shown_body(r, b) for r, b in zip(requests, bodies, strict=True)]
    cost = estimate(requests, bodies, context.settings.prices)
    if requests[0].label is None:
        print(f"Dry run, nothing was sent. POST {endpoint.path} with:")
        context.presenter.data(shown[0])
        print(f"{cost}.")
        context.assign(args.output, shown[0])
        return
    field = endpoint.text_field or "prompt"
    print(f"Dry run, nothing was sent. {len(requests)} requests to POST {endpoint.path}:")
    for i, (request, body) in enumerate(zip(requests, shown, strict=True), 1):
        print(f"{i:>3}. [{request.label}] {body[field]}")
    common = {k: v for k, v in shown[0].items() if k != field}
    if common:
        print("Each request also has:")
        context.presenter.data(common)
    print(f"{cost}.")
    context.assign(args.output, shown)


def estimate(requests: list[Request], bodies: list[dict[str, Any]], prices: Any, remaining: float | None = None
             ) -> Estimate:
    """About what the requests would reserve, by the price table (`%config SumeMagics.prices`)."""
    cost = estimate_total(((r.kind, b) for r, b in zip(requests, bodies, strict=True)), prices)
    return Estimate(cost.jobs, cost.credits, remaining)


def _send_one(client: Sume, request: Request) -> list[Blocking]:
    kwargs = dict(request.kwargs)
    if request.source_file is not None:
        size = request.source_file.stat().st_size
        print(f"Uploading {request.source_file.name} ({size / 1e6:.1f} MB) as the face swap source…")
        upload = client.uploads.upload_file(request.source_file, "face_swap_source_video")
        kwargs["source_video_url"] = upload.media_url
    created = create_method(client, request.kind)(**kwargs)
    return created if isinstance(created, list) else [created]


def _send(client: Sume, requests: list[Request]) -> list[list[Blocking]]:
    """One request directly; several through `submit_many`, which paces them to the workspace's capacity."""
    if len(requests) == 1:
        return [_send_one(client, requests[0])]
    jobs = client.submit_many([{"kind": r.kind, **r.kwargs} for r in requests])
    return [[job] for job in jobs]


def _start(
    context: Context, client: Sume, requests: list[Request], bodies: list[dict[str, Any]], new: bool
) -> list[list[Blocking]]:
    """The jobs of every request: re-attached when an identical one still runs (unless `new`), else created."""
    found = [None if new else find_running(context.session, client, r, b) for r, b in zip(requests, bodies, strict=True)]
    again = [jobs for jobs in found if jobs]
    if again:
        ids = ", ".join(job.id for jobs in again for job in jobs)
        what = "job" if len(again) == 1 and len(again[0]) == 1 else "jobs"
        print(f"Re-attached to {what} {ids}: an identical request is still running (no new job, no new charge). "
              "Add --new to start another.")
    missing = [i for i, jobs in enumerate(found) if not jobs]
    if missing:
        try:
            for i, jobs in zip(missing, _send(client, [requests[i] for i in missing]), strict=True):
                found[i] = jobs
                remember(context.session, client, requests[i], jobs)
        except Exception as exc:
            accepted = getattr(exc, "submitted_jobs", [])
            if accepted:
                print(f"{len(accepted)} of {len(missing)} jobs were accepted before the error: "
                      + ", ".join(job.id for job in accepted))
            raise
    return [jobs or [] for jobs in found]


def collect_results(
    context: Context, client: Sume, args: argparse.Namespace, jobs: list[Blocking], labels: list[str] | None,
    widgets: bool,
) -> list[Any]:
    """Wait for every job; each completed job's result (downloaded if asked), None for one that did not complete.

    Uses `args.timeout`, `args.download` and `args.json`; a failed or timed-out job shows its error box. With
    `--json` the results are one document (a list for several jobs), so a script reads exactly one.
    """
    progress = context.presenter.progress(jobs, labels)
    failures = wait_for_jobs(client, jobs, args.timeout or context.settings.timeout, progress, context.presenter.prog)
    directory = context.download_directory(args.download)
    results: list[Any] = []
    for job, failure in zip(jobs, failures, strict=True):
        if failure is not None:
            if not isinstance(failure, SumeError):
                raise failure
            context.presenter.problem(failure)
            results.append(None)
            continue
        result = job.result()
        results.append(result)
        if directory is not None:
            context.presenter.saved(job.id, result.download(directory))
        if not args.json and (not widgets or result.analysis is not None):
            context.presenter.value(result, as_json=False)
    documents = [raw_of(result) for result in results if result is not None]
    if args.json and documents:
        context.presenter.data(documents[0] if len(jobs) == 1 else documents)
    return results


def _check_download_target(parser: MagicParser, directory: str | None) -> None:
    """A `--download` directory that cannot be made or written is refused now, before any job is paid for."""
    if directory is None:
        return
    path = Path(directory).expanduser().absolute()
    existing = next(p for p in (path, *path.parents) if p.exists())
    if not existing.is_dir():
        raise usage_error(parser, f"--download {directory}: {existing} is a file, not a directory")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise usage_error(parser, f"--download {directory}: {existing} is not writable")


def _list_brand_references(context: Context, client: Sume, as_json: bool) -> pd.DataFrame | None:
    """`--brand-references` without a value: the numbered references to choose from; nothing is sent."""
    frame = reference_frame(references(client))
    print(f"The current Brand DNA has {len(frame)} reference image{'s' if len(frame) != 1 else ''}; nothing was "
          "sent. Choose with --brand-references 1,3 (indexes or ids) or --brand-references all.")
    if as_json:
        context.presenter.data(frame.to_dict(orient="records"))
        return None
    return context.presenter.frame(frame)


def _add_brand_references(parser: MagicParser, client: Sume, requests: list[Request], bodies: list[dict[str, Any]]) -> None:
    """Add the Brand DNA references each request selected, and validate it again with them."""
    images = references(client)
    for i, request in enumerate(requests):
        if request.brand_references:
            urls = selected_urls(parser, images, request.brand_references)
            print(f"Using {len(urls)} reference image{'s' if len(urls) != 1 else ''} of the current Brand DNA.")
            request.kwargs["reference_image_urls"] = [*(request.kwargs.get("reference_image_urls") or []), *urls]
            bodies[i] = validated(parser, request)


def run_requests(
    context: Context, parser: MagicParser, args: argparse.Namespace, requests: list[Request],
    labels: list[str] | None = None,
) -> pd.DataFrame | None:
    """Validate, dry-run or send, show, and optionally wait for the requests of one magic. Returns the list of
    Brand DNA references when `--brand-references` asked for it without a value (the cell's value), else None.
    `labels` name the jobs (a matrix's `MatrixLabels` also lay out its grid); default: the requests' labels."""
    bodies = [validated(parser, r) for r in requests]
    _check_download_target(parser, context.download_directory(args.download))
    if args.dry_run:
        _dry_run(context, args, requests, bodies)
        return None
    client = context.session.client()
    if any(r.brand_references == LIST_BRAND_REFERENCES for r in requests):
        return _list_brand_references(context, client, args.json)
    if any(r.brand_references for r in requests):
        _add_brand_references(parser, client, requests, bodies)
    started = _start(context, client, requests, bodies, args.new)
    jobs = [job for group in started for job in group]
    if labels is None and requests[0].label is not None:
        labels = [r.label or "" for r in requests]
    widgets = context.widgets
    waiting = args.wait or args.download is not None
    if args.json:
        if not waiting:  # waiting, the one JSON document is the results (they hold the jobs)
            context.presenter.data([job.raw for job in jobs] if len(jobs) > 1 else jobs[0].raw)
    elif widgets or not waiting:  # text progress while waiting names the jobs itself
        context.presenter.jobs(jobs, labels, client=client, settings=context.settings,
                               timeout=args.timeout or context.settings.timeout)
    single = len(requests) == 1 and labels is None and not KINDS[requests[0].kind].starts_many
    if waiting:
        results = collect_results(context, client, args, jobs, labels, widgets)
        context.assign(args.output, results[0] if single else results)
    else:
        context.assign(args.output, jobs[0] if single else jobs)
    return None

"""`%sume assets search [QUERY]|list|get ID|upload PATH|finalize|sync DIR`: the Asset Library, with the CLI's filter
names, and its local Parquet mirror."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .._parsing import add_list_options, add_output_options, add_wait_options
from ..display import wait_for_jobs
from ._output import present_listing, present_object

if TYPE_CHECKING:
    import pandas as pd

    from .._context import Context

__all__ = ["add_parser"]

DEFAULT_LIMIT = 20
_FILTERS = ("search_mode", "source_type", "segment_type", "brand", "product", "tag", "keyword", "cta_present",
            "min_duration", "max_duration", "created_after", "created_before", "sort")


def _yes_no(value: str) -> bool:
    if value.lower() in ("true", "yes", "1"):
        return True
    if value.lower() in ("false", "no", "0"):
        return False
    raise argparse.ArgumentTypeError(f"must be true or false (got {value!r})")


def _add_filters(search: argparse.ArgumentParser) -> None:
    """The filters of seed 003's table, and its paging (`--limit`, `--cursor`) plus `--all`."""
    search.add_argument("--search-mode", choices=("auto", "text"))
    search.add_argument("--source-type", help="generated or upload")
    search.add_argument("--segment-type", help="e.g. hook, demo, cta")
    for name in ("brand", "product", "tag", "keyword"):
        search.add_argument(f"--{name}")
    search.add_argument("--cta-present", type=_yes_no, metavar="true|false")
    search.add_argument("--min-duration", type=float, metavar="SECONDS")
    search.add_argument("--max-duration", type=float, metavar="SECONDS")
    search.add_argument("--created-after", metavar="DATE", help="ISO 8601")
    search.add_argument("--created-before", metavar="DATE", help="ISO 8601")
    search.add_argument("--sort", choices=("relevance", "created_at_desc", "created_at_asc", "duration_desc"))
    add_list_options(search, DEFAULT_LIMIT)
    search.add_argument("--all", action="store_true", help="follow every page, not only the first")


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("assets",
                                 help="Asset Library: search [QUERY] | list | get ID | upload PATH | finalize | sync DIR",
                                 description="Search indexed scenes, read one, or upload a video into the library.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    search = actions.add_parser("search", help="scenes matching a query and filters, as a DataFrame")
    search.add_argument("query", metavar="QUERY", nargs="?", help="what to look for (omit to list by the filters)")
    _add_filters(search)
    search.set_defaults(run=_search)

    listing = actions.add_parser("list", help="scenes by the filters alone, newest first, as a DataFrame")
    _add_filters(listing)
    listing.set_defaults(run=_search, query=None)

    get = actions.add_parser("get", help="one scene")
    get.add_argument("id", metavar="ID")
    get.add_argument("--query", help="the search it came from")
    get.add_argument("--search-mode", choices=("auto", "text"))
    get.add_argument("--search-score", type=float, help="its score in that search (only when known)")
    add_output_options(get)
    get.set_defaults(run=_get)

    upload = actions.add_parser("upload", help="upload a video into the library")
    upload.add_argument("path", metavar="PATH")
    upload.add_argument("--title")
    add_wait_options(upload, download=False)
    add_output_options(upload)
    upload.set_defaults(run=_upload)

    finalize = actions.add_parser("finalize", help="start processing bytes already uploaded to a presigned target")
    finalize.add_argument("--object-key", required=True, metavar="KEY", help="the object key `uploads presign` returned")
    finalize.add_argument("--title")
    add_wait_options(finalize, download=False)
    add_output_options(finalize)
    finalize.set_defaults(run=_finalize)

    sync = actions.add_parser("sync", help="mirror the library into a local Parquet dataset, only what is new",
                              description="Write the Asset Library into DIR as a Parquet dataset (hive-partitioned "
                                          "by source type and month, URLs without tokens); a later sync reads only "
                                          "the scenes created since. Query it with sume_notebook.library(DIR).")
    sync.add_argument("directory", metavar="DIR")
    sync.add_argument("--full", action="store_true", help="read every scene again, not only the new ones")
    sync.set_defaults(run=_sync)


def _search(context: Context, args: argparse.Namespace) -> pd.DataFrame | None:
    filters = {name: getattr(args, name) for name in _FILTERS}
    scenes = context.session.client().assets.search(args.query, **filters, limit=args.limit, cursor=args.cursor)
    return present_listing(context, args, scenes.listing(pages=None if args.all else 1), pictures="thumbnail_url")


def _get(context: Context, args: argparse.Namespace) -> None:
    asset = context.session.client().assets.get(args.id, args.query, args.search_mode, args.search_score)
    present_object(context, args, asset)


def _upload(context: Context, args: argparse.Namespace) -> None:
    client = context.session.client()
    print(f"Uploading {args.path} into the Asset Library…")
    _processing(context, args, client, client.assets.upload(args.path, args.title, wait=False))


def _finalize(context: Context, args: argparse.Namespace) -> None:
    client = context.session.client()
    _processing(context, args, client, client.assets.finalize(args.object_key, args.title))


def _sync(context: Context, args: argparse.Namespace) -> None:
    print(f"Syncing the Asset Library into {args.directory}…")
    report = context.session.client().assets.sync(args.directory, full=args.full)
    print(f"Done: {report}. Query it with sume_notebook.library({str(report.directory)!r}).")


def _processing(context: Context, args: argparse.Namespace, client: Any, upload: Any) -> None:
    """Show a finalized upload and its processing job; with `--wait`, wait until its scenes are searchable."""
    job = upload.job
    if not args.json:
        context.presenter.value(upload, as_json=False)
        context.presenter.jobs([job], None, client=client, settings=context.settings,
                               timeout=args.timeout)
    if args.wait:
        failure = wait_for_jobs(client, [job], args.timeout or context.settings.timeout,
                                context.presenter.progress([job], None), context.presenter.prog)[0]
        if failure is not None:
            raise failure
        print(f"Its scenes are searchable now: `{context.presenter.prog} assets search`.")
    if args.json:
        context.presenter.value(upload, as_json=True)
    context.assign(args.output, upload)

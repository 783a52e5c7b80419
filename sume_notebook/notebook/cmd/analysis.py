"""`%sume analysis URL [URL ...]` and `%sume analysis export DIR`: many reels analysed at once, side by side.

`analysis URL URL ...` analyses the reels (reading back those the journal already holds, unless `--new`) and
shows their timeline, or assigns the `ReelSet` with `-o VAR`. `analysis export DIR` writes a set's files for
editors: the set named by `--from VAR`, or the reels of the URLs that follow DIR (read back from the journal, so
exporting what was just analysed costs nothing).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .._parsing import add_output_options, positive_number, usage_error

if TYPE_CHECKING:
    from .._context import Context

__all__ = ["add_parser"]

_EXPORT = "export"
_FORMATS = ("csv", "parquet", "vtt", "otio", "edl")


def _whole(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number (got {value!r})") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more (got {value!r})")
    return number


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "analysis", help="many reels at once: analysis URL [URL ...] | analysis export DIR [URL ...]",
        description="Reference Analysis of many TikToks and Instagram Reels at once, as one ReelSet: its timeline, "
                    "or with -o VAR the set to compare (VAR.frames()), draw (VAR.timeline()), export and match. "
                    "`analysis export DIR` writes CSV, Parquet, WebVTT, OpenTimelineIO and EDL files of a set.",
        usage="%(prog)s URL [URL ...] [options]\n       %(prog)s export DIR [URL ...] [--from VAR] [--format F]")
    parser.add_argument("targets", nargs="+", metavar="URL", help="the reels' URLs; or `export`, a directory, and URLs")
    parser.add_argument("--new", action="store_true", help="analyse again even the reels the journal already holds")
    parser.add_argument("--max-concurrency", type=_whole, metavar="N", help="at most N analyses running at once")
    parser.add_argument("--timeout", type=positive_number, metavar="SECONDS", help="how long to wait for each")
    parser.add_argument("--from", dest="source", metavar="VAR", help="export: the ReelSet in this notebook variable")
    parser.add_argument("--format", dest="formats", action="append", choices=_FORMATS, metavar="FORMAT",
                        help=f"export: one of {', '.join(_FORMATS)} (repeat it; default: all)")
    parser.add_argument("--fps", type=positive_number, default=30.0, help="export: frames per second of the cuts (30)")
    add_output_options(parser, json=False)
    parser.set_defaults(run=run, parser=parser)


def run(context: Context, args: argparse.Namespace) -> Any:
    if args.targets[0] == _EXPORT:
        return _export(context, args)
    if args.source or args.formats:
        raise usage_error(args.parser, "--from and --format belong to `analysis export DIR`")
    reels = _analysed(context, args, args.targets)
    if context.assign(args.output, reels):
        print(f"{args.output}: {reels!r}")
        return None
    if context.namespace is None:  # a terminal: the measures, one row per reel
        return context.presenter.frame(reels.frames()["reels"])
    return reels


def _analysed(context: Context, args: argparse.Namespace, urls: list[str]) -> Any:
    client = context.session.client()
    reels = client.reference_analysis.analyze_many(urls, args.max_concurrency, new=args.new, timeout=args.timeout)
    for url, reason in reels.failed.items():
        print(f"Not analysed: {url}: {reason}")
    return reels


def _export(context: Context, args: argparse.Namespace) -> None:
    if len(args.targets) < 2:
        raise usage_error(args.parser, "export needs a directory: analysis export DIR [URL ...] [--from VAR]")
    directory, urls = args.targets[1], args.targets[2:]
    if bool(urls) == bool(args.source):
        raise usage_error(args.parser, "export takes either --from VAR or the reels' URLs after DIR")
    if args.source:
        reels = (context.namespace or {}).get(args.source)
        if reels is None or not hasattr(reels, "export"):
            raise usage_error(args.parser, f"--from {args.source}: no ReelSet of that name in this notebook "
                                           "(make one with `%sume analysis URL ... -o NAME`)")
    else:
        reels = _analysed(context, args, urls)
    paths = reels.export(directory, formats=tuple(args.formats or _FORMATS), fps=args.fps)
    print(f"Wrote {len(paths)} files for {len(reels)} reels into {directory}")
    context.assign(args.output, paths)

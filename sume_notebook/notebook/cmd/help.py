"""`%sume help [SUBCOMMAND]`: what the three magics do, or one subcommand's options."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._context import Context

__all__ = ["OVERVIEW", "add_parser"]

OVERVIEW = """\
Sume magics (each takes --help):
  %sume_generate KIND [options]    create a job: image, video, ad, face-swap or analysis, with the CLI's options
  %%sume_prompt [KIND] [options]   the cell is the prompt; {name} takes a variable, a list of values makes a matrix
  %sume SUBCOMMAND ...              the Sume CLI's commands (images generate, jobs result, assets search, ...), the
                                   journal, login and the local sandbox; a terminal runs the same as `sume ...`
Widgets (from sume_notebook.widgets, or one line away):
  %sume studio                      PromptStudio: write a prompt, pick options and Brand DNA references, iterate
  %sume browse [QUERY]              AssetBrowser: search the Asset Library, play scenes, export the rows
  %sume compare ID ID ...           CompareView: 2 to 8 jobs side by side, differing words marked, rate in place
  JobView(job), JobGrid(jobs)       a job's live progress and preview; many jobs as one labelled grid
  CreditsBadge()                    the workspace's credits and active generations
Defaults: %config SumeMagics (aspect_ratio, resolution, quality, timeout, download_dir, max_batch, preview_size, widgets).
"""


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("help", help="this overview, or `help SUBCOMMAND` for one subcommand")
    parser.add_argument("topic", nargs="?", metavar="SUBCOMMAND")
    parser.set_defaults(run=run)


def run(context: Context, args: argparse.Namespace) -> None:
    from . import sume_parser

    parser = sume_parser()
    if args.topic:
        parser.parse_words([args.topic, "--help"])  # prints that subcommand's help and ends the command
    print(OVERVIEW)
    print(parser.format_help())

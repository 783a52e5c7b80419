"""`%%sume_prompt [KIND] [options]`: the cell is the prompt, filled from the notebook's variables.

A list, tuple or range variable makes a prompt matrix: one job per combination, labelled by the values. More
than `SumeMagics.max_batch` jobs need `--yes` (a dry run never does).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from .._parsing import MagicParser, prompt_parser, usage_error
from .._prompt_matrix import TemplateError, expand
from ._requests import build_request
from ._run import run_requests

if TYPE_CHECKING:
    from .._context import Context

__all__ = ["parser", "run"]

parser = functools.cache(prompt_parser)


def run(context: Context, line: str, cell: str) -> None:
    options: MagicParser = parser()
    args = options.parse(line)
    template = cell.strip()
    if not template:
        raise usage_error(options, "the cell is empty: write the prompt (the script for an ad) below a %%sume_prompt line")
    try:
        prompts = expand(template, context.namespace or {})
    except TemplateError as exc:
        raise usage_error(options, str(exc)) from None
    if not prompts:
        raise usage_error(options, "a list, tuple or range in the cell is empty: there is no prompt to run")
    matrix = any(p.values for p in prompts)
    if matrix and len(prompts) > context.settings.max_batch and not (args.yes or args.dry_run):
        raise usage_error(options, f"this cell makes {len(prompts)} jobs, more than SumeMagics.max_batch "
                                   f"({context.settings.max_batch}): add --yes to run them all, or --dry-run to list them")
    requests = [build_request(options, args, context, args.kind, text=p.text, label=p.label if matrix else None)
                for p in prompts]
    run_requests(context, options, args, requests)

"""`%%sume_prompt [KIND] [options]`: the cell is the prompt, filled from the notebook's variables.

A list, tuple or range variable makes a prompt matrix: one job per combination, labelled by the values. More
than `SumeMagics.max_batch` jobs need `--yes` (a dry run never does). `--rows VAR --cols VAR` choose which
variables run down and across its grid.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from ...client import Estimate, SumeError
from .._parsing import MagicParser, prompt_parser, usage_error
from .._prompt_matrix import MatrixLabels, TemplateError, expand
from ._requests import Request, build_request, validated
from ._run import estimate, run_requests

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
    try:
        labels = MatrixLabels.checked(prompts, args.rows, args.cols) if matrix or args.rows or args.cols else None
    except TemplateError as exc:
        raise usage_error(options, str(exc)) from None
    requests = [build_request(options, args, context, args.kind, text=p.text, label=p.label if matrix else None)
                for p in prompts]
    if matrix and len(prompts) > context.settings.max_batch and not (args.yes or args.dry_run):
        raise usage_error(options, f"{_cost(context, options, requests)}, more than SumeMagics.max_batch "
                                   f"({context.settings.max_batch}) allows. Add --yes to run them, or --dry-run to "
                                   "list them.")
    run_requests(context, options, args, requests, labels)


def _cost(context: Context, options: MagicParser, requests: list[Request]) -> Estimate:
    """What the matrix would reserve, with the credits left when the service says (a failed read leaves them out:
    the refusal must not depend on it)."""
    bodies = [validated(options, request) for request in requests]
    try:
        remaining = context.session.client().credits().remaining_credits
    except SumeError:
        remaining = None
    return estimate(requests, bodies, context.settings.prices, remaining)

"""`%sume_generate KIND [options]`: one create from one line, with the Sume CLI's option names."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from .._parsing import MagicParser, generate_parser
from ._requests import build_request
from ._run import run_requests

if TYPE_CHECKING:
    from .._context import Context

__all__ = ["parser", "run"]

parser = functools.cache(generate_parser)


def run(context: Context, line: str) -> None:
    options: MagicParser = parser()
    args = options.parse(line)
    run_requests(context, options, args, [build_request(options, args, context, args.kind)])

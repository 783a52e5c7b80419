"""`%sume pending`: journalled jobs not yet seen to finish, ready for `%sume jobs attach ID`."""

from __future__ import annotations

import argparse
import dataclasses
from typing import TYPE_CHECKING, Any

from .._parsing import add_output_options
from ._output import present_frame

if TYPE_CHECKING:
    import pandas as pd

    from ..magics import SumeMagics

__all__ = ["add_parser"]


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("pending", help="jobs not yet seen to finish, as a DataFrame",
                                 description="Jobs the journal saw accepted but not finish: attach with `%sume jobs attach ID`.")
    add_output_options(parser, json=False)
    parser.set_defaults(run=run)


def run(magics: SumeMagics, args: argparse.Namespace) -> pd.DataFrame | None:
    from ..._frames import records_frame
    from ..._journal import pending

    rows = [dataclasses.asdict(entry) for entry in pending()]
    for row in rows:
        row.pop("idempotency_key")
    return present_frame(magics, args, records_frame(rows))

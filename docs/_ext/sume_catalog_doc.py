"""The sandbox's tables (job durations, prices, workspace defaults) read from `sume_notebook.sandbox._catalog`.

The catalog is where the server, the CLI's `--demo` price list and these docs take their numbers, so the sandbox
guide cannot disagree with the server. ``sume-sandbox-table durations|prices|workspaces``.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive


def _table(header: list[str], rows: list[list[str]]) -> nodes.table:
    table = nodes.table()
    group = nodes.tgroup(cols=len(header))
    table += group
    for _ in header:
        group += nodes.colspec(colwidth=1)
    head, body = nodes.thead(), nodes.tbody()
    group += head
    group += body
    for into, cells in [(head, header), *((body, row) for row in rows)]:
        tr = nodes.row()
        for text in cells:
            entry = nodes.entry()
            entry += nodes.paragraph(text=text)
            tr += entry
        into += tr
    return table


class SandboxTable(Directive):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        from sume_notebook.sandbox import _catalog as cat
        from sume_notebook.sandbox._seed import WORKSPACES

        which = self.arguments[0]
        if which == "durations":
            rows = [[name, f"{seconds:g}"] for name, seconds in cat.JOB_DURATIONS.items()]
            return [_table(["job type", "seconds at time_scale=1"], rows)]
        if which == "prices":
            rows = [re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in cat.price_table_text().splitlines()]
            return [_table(["job type", "price (sandbox credits)"], rows)]
        if which == "workspaces":
            rows = [[name, plan, f"{monthly + bonus:,} ({monthly:,} monthly + {bonus:,} bonus)",
                     ", ".join(f"{role}" for role in roles)]
                    for _id, name, plan, monthly, bonus, roles in WORKSPACES]
            return [_table(["workspace", "plan", "credits at start", "keys"], rows)]
        raise self.error(f"unknown table {which!r}: durations, prices or workspaces")


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("sume-sandbox-table", SandboxTable)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

"""Render the magics' reference from their own argparse parsers, so the page cannot drift from the code.

Directives (usable from MyST as ```{name}``` fences):

- ``sume-magic-help PROG``: the ``--help`` text of ``%sume_generate``, ``%%sume_prompt`` or ``%sume`` (or a
  subcommand path such as ``%sume jobs``), as a literal block.
- ``sume-subcommands``: one section per ``%sume`` subcommand, in the order ``SUBCOMMANDS`` gives, with its help and
  the help of each of its actions (``jobs list``, ``jobs get``...). A new subcommand appears here by itself.
- ``sume-magics-overview``: the overview ``%sume help`` prints.
- ``sume-magics-config``: the configurable traits of ``SumeMagics`` (``%config SumeMagics.NAME = ...``) as a table.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager

from docutils import nodes
from docutils.parsers.rst import Directive, directives

HELP_COLUMNS = "80"  # argparse wraps to $COLUMNS: fix it so the page does not depend on the terminal of the build


@contextmanager
def _fixed_width() -> Iterator[None]:
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = HELP_COLUMNS
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = saved


def _top_parsers() -> dict[str, argparse.ArgumentParser]:
    from sume_notebook.notebook._parsing import generate_parser, prompt_parser
    from sume_notebook.notebook.cmd import sume_parser

    return {"%sume_generate": generate_parser(), "%%sume_prompt": prompt_parser(), "%sume": sume_parser()}


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The subcommands (or actions) of a parser, in the order they were added."""
    for action in parser._actions:  # argparse keeps no public accessor for this
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _subcommand_help(parser: argparse.ArgumentParser) -> dict[str, str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return {choice.dest: choice.help or "" for choice in action._choices_actions}
    return {}


def resolve(path: str) -> argparse.ArgumentParser:
    """`%sume jobs list` -> that parser."""
    words = path.split()
    parsers = _top_parsers()
    if not words or words[0] not in parsers:
        raise ValueError(f"unknown magic {path!r}: expected one of {', '.join(parsers)}")
    parser = parsers[words[0]]
    for word in words[1:]:
        children = _subparsers(parser)
        if word not in children:
            raise ValueError(f"{path!r}: {word!r} is not a subcommand (known: {', '.join(children)})")
        parser = children[word]
    return parser


def help_text(parser: argparse.ArgumentParser) -> str:
    with _fixed_width():
        return parser.format_help().rstrip()


_CODE = re.compile(r"`([^`]+)`|(?<![\w-])(--?[a-z][\w-]*|%%?sume\w*)")


def _prose(text: str) -> nodes.paragraph:
    """A help sentence: `quoted` words, --options and %magics as inline code (and safe from smart quotes)."""
    paragraph = nodes.paragraph()
    position = 0
    for match in _CODE.finditer(text):
        paragraph += nodes.Text(text[position:match.start()])
        code = match.group(1) or match.group(2)
        paragraph += nodes.literal(code, code)
        position = match.end()
    paragraph += nodes.Text(text[position:])
    return paragraph


def _literal(text: str) -> nodes.literal_block:
    block = nodes.literal_block(text, text)
    block["language"] = "text"
    return block


class MagicHelp(Directive):
    required_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        try:
            parser = resolve(self.arguments[0])
        except ValueError as exc:
            raise self.error(str(exc)) from None
        return [_literal(help_text(parser))]


class SubcommandSections(Directive):
    option_spec = {"heading-prefix": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        from sume_notebook.notebook.cmd import SUBCOMMANDS, sume_parser

        document = self.state.document
        root = sume_parser()
        children = _subparsers(root)
        summaries = _subcommand_help(root)
        missing = [name for name in SUBCOMMANDS if name not in children]
        if missing:
            raise self.error(f"SUBCOMMANDS names {missing} but the %sume parser has no such subcommand")
        sections: list[nodes.Node] = []
        for name, parser in children.items():
            section = nodes.section(ids=[nodes.make_id(f"sume-{name}")], names=[nodes.fully_normalize_name(f"%sume {name}")])
            title = nodes.title()
            title += nodes.literal(f"%sume {name}", f"%sume {name}")
            section += title
            if summaries.get(name):
                section += _prose(summaries[name][0].upper() + summaries[name][1:] + ".")
            section += _literal(help_text(parser))
            actions = _subparsers(parser)
            action_help = _subcommand_help(parser)
            for action, child in actions.items():
                rubric = nodes.rubric()
                rubric += nodes.literal(f"%sume {name} {action}", f"%sume {name} {action}")
                if action_help.get(action):
                    rubric += nodes.Text(": ")
                    rubric.extend(child.deepcopy() for child in _prose(action_help[action]).children)
                section += rubric
                section += _literal(help_text(child))
            document.note_implicit_target(section)
            sections.append(section)
        return sections


class Overview(Directive):
    """What `%sume help` prints first: the three magics in one screen."""

    def run(self) -> list[nodes.Node]:
        from sume_notebook.notebook.cmd.help import OVERVIEW

        return [_literal(OVERVIEW.rstrip())]


def _table(header: tuple[str, ...], rows: list[tuple[nodes.Node, ...]], widths: tuple[int, ...]) -> nodes.table:
    table = nodes.table()
    group = nodes.tgroup(cols=len(header))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head, body = nodes.thead(), nodes.tbody()
    group += head
    group += body
    for cells, into in ((tuple(nodes.paragraph(text=t) for t in header), head), *((r, body) for r in rows)):
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += cell
            row += entry
        into += row
    return table


def _code(text: str) -> nodes.paragraph:
    paragraph = nodes.paragraph()
    paragraph += nodes.literal(text, text)
    return paragraph


class MagicsConfig(Directive):
    def run(self) -> list[nodes.Node]:
        from sume_notebook.notebook.magics import SumeMagics

        rows = [(_code(name), _code(repr(trait.default_value)), _prose(trait.help))
                for name, trait in SumeMagics.class_traits(config=True).items()]
        return [_table(("trait", "default", "what it does"), rows, (20, 20, 60))]


def setup(app):  # type: ignore[no-untyped-def]
    app.add_directive("sume-magic-help", MagicHelp)
    app.add_directive("sume-subcommands", SubcommandSections)
    app.add_directive("sume-magics-config", MagicsConfig)
    app.add_directive("sume-magics-overview", Overview)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

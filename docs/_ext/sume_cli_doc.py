"""Render the console `sume` reference from the command table (`sume_notebook.notebook.cmd.COMMANDS`) and its
parsers, so the page lists exactly the commands, options and exit codes the console has.

Directives (usable from MyST as ```{name}``` fences):

- ``sume-cli-table``: one row per console command: the command, its options, and where the seeds spell it.
- ``sume-cli-exit-codes``: the exit codes `sume --help` lists.
- ``sume-cli-commands``: one section per console command with its ``--help`` text.
"""

from __future__ import annotations

import argparse

from docutils import nodes
from docutils.parsers.rst import Directive
from sume_magics_doc import _code, _literal, _prose, _subparsers, _table, help_text


def _console_commands() -> list[tuple[str, str, argparse.ArgumentParser]]:
    """(command, seed reference, parser) of every command the console has, in the table's order."""
    from sume_notebook.notebook.cmd import COMMANDS, sume_parser

    found = []
    for command in COMMANDS:
        if not command.console:
            continue
        parser = sume_parser(console=True)
        for word in command.name.split():
            parser = _subparsers(parser)[word]
        found.append((command.name, command.seed, parser))
    return found


def _options(parser: argparse.ArgumentParser) -> str:
    words = []
    for action in parser._actions:  # argparse keeps no public accessor for this
        if isinstance(action, argparse._HelpAction) or action.help == argparse.SUPPRESS:
            continue
        words.append(max(action.option_strings, key=len) if action.option_strings else (action.metavar or action.dest).upper())
    return " ".join(words)


class CommandTable(Directive):
    def run(self) -> list[nodes.Node]:
        rows = [(_code(f"sume {name}"), _code(_options(parser)), _prose(seed or "(ours)"))
                for name, seed, parser in _console_commands()]
        return [_table(("command", "options", "seed"), rows, (22, 48, 30))]


class ExitCodes(Directive):
    def run(self) -> list[nodes.Node]:
        from sume_notebook.notebook.cmd import EXIT_CODES

        rows = [(_code(str(code)), nodes.paragraph(text=text)) for code, text in EXIT_CODES.items()]
        return [_table(("exit code", "meaning"), rows, (15, 85))]


class CommandSections(Directive):
    def run(self) -> list[nodes.Node]:
        sections: list[nodes.Node] = []
        for name, _, parser in _console_commands():
            section = nodes.section(ids=[nodes.make_id(f"cli-{name}")], names=[nodes.fully_normalize_name(f"sume {name}")])
            title = nodes.title()
            title += nodes.literal(f"sume {name}", f"sume {name}")
            section += title
            section += _literal(help_text(parser))
            self.state.document.note_implicit_target(section)
            sections.append(section)
        return sections


def setup(app):  # type: ignore[no-untyped-def]
    app.add_directive("sume-cli-table", CommandTable)
    app.add_directive("sume-cli-exit-codes", ExitCodes)
    app.add_directive("sume-cli-commands", CommandSections)

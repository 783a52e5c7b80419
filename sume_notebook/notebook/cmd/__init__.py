"""The commands behind the magics and the console: one module per subcommand, as the Sume CLI names them.

`COMMANDS` is the one table of them: `resource verb`, the module that defines its parser and runs it, where the
seeds spell it, and whether the terminal has it. `%sume <resource> <verb>` and `sume <resource> <verb>` are both
built from it (`sume_parser`), and so is the CLI reference of the docs. `generate` and `prompt` hold
`%sume_generate` and `%%sume_prompt`, the notebook's short forms; the private modules are what commands share
(building requests, re-attaching, running them, presenting results).
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass

from .._parsing import MagicParser

__all__ = ["COMMANDS", "EXIT_CODES", "SUBCOMMANDS", "Command", "sume_parser"]


@dataclass(frozen=True)
class Command:
    """One command: its words, the `cmd` module that defines it, where the seeds spell it (file and section), and
    whether the terminal has it (`login`, `sandbox` and `help` belong to a notebook's process)."""

    name: str
    module: str
    seed: str = ""
    console: bool = True


COMMANDS = (
    Command("credits", "credits", "001 §2 `sume credits`; 000 safety checklist `sume credits --json`"),
    Command("me", "me", "001 §1 and 002 Account: GET /me"),
    Command("images generate", "create", "001 §3 `sume images generate ... --wait --json`; 000 Image options"),
    Command("videos generate", "create", "000 Video options"),
    Command("ads create", "create", "000 talking-head and UGC ads; 002 AI Ads video"),
    Command("face-swap create", "create", "000 Face Swap; 003 `sume face-swap create`"),
    Command("reference-analysis create", "create", "000 Reference Analysis"),
    Command("analysis", "analysis", "000 Reference Analysis, many reels at once (ours: a ReelSet and its files)"),
    Command("uploads presign", "uploads", "000 Face Swap step 1; 003 upload; 002 POST /uploads/presign"),
    Command("assets search", "assets", "001 §6 `sume assets search ... --json`; 003 Asset search filters"),
    Command("assets list", "assets", "002 GET /assets (lists or searches)"),
    Command("assets get", "assets", "003 search first, then fetch one scene (--query, --search-mode, --search-score)"),
    Command("assets upload", "assets", "003 and 004 Upload a video to Asset Library"),
    Command("assets finalize", "assets", "003 'Then finalize'; 002 POST /assets"),
    Command("assets sync", "assets", "002 GET /assets (created_after, sort=created_at_asc) into a local mirror"),
    Command("jobs list", "jobs", "003 List and inspect jobs; 002 GET /jobs (limit, cursor, type, status)"),
    Command("jobs get", "jobs", "001 §4 `sume jobs get job_123 --json`"),
    Command("jobs result", "jobs", "001 §5 `sume jobs result job_123 --json` and `--download ./outputs/`"),
    Command("jobs wait", "jobs", "000 and 003 inline wait; 000 jobs.wait"),
    Command("jobs attach", "jobs"),
    Command("avatars list", "avatars", "000 `sume avatars list`; 002 GET /avatars"),
    Command("avatars get", "avatars", "002 GET /avatars/{avatarId}"),
    Command("brand list", "brand", "002 GET /brand"),
    Command("brand current", "brand", "004 Create an image from Brand references; 002 GET /brand/current"),
    Command("history", "history"),
    Command("pending", "pending"),
    Command("rate", "review"),
    Command("star", "review"),
    Command("tag", "review"),
    Command("note", "review"),
    Command("export", "export"),
    Command("login", "login", console=False),
    Command("sandbox start", "sandbox", console=False),
    Command("sandbox stop", "sandbox", console=False),
    Command("sandbox status", "sandbox", console=False),
    Command("studio", "widgets", console=False),
    Command("browse", "widgets", console=False),
    Command("compare", "widgets", console=False),
    Command("help", "help", console=False),
)
SUBCOMMANDS = tuple(dict.fromkeys(command.name.split()[0] for command in COMMANDS))

# What `sume` exits with; listed in its --help and the CLI reference.
EXIT_CODES = {
    0: "done",
    1: "a job failed, was canceled or expired",
    2: "usage: a bad line, a request refused before sending (nothing was sent), or no API key",
    3: "API error (its HTTP status is in the message) or the API could not be reached",
    4: "timeout: stopped waiting, the job is still running",
    130: "interrupted (Ctrl-C): the job keeps running",
}


@functools.cache
def sume_parser(console: bool = False) -> MagicParser:
    """The parser of `%sume` (or, with `console`, of `sume`), built on first use so that loading the extension
    imports no subcommand."""
    if console:
        epilog = "exit codes:\n" + "\n".join(f"  {code:<4} {text}" for code, text in EXIT_CODES.items())
        parser = MagicParser(prog="sume", description="Sume from a terminal: the commands of `%sume`, line for line. "
                             "Uses SUME_API_KEY and SUME_BASE_URL.", epilog=epilog)
    else:
        parser = MagicParser(prog="%sume", description="Sume from a notebook, mirroring the Sume CLI.")
    commands = parser.add_subparsers(dest="command", metavar="SUBCOMMAND", required=True)
    modules = dict.fromkeys(c.module for c in COMMANDS if c.console or not console)
    for name in modules:
        importlib.import_module(f"{__name__}.{name}").add_parser(commands)
    return parser

"""`sume`: the `%sume` commands from a terminal, a cron job or a CI step, line for line.

The parser and the commands are the notebook's own (`cmd.COMMANDS`); only the front end differs: no IPython
shell is needed, results go to stdout through `TerminalPresenter` (only JSON with `--json`), everything a command
prints to talk to a person goes to stderr, and the exit code says what happened (`cmd.EXIT_CODES`). Jobs are
journalled like the notebook's, so `%sume pending` in a notebook sees a job started here and `sume pending` here
sees a notebook's.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence

from IPython.core.error import UsageError

from ._context import Context, Settings
from ._parsing import HelpShown
from ._session import Session
from ._terminal import TerminalPresenter
from .cmd import sume_parser
from .error_handler import invalid_request

__all__ = ["main"]


def _settings() -> Settings:
    """The defaults `%config SumeMagics` starts from: a terminal has no configuration of its own."""
    from .magics import SumeMagics

    traits = SumeMagics.class_traits(config=True)
    return Settings(**{name: traits[name].default_value for name in Settings.__dataclass_fields__})


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `sume` command line; returns its exit code."""
    from ..client import InvalidRequestError, SumeError

    words = list(sys.argv[1:] if argv is None else argv)
    out, err = sys.stdout, sys.stderr
    presenter = TerminalPresenter(out, err)
    try:
        args = sume_parser(console=True).parse_words(words or ["--help"])
    except HelpShown:
        return 0
    except UsageError as exc:
        err.write(f"{exc}\n")
        return 2
    session = Session(sandbox=False)
    context = Context(session, _settings(), widgets=False, namespace=None, presenter=presenter)
    try:
        with contextlib.redirect_stdout(err):  # a command's messages are for the person; stdout is the result
            args.run(context, args)
    except HelpShown:
        return 0
    except UsageError as exc:
        err.write(f"{exc}\n")
        return 2
    except InvalidRequestError as exc:
        err.write(f"{invalid_request(None, [(f.field, f.message) for f in exc.fields])}\n")
        return 2
    except SumeError as exc:
        presenter.problem(exc)
    except KeyboardInterrupt:
        err.write("Interrupted; a job already accepted keeps running (see `sume pending`).\n")
        return 130
    finally:
        session.close()
    return presenter.exit_code

"""Random magic lines, sent for real: tests/notebook/test_fuzz.py checks them with `--dry-run` only. Here the same
line runs both ways; a line its dry run refuses must be refused for real too, with no request; a line its dry run
accepts may send, but whatever happens (an API error included) is shown without a traceback.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from IPython.core.error import UsageError

from sume_notebook.notebook._testing import SumeShell
from sume_notebook.sandbox import SandboxHandle
from tests.support import total_requests

from ..notebook.test_fuzz import KINDS, TOKEN


# Lines that are mostly right, then spoiled (or not) by a random token or two, so both sides are explored.
PLAUSIBLE = st.one_of(
    st.tuples(st.just(["image", "--prompt", "'a lighthouse'"]),
              st.lists(st.sampled_from(["--aspect-ratio 1:1", "--n 1", "--quality high", "--wait", "--json",
                                        "--resolution 2k"]), unique=True, max_size=3)),
    st.tuples(st.just(["video", "--prompt", "'harbour waves'", "--duration", "4"]),
              st.lists(st.sampled_from(["--aspect-ratio 9:16", "--resolution 480p", "--wait", "--generate-audio"]),
                       unique=True, max_size=3)),
).map(lambda parts: [*parts[0], *" ".join(parts[1]).split()])
LINES = st.one_of(
    st.tuples(st.sampled_from(KINDS), st.lists(TOKEN, max_size=6)).map(lambda t: [t[0], *t[1]]),
    st.tuples(PLAUSIBLE, st.lists(TOKEN, max_size=2)).map(lambda t: [*t[0], *t[1]]),
    PLAUSIBLE,
)


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(tokens=LINES)
def test_a_line_refused_in_a_dry_run_is_refused_for_real(
    ip: SumeShell, sb: SandboxHandle, reset_sandbox: Callable[[], None], tokens: list[str]
) -> None:
    reset_sandbox()
    line = " ".join(["%sume_generate", *tokens])
    dry = ip.run(line + " --dry-run")
    assert not dry.has_traceback, dry.text
    if dry.error is not None:
        assert isinstance(dry.error, UsageError), repr(dry.error)
        real = ip.run(line)
        assert isinstance(real.error, UsageError) and not real.has_traceback, (repr(real.error), real.text)
        assert total_requests(sb) == 0, sb.stats()
        event("refused")
        return
    assert total_requests(sb) == 0
    real = ip.run(line + " --timeout 20" if "--timeout" not in tokens else line)
    assert not real.has_traceback, real.text
    assert real.error is None or isinstance(real.error, UsageError), repr(real.error)
    event("sent" if total_requests(sb) else "accepted by the dry run, refused when sent")

"""Random magic lines: always a usage or validation error or a result, never a traceback, never a request."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from IPython.core.error import UsageError

from sume_notebook.notebook._testing import CellRun, SumeShell
from sume_notebook.sandbox import SandboxHandle
from tests.support import total_requests

KINDS = ["image", "video", "ad", "face-swap", "analysis", "movie", ""]
OPTIONS = [
    "--prompt", "--aspect-ratio", "--n", "--resolution", "--quality", "--reference-image-url", "--brand-references",
    "--duration", "--generate-audio", "--script", "--ad-format", "--avatar-id", "--avatar-slug", "--locale",
    "--reference-video-url", "--source-video", "--trim-start", "--trim-end", "--url", "--wait", "--timeout",
    "--download", "--json", "--new", "-o", "--yes", "--bogus",
]
VALUES = st.one_of(
    st.sampled_from(["1:1", "9:16", "16:9", "720p", "4", "15", "-1", "0", "nan", "1e9", "avt_mia", "en", "ko",
                     "video", "ugc_ads", "https://cdn.example/a.png", "http://x", "ftp://y", "/no/file.mp4",
                     "https://www.tiktok.com/@a/video/7301234567890123456", "x_1", "1abc", "'quoted words'", '"']),
    st.text(alphabet="ab {}$'\"\\-:/.0123456789", max_size=12),
)
TOKEN = st.one_of(st.sampled_from(OPTIONS), VALUES)


def _check(run: CellRun, env: SandboxHandle) -> None:
    assert not run.has_traceback, run.text
    assert run.error is None or isinstance(run.error, UsageError), repr(run.error)
    assert total_requests(env) == 0


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(KINDS), tokens=st.lists(TOKEN, max_size=8))
def test_random_generate_lines(ip: SumeShell, env: SandboxHandle, kind: str, tokens: list[str]) -> None:
    _check(ip.run(" ".join(["%sume_generate", kind, *tokens, "--dry-run"])), env)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(["", "image", "video", "ad", "face-swap"]),
    tokens=st.lists(TOKEN, max_size=5),
    body=st.text(alphabet="ab {}\n'\"!:0", max_size=30),
    axis=st.lists(st.integers(0, 3), max_size=4),
)
def test_random_prompt_cells(ip: SumeShell, env: SandboxHandle, kind: str, tokens: list[str], body: str,
                             axis: list[int]) -> None:
    ip.shell.user_ns.update(a=axis, b="bee")
    _check(ip.run(" ".join(["%%sume_prompt", kind, *tokens, "--dry-run"]) + "\n" + body), env)

"""One sandbox for the notebook suite over a real socket, and a real IPython shell with the magics loaded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sume_notebook import PollSchedule
from sume_notebook.notebook._testing import SumeShell
from sume_notebook.sandbox import SandboxHandle, start_sandbox

FAST = 0.02  # image ~80 ms, video ~240 ms, ad ~400 ms
QUICK_POLLS = PollSchedule(first=0.03, factor=1.5, cap=0.3)


@pytest.fixture(scope="session", autouse=True)
def _ipython_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The test shell keeps its profile and history out of the developer's ~/.ipython."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPYTHONDIR", str(tmp_path_factory.mktemp("ipython")))
        yield


@pytest.fixture(scope="session")
def sb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    with start_sandbox(port=0, data_dir=tmp_path_factory.mktemp("sandbox"), time_scale=FAST) as handle:
        yield handle


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A journal home of its own, and no key or base URL from the developer's environment."""
    monkeypatch.setenv("SUME_NOTEBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SUME_API_KEY", raising=False)
    monkeypatch.delenv("SUME_BASE_URL", raising=False)


@pytest.fixture
def env(sb: SandboxHandle, monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxHandle]:
    """The magics pointed at the sandbox through the environment, as a user would; faults and counters reset."""
    monkeypatch.setenv("SUME_BASE_URL", sb.url)
    monkeypatch.setenv("SUME_API_KEY", sb.api_key)
    sb.reset()
    sb.configure(time_scale=FAST, max_active_generations=20)  # slow jobs of earlier tests must not hold capacity
    sb.configure(credits=1_000_000, workspace="ws_sandbox_main")
    yield sb
    sb.reset()


@pytest.fixture
def ip(env: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SumeShell]:
    """A shell in text mode (a plain terminal), working in a temporary directory."""
    monkeypatch.chdir(tmp_path)
    shell = SumeShell(widgets="off", poll_schedule=QUICK_POLLS)
    yield shell
    shell.close()
    shell.shell.config.pop("SumeMagics", None)  # %config lives in the shell's config, beyond one load


def requests_to(handle: SandboxHandle, route: str) -> int:
    return handle.stats()["requests"].get(route, 0)


def total_requests(handle: SandboxHandle) -> int:
    return sum(handle.stats()["requests"].values())


"""Which client the magics use: the environment, `%sume login`, or the local sandbox when nothing is set."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sume_notebook.notebook._session import running_sandbox, stop_sandbox
from sume_notebook.notebook._testing import SumeShell
from tests.support import QUICK_POLLS


@pytest.fixture
def bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SumeShell]:
    """A shell with no key and no base URL; the embedded sandbox keeps its data under a temporary cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shell = SumeShell(widgets="off", poll_schedule=QUICK_POLLS)
    yield shell
    shell.close()
    stop_sandbox()


def test_no_key_and_no_base_url_starts_the_local_sandbox_and_says_so_once(bare: SumeShell, tmp_path: Path) -> None:
    assert running_sandbox() is None
    first = bare.run("%sume credits")
    handle = running_sandbox()
    assert handle is not None and handle.data_dir == tmp_path / "cache" / "sume-notebook" / "sandbox"
    banner = f"Using the local Sume sandbox at {handle.origin} (no credits spent)"
    assert first.stdout.strip() == banner and "Sume credits" in first.text
    assert banner not in bare.run("%sume credits").stdout
    bare.close()
    again = SumeShell(widgets="off")  # a reloaded extension reuses the running sandbox
    assert banner in again.run("%sume me").stdout and running_sandbox() is handle


def test_a_dry_run_needs_no_key_and_starts_nothing(bare: SumeShell) -> None:
    run = bare.run('%sume_generate image --prompt "free" --dry-run')
    assert run.error is None and running_sandbox() is None and "Using the local" not in run.stdout


def test_base_url_without_key_is_an_error_box(bare: SumeShell, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUME_BASE_URL", "http://127.0.0.1:9/api/v1")
    run = bare.run("%sume credits")
    assert "No Sume API key" in run.text and "%sume login" in run.text and not run.has_traceback
    assert running_sandbox() is None

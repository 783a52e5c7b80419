"""A broken journal never blocks work: a corrupt, unwritable or vanished journal file, at start or mid-session, costs
at most one warning; `Sume(...)`, the magics and `%sume pending` keep working and jobs still run."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from sume_notebook import Sume, history, pending
from sume_notebook.notebook._testing import SumeShell
from sume_notebook.sandbox import SandboxHandle
from tests.support import QUICK_POLLS

GARBAGE = os.urandom(4096)


def journal_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == "sume_notebook.client" and r.levelno == logging.WARNING and "journal" in r.getMessage()]


def run_a_job(sb: SandboxHandle, prompt: str) -> str:
    with Sume(api_key=sb.api_key, base_url=sb.url, poll_schedule=QUICK_POLLS) as client:
        job = client.images.generate(prompt)
        assert job.wait(timeout=30).status == "completed"
        return job.id


def test_a_corrupt_journal_is_moved_aside_and_a_new_one_started(
    sb: SandboxHandle, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "journal.sqlite3").write_bytes(GARBAGE)

    job_id = run_a_job(sb, "after the disk hiccup")

    [warning] = journal_warnings(caplog)
    [kept] = home.glob("journal.sqlite3.corrupt-*")
    assert kept.read_bytes() == GARBAGE and str(kept) in warning  # kept for a look, and the warning says where
    assert history()["job_id"].tolist() == [job_id]


def test_an_unwritable_home_still_runs_jobs(
    sb: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "a-file").write_text("not a directory")
    monkeypatch.setenv("SUME_NOTEBOOK_HOME", str(tmp_path / "a-file" / "home"))  # cannot be made, even by root

    run_a_job(sb, "nowhere to write")
    run_a_job(sb, "still nowhere")

    [warning] = journal_warnings(caplog)
    assert "not journalled" in warning and "SUME_NOTEBOOK_HOME" in warning
    assert pending() == [] and history().empty


def test_the_magics_work_without_a_journal(
    ip: SumeShell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "a-file").write_text("not a directory")
    monkeypatch.setenv("SUME_NOTEBOOK_HOME", str(tmp_path / "a-file" / "home"))

    made = ip.run('%sume_generate image --prompt "unjournalled" --wait -o result')
    assert not made.has_traceback and ip.shell.user_ns["result"].job.status == "completed", made.stderr
    for line in ("%sume pending", "%sume history", "%sume pending --resolve"):
        run = ip.run(line)
        assert not run.has_traceback and run.error is None, (line, run.stderr)
    assert ip.run("%sume pending").result.empty
    assert len(journal_warnings(caplog)) == 1


def _delete(path: Path) -> None:
    for name in path.parent.glob(path.name + "*"):
        name.unlink()


def _delete_main_file_only(path: Path) -> None:
    path.unlink()


def _replace_with_directory(path: Path) -> None:
    _delete(path)
    path.mkdir()


def _overwrite_with_garbage(path: Path) -> None:
    _delete(path)
    path.write_bytes(GARBAGE)


@pytest.mark.parametrize("breakage, journalled, warned", [
    (_delete, True, None),
    (_delete_main_file_only, True, None),
    (_replace_with_directory, False, "not journalled"),
    (_overwrite_with_garbage, True, "moved to"),
])
def test_a_journal_that_breaks_mid_session(
    breakage: Callable[[Path], None], journalled: bool, warned: str | None, sb: SandboxHandle,
    caplog: pytest.LogCaptureFixture
) -> None:
    with Sume(api_key=sb.api_key, base_url=sb.url, poll_schedule=QUICK_POLLS) as client:
        before = client.images.generate("before")
        assert before.wait(timeout=30).status == "completed"
        breakage(client.journal.path)

        after = client.images.generate("after")
        assert after.wait(timeout=30).status == "completed"
        third = client.images.generate("and after that")
        assert third.wait(timeout=30).status == "completed"

    warnings = journal_warnings(caplog)
    assert len(warnings) == (1 if warned else 0), warnings
    assert warned is None or warned in warnings[0]
    ids = history(all=True)["job_id"].tolist() if journalled else []
    assert ids == ([after.id, third.id] if journalled else []), ids

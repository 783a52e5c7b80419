"""Interrupting a cell that waits stops the wait at once, never the job: it stays running and journalled, the cell
says in one line how to pick it up, and later cells see a whole state (no half-assigned variable, a working loop).

The interrupt is a real SIGINT delivered to the shell's thread while the cell blocks, as Jupyter's interrupt
button or Ctrl-C in a terminal sends it.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from sume_notebook import Sume, pending
from sume_notebook.notebook._testing import CellRun, SumeShell
from sume_notebook.sandbox import SandboxHandle

SLOW = 3.0  # the sandbox's time scale: an image takes about 12 s
INTERRUPT_AFTER = 1.0
RETURNED_WITHIN = 4.0  # seconds from the start of the cell: the wait stopped long before the job could end


@contextmanager
def interrupted_after(seconds: float) -> Iterator[None]:
    """SIGINT to this process `seconds` from now; Python raises it as KeyboardInterrupt in the main thread."""
    timer = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def run_interrupted(ip: SumeShell, cell: str) -> tuple[CellRun, float]:
    started = time.monotonic()
    with interrupted_after(INTERRUPT_AFTER):
        run = ip.run(cell)
    return run, time.monotonic() - started


def test_interrupting_a_wait_leaves_the_job_running_and_says_how_to_pick_it_up(
    ip: SumeShell, sb: SandboxHandle, sume: Sume
) -> None:
    sb.configure(time_scale=SLOW)
    ip.shell.user_ns.pop("result", None)  # the process's one shell: an earlier test may have left one
    run, elapsed = run_interrupted(ip, '%sume_generate image --prompt "a slow lighthouse" --wait -o result')
    assert isinstance(run.error, KeyboardInterrupt) and elapsed < RETURNED_WITHIN
    [line] = [line for line in run.stderr.splitlines() if "Stopped waiting" in line]
    job_id = line.split()[2]
    assert f"`%sume jobs attach {job_id}`" in line
    assert "result" not in ip.shell.user_ns  # no half-assigned variable
    assert sume.jobs.get(job_id).status in ("queued", "running")  # the job goes on
    assert job_id in {entry.id for entry in pending()}  # and the journal knows it is still to be picked up

    picked = ip.run(f"%sume jobs wait {job_id} -o waited")
    assert picked.error is None and ip.shell.user_ns["waited"].status == "completed"


def test_interrupting_a_batch_names_its_jobs(ip: SumeShell, sb: SandboxHandle, sume: Sume) -> None:
    sb.configure(time_scale=SLOW)
    ip.shell.user_ns["subject"] = ["fox", "owl", "cat"]
    ip.shell.user_ns.pop("results", None)
    run, elapsed = run_interrupted(ip, "%%sume_prompt image --wait -o results\na slow {subject}")
    assert isinstance(run.error, KeyboardInterrupt) and elapsed < RETURNED_WITHIN
    [line] = [line for line in run.stderr.splitlines() if "Stopped waiting" in line]
    assert "3 jobs keep running" in line and "`%sume jobs attach ID`" in line and "`%sume pending`" in line
    assert "results" not in ip.shell.user_ns
    ids = [word.strip("(),:") for word in line.split() if word.strip("(),:").startswith("job_")]
    assert len(ids) == 3 and all(sume.jobs.get(i).status in ("queued", "running") for i in ids)
    assert set(ids) <= {entry.id for entry in pending()}


def test_interrupting_job_wait_on_the_blocking_client(ip: SumeShell, sb: SandboxHandle, sume: Sume) -> None:
    sb.configure(time_scale=SLOW)
    ip.shell.user_ns["sume"] = sume
    ip.run('job = sume.images.generate("a slow harbour")')
    run, elapsed = run_interrupted(ip, "job.wait()")
    assert isinstance(run.error, KeyboardInterrupt) and elapsed < RETURNED_WITHIN
    job = ip.shell.user_ns["job"]
    [line] = [line for line in run.stderr.splitlines() if "Stopped waiting" in line]
    assert f"sume.jobs.attach('{job.id}')" in line and f"`%sume jobs attach {job.id}`" in line
    assert job.status in ("queued", "running") and sume.jobs.get(job.id).status in ("queued", "running")

    again = ip.run("job.wait()")  # the same object, whole: its next wait works
    assert again.error is None and job.status == "completed"


@pytest.fixture(autouse=True)
def _python_sigint_handler() -> Iterator[None]:
    """Python's own Ctrl-C handler (raise KeyboardInterrupt), as in a kernel or a terminal."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)

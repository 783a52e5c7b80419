"""Real kernels (jupyter_client): a restart in the middle of a wait loses nothing and pays nothing twice, and two
kernels journalling at once lose nothing.

(tests/client/test_journal.py covers a SIGKILLed plain process and two processes writing the journal directly;
these run the user's path: kernels, the magics, the client's own journal writes.)
"""

from __future__ import annotations

import queue
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from jupyter_client import KernelManager

from sume_notebook import Journal
from sume_notebook.demo import kernel_env
from sume_notebook.sandbox import SandboxHandle

from .conftest import sandbox_job_ids

START_TIMEOUT = 60
CELL_TIMEOUT = 120


class Kernel:
    """A real IPython kernel with a blocking client: run code, get its printed text, or start code and not wait."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.manager = KernelManager(kernel_name="python3")
        self.manager.start_kernel(env=env, cwd=str(cwd))
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=START_TIMEOUT)

    def start(self, code: str) -> str:
        return self.client.execute(textwrap.dedent(code), store_history=False)

    def collect(self, msg_id: str, until: str | None = None, timeout: float = CELL_TIMEOUT) -> str:
        """Printed text of the cell `msg_id` until it is idle (or until `until` appears); raises on its error."""
        text: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = self.client.get_iopub_msg(timeout=1)
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                text.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                text.append(content["data"].get("text/plain", ""))
            elif kind == "error":
                raise AssertionError("\n".join(content["traceback"]))
            elif kind == "status" and content["execution_state"] == "idle":
                return "".join(text)
            if until and until in "".join(text):
                return "".join(text)
        raise AssertionError(f"the cell did not finish in {timeout} s; printed so far: {''.join(text)!r}")

    def run(self, code: str, timeout: float = CELL_TIMEOUT) -> str:
        return self.collect(self.start(code), timeout=timeout)

    def restart(self) -> None:
        self.manager.restart_kernel(now=True)  # as the Restart button does when the kernel is busy
        self.client.wait_for_ready(timeout=START_TIMEOUT)

    def stop(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


@pytest.fixture
def kernel_environment(sb: SandboxHandle, tmp_path: Path) -> dict[str, str]:
    (tmp_path / "ipython").mkdir()
    return kernel_env(sb.url, sb.api_key, SUME_NOTEBOOK_HOME=str(tmp_path / "home"), IPYTHONDIR=str(tmp_path / "ipython"))


@pytest.fixture
def kernels(kernel_environment: dict[str, str], tmp_path: Path) -> Iterator[list[Kernel]]:
    started: list[Kernel] = []
    yield started
    for kernel in started:
        kernel.stop()


def remaining_credits(sb: SandboxHandle) -> int:
    answer = httpx.get(f"{sb.url}/credits", headers={"Authorization": f"Bearer {sb.api_key}"}, timeout=30)
    return int(answer.json()["remaining_credits"])


def test_a_restart_mid_wait_loses_nothing_and_pays_nothing_twice(
    sb: SandboxHandle, kernels: list[Kernel], kernel_environment: dict[str, str], tmp_path: Path
) -> None:
    sb.configure(time_scale=1.5)  # images last ~6 s: still running when the kernel goes
    before_jobs, before_credits = sandbox_job_ids(sb), remaining_credits(sb)
    kernel = Kernel(kernel_environment, tmp_path)
    kernels.append(kernel)
    cell = kernel.start("""
        from sume_notebook import Sume
        client = Sume()
        jobs = [client.images.generate(f"restart test {i}") for i in range(5)]
        print("STARTED", *[job.id for job in jobs], flush=True)
        for job in jobs:
            job.wait()
        print("FINISHED")
        """)
    started = kernel.collect(cell, until="STARTED").split()
    ids = set(started[started.index("STARTED") + 1:started.index("STARTED") + 6])
    assert len(ids) == 5 and all(i.startswith("job_") for i in ids), started
    kernel.restart()
    running = [httpx.get(f"{sb.url}/jobs/{i}", headers={"Authorization": f"Bearer {sb.api_key}"}).json()["status"]
               for i in sorted(ids)]
    assert running.count("completed") < 5, running  # the restart came mid-wait

    found = kernel.run("""
        %load_ext sume_notebook
        %sume pending -o found
        print("PENDING", *found["id"])
        """)
    assert set(found.split("PENDING", 1)[1].split()) == ids, found
    finished = kernel.run("""
        from sume_notebook import Sume, pending
        client = Sume()
        print("STATUSES", *[client.jobs.wait(entry.id, timeout=60).status for entry in pending()])
        print("LEFT", len(pending()))
        """)
    assert finished.split("STATUSES", 1)[1].split()[:5] == ["completed"] * 5, finished
    assert "LEFT 0" in finished

    assert sandbox_job_ids(sb) - before_jobs == ids  # exactly five jobs, none created twice
    assert before_credits - remaining_credits(sb) == 5 * 2  # 2 credits per standard image, charged once each
    rows = Journal(tmp_path / "home" / "journal.sqlite3").entries()
    assert {r["job_id"] for r in rows} == ids and len(rows) == 5
    assert all(r["status"] == "completed" for r in rows)


def test_two_kernels_journalling_at_once_lose_nothing(
    sb: SandboxHandle, kernels: list[Kernel], kernel_environment: dict[str, str], tmp_path: Path
) -> None:
    per_kernel = 25
    before = sandbox_job_ids(sb)
    kernels += [Kernel(kernel_environment, tmp_path) for _ in range(2)]
    code = f"""
        from sume_notebook import Sume, PollSchedule
        client = Sume(poll_schedule=PollSchedule(first=0.05, cap=0.3))
        jobs = [client.images.generate(f"two kernels {{i}}") for i in range({per_kernel})]
        print("DONE", *[job.wait(timeout=60).status for job in jobs])
        """
    cells = [kernel.start(code) for kernel in kernels]  # both run at once
    outputs = [kernel.collect(cell) for kernel, cell in zip(kernels, cells)]
    for text in outputs:
        assert text.split("DONE", 1)[1].split() == ["completed"] * per_kernel, text
    created = sandbox_job_ids(sb) - before
    rows = Journal(tmp_path / "home" / "journal.sqlite3").entries()
    assert len(created) == 2 * per_kernel
    assert len(rows) == 2 * per_kernel and {r["job_id"] for r in rows} == created
    assert all(r["status"] == "completed" and r["request_state"] == "accepted" for r in rows)

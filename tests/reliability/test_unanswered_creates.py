"""Nothing accepted is lost, nothing is paid twice: a process killed (SIGKILL) while waiting for a create's answer.

A forwarding proxy in front of the sandbox lets the create through and holds its 202 answer back (the service
accepted and charged it; the process never learns the job id), or swallows the create (the service never saw it).
The child process is killed in that window. Then, in a fresh process, `pending()` lists the unresolved send and
`jobs.resolve()` settles it with the original idempotency key (replayed, or created now), or the identical magic
line run again reuses the key: one job, one charge.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from sume_notebook.notebook._testing import SumeShell
from sume_notebook.sandbox import SandboxHandle

from .conftest import sandbox_job_ids


class HoldingProxy:
    """Forwards TCP to the sandbox, except for the first create: `hold` forwards it and never passes its answer on,
    `swallow` never forwards it. `caught` is set once the held answer arrived, or the create was swallowed."""

    def __init__(self, sandbox: SandboxHandle, mode: str) -> None:
        parts = urlsplit(sandbox.url)
        self._target = (parts.hostname or "127.0.0.1", parts.port or 80)
        self._mode = mode
        self._armed = threading.Lock()  # taken (never given back) by the first create
        self.caught = threading.Event()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}{parts.path}"
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return  # closed
            upstream = socket.create_connection(self._target)
            self._sockets += [client, upstream]
            state = {"hold": False, "swallow": False}
            threading.Thread(target=self._requests, args=(client, upstream, state), daemon=True).start()
            threading.Thread(target=self._answers, args=(upstream, client, state), daemon=True).start()

    def _requests(self, source: socket.socket, sink: socket.socket, state: dict[str, bool]) -> None:
        while chunk := _receive(source):
            request_line = chunk.split(b"\r\n", 1)[0]
            if request_line.startswith(b"POST ") and b"/generations" in request_line and self._armed.acquire(False):
                state[self._mode] = True
                if self._mode == "swallow":
                    self.caught.set()
            if not state["swallow"]:
                sink.sendall(chunk)
        _shut(sink)

    def _answers(self, source: socket.socket, sink: socket.socket, state: dict[str, bool]) -> None:
        while chunk := _receive(source):
            if state["hold"]:
                self.caught.set()
                continue
            sink.sendall(chunk)
        _shut(sink)

    def close(self) -> None:
        self._server.close()
        for sock in self._sockets:
            _shut(sock)


def _receive(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except OSError:
        return b""


def _shut(sock: socket.socket) -> None:
    try:
        sock.close()
    except OSError:
        pass


@pytest.fixture
def proxy(request: pytest.FixtureRequest, sb: SandboxHandle) -> Iterator[HoldingProxy]:
    holding = HoldingProxy(sb, request.param)
    yield holding
    holding.close()


def credits(sb: SandboxHandle) -> int:
    answer = httpx.get(f"{sb.url}/credits", headers={"Authorization": f"Bearer {sb.api_key}"}, timeout=30)
    return int(answer.json()["remaining_credits"])


def child_env(sb: SandboxHandle, proxy: HoldingProxy, tmp_path: Path) -> dict[str, str]:
    """The child and the fresh process share the test's journal home, and reach the service through the proxy."""
    return {**os.environ, "SUME_API_KEY": sb.api_key, "SUME_BASE_URL": proxy.url,
            "SUME_NOTEBOOK_HOME": str(tmp_path / "home")}


def kill_while_waiting(code: str, proxy: HoldingProxy, env: dict[str, str]) -> None:
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    caught = proxy.caught.wait(60)
    child.kill()  # SIGKILL: no handler, no cleanup, the journal holds only what was written before the send
    _, stderr = child.communicate(timeout=30)
    assert caught, f"the create never reached the proxy: {stderr}"


CREATE = """
    from sume_notebook import Sume
    Sume().images.generate("a fox paid for once")
    """

RESOLVE = """
    import json
    from sume_notebook import Sume, pending
    before = [[e.id, e.state, e.request.get("prompt")] for e in pending()]
    with Sume() as client:
        resolved = client.jobs.resolve()
        statuses = [client.jobs.wait(r.job_id, timeout=60).status for r in resolved]
    print(json.dumps({"before": before, "outcomes": [[r.outcome, r.job_id] for r in resolved],
                      "statuses": statuses, "after": [[e.id, e.state] for e in pending()]}))
    """


@pytest.mark.parametrize("proxy, outcome, charged_before_resolving", [
    ("hold", "replayed", True),  # accepted and charged, the answer lost with the process
    ("swallow", "created", False),  # the first send never reached the service
], indirect=["proxy"])
def test_resolve_finds_the_job_of_a_killed_process_and_charges_once(
    proxy: HoldingProxy, outcome: str, charged_before_resolving: bool, sb: SandboxHandle, tmp_path: Path
) -> None:
    jobs_before, credits_before = sandbox_job_ids(sb), credits(sb)
    env = child_env(sb, proxy, tmp_path)
    kill_while_waiting(CREATE, proxy, env)
    charged = credits_before - credits(sb)
    assert (charged > 0) is charged_before_resolving

    done = subprocess.run([sys.executable, "-c", textwrap.dedent(RESOLVE)], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)

    assert seen["before"] == [[None, "unresolved", "a fox paid for once"]]
    [[said, job_id]] = seen["outcomes"]
    assert said == outcome and seen["statuses"] == ["completed"] and seen["after"] == []
    assert sandbox_job_ids(sb) - jobs_before == {job_id}  # one job
    price = credits_before - credits(sb)
    assert price > 0 and (not charged_before_resolving or price == charged)  # one charge


@pytest.mark.parametrize("proxy", ["hold"], indirect=True)
def test_the_identical_magic_line_reuses_the_key_of_a_killed_kernel(
    proxy: HoldingProxy, ip: SumeShell, sb: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = '%sume_generate image --prompt "a fox from a dead kernel"'
    jobs_before, credits_before = sandbox_job_ids(sb), credits(sb)
    env = child_env(sb, proxy, tmp_path)
    kill_while_waiting(f"""
        from sume_notebook.notebook._testing import SumeShell
        SumeShell(widgets="off").run({line!r})
        """, proxy, env)
    charged = credits_before - credits(sb)
    assert charged > 0

    monkeypatch.setenv("SUME_BASE_URL", proxy.url)  # the fresh shell talks to the same service
    run = ip.run(line + " --wait -o result")
    assert not run.has_traceback, run.stderr
    job = ip.shell.user_ns["result"].job
    assert job.status == "completed"
    assert sandbox_job_ids(sb) - jobs_before == {job.id}  # the job the dead kernel paid for
    assert credits_before - credits(sb) == charged  # and paid once
    assert ip.run("%sume pending").result.empty

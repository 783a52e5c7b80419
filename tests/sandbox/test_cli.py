"""`python -m sume_notebook.sandbox`: what it prints, that it serves, how it stops and what it refuses."""

from __future__ import annotations

import os
import selectors
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

START_TIMEOUT = 30.0


def launch(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "sume_notebook.sandbox", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def read_until(proc: subprocess.Popen[str], last_line: str, timeout: float = START_TIMEOUT) -> list[str]:
    """Lines of stdout up to and including the first one starting with `last_line`.

    Reads the pipe's file descriptor directly: a buffered readline would hide lines from select().
    """
    fd = proc.stdout.fileno()
    buffer = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            lines = buffer.decode().split("\n")
            for index, line in enumerate(lines[:-1]):
                if line.startswith(last_line):
                    return lines[:index + 1]
            if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                break
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            buffer += chunk
    stderr = proc.stderr.read() if proc.poll() is not None else ""
    raise AssertionError(f"no {last_line!r} line; stdout {buffer!r}, stderr {stderr!r}")


def values(lines: list[str]) -> dict[str, str]:
    return dict(line.split(" ", 1) for line in lines if line.split(" ", 1)[0] in ("url", "api_key", "admin_token"))


@pytest.fixture
def running(tmp_path) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    proc = launch("--port", "0", "--data-dir", str(tmp_path), "--time-scale", "0.05")
    try:
        yield proc, values(read_until(proc, "admin_token"))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def test_cli_prints_url_and_key_and_serves(running):
    proc, printed = running
    assert printed["url"].startswith("http://127.0.0.1:") and printed["url"].endswith("/api/v1")
    assert printed["api_key"].startswith("sume_test_")
    response = httpx.get(f"{printed['url']}/credits", headers={"Authorization": f"Bearer {printed['api_key']}"})
    assert response.status_code == 200 and response.json()["object"] == "credits"
    job = httpx.post(f"{printed['url']}/images/generations", json={"prompt": "CLI image"},
                     headers={"Authorization": f"Bearer {printed['api_key']}"})
    assert job.status_code == 202
    assert proc.poll() is None, "it keeps serving in the foreground"


def test_cli_stops_cleanly_on_sigint(running, tmp_path):
    proc, printed = running
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=15) == 0
    assert "Traceback" not in proc.stderr.read()
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{printed['url']}/credits", timeout=2)
    again = launch("--port", "0", "--data-dir", str(tmp_path))
    try:
        assert values(read_until(again, "api_key"))["api_key"] == printed["api_key"], "state survived the stop"
    finally:
        again.send_signal(signal.SIGINT)
        assert again.wait(timeout=15) == 0


def test_cli_stops_cleanly_on_terminate(running, tmp_path):
    proc, printed = running
    proc.terminate()
    assert proc.wait(timeout=15) == 0, "SIGTERM stops the server as Ctrl-C does"
    assert "Traceback" not in proc.stderr.read()
    assert not (tmp_path / "sandbox.sqlite3-wal").exists(), "the database was closed"
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{printed['url']}/credits", timeout=2)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com"])
def test_cli_refuses_a_non_loopback_host(tmp_path, host):
    proc = launch("--host", host, "--port", "0", "--data-dir", str(tmp_path / "never"))
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert stdout == ""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "loopback" in lines[0]
    assert "Traceback" not in stderr
    assert not (tmp_path / "never").exists(), "nothing is created before the refusal"


def test_cli_demo_prints_prices_and_three_working_curl_commands(tmp_path):
    proc = launch("--port", "0", "--data-dir", str(tmp_path), "--time-scale", "0.05", "--demo")
    try:
        lines = read_until(proc, "Press Ctrl-C")
        text = "\n".join(lines)
        printed = values(lines)
        for job_type, price in [("image_generation", "2 credits per image"), ("video_generation", "per second"),
                                ("ad_video_generation", "40"), ("face_swap", "15"), ("reference_analysis", "5"),
                                ("asset_upload", "free")]:
            line = next(line for line in lines if line.startswith(job_type + " "))
            assert price in line
        curls = [line.strip() for line in lines if line.strip().startswith("curl ")]
        assert len(curls) == 3
        assert printed["url"] in text and printed["api_key"] in text

        if shutil.which("curl") and shutil.which("bash"):
            # Run the printed commands as a user would paste them.
            start = next(i for i, line in enumerate(lines) if line.strip().startswith("export "))
            script = "\n".join(lines[start:-1])
            done = subprocess.run(["bash", "-c", script.replace("curl -s", "curl -sS --fail -w '\\n'")],
                                  capture_output=True, text=True, timeout=30, check=False)
            assert done.returncode == 0, done.stderr
            outputs = [line for line in done.stdout.splitlines() if line.strip()]
            assert len(outputs) == 3
            assert '"object":"credits"' in outputs[0].replace(" ", "")
            assert '"object":"image_generation"' in outputs[1].replace(" ", "")
            assert '"object":"list"' in outputs[2].replace(" ", "")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def scene_count(printed: dict[str, str]) -> int:
    """The primary workspace's scenes, counted by paging `GET /assets` as a client would."""
    count, params = 0, {"limit": "100"}
    with httpx.Client(base_url=printed["url"], headers={"Authorization": f"Bearer {printed['api_key']}"}) as api:
        while True:
            page = api.get("/assets", params=params).json()
            count += len(page["data"])
            if not page["next_cursor"]:
                return count
            params["cursor"] = page["next_cursor"]


def test_cli_seeds_a_library_of_the_size_asked_once(tmp_path):
    for _ in range(2):  # the second start finds the library seeded and leaves it as it is
        proc = launch("--port", "0", "--data-dir", str(tmp_path), "--seed-scenes", "2500")
        try:
            assert scene_count(values(read_until(proc, "admin_token"))) == 2500
        finally:
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=15) == 0


def test_cli_refuses_a_negative_library_size(tmp_path):
    proc = launch("--port", "0", "--data-dir", str(tmp_path / "never"), "--seed-scenes", "-5")
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 2 and stderr.startswith("error:") and "seed_scenes" in stderr
    assert not (tmp_path / "never").exists()

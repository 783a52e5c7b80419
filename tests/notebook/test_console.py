"""The console `sume`: the terminal front end of the `%sume` commands, run as a real subprocess against the sandbox.

What a script relies on: `--json` is the only thing on stdout, messages go to stderr, the exit code says what
happened (and `--help` says which code means what), lists continue from a printed `next_cursor`, and the journal
is shared with the notebook.
"""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sume_notebook.notebook._testing import SumeShell
from sume_notebook.notebook.cmd import EXIT_CODES
from sume_notebook.sandbox import SandboxHandle
from tests.notebook.console_support import console, console_env
from tests.support import requests_to

VIDEOS = "POST /api/v1/videos/generations"


def test_help_lists_the_commands_and_every_exit_code(tmp_path: Path) -> None:
    done = console("--help", cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == ""
    for word in ("images", "face-swap", "reference-analysis", "uploads", "assets", "jobs", "avatars", "brand"):
        assert word in done.stdout
    for code, meaning in EXIT_CODES.items():
        assert f"{code:<4} {meaning}" in done.stdout
    one = console("images", "generate", "--help", cwd=tmp_path)
    assert one.returncode == 0 and "--aspect-ratio" in one.stdout and "--script" not in one.stdout


def test_json_is_all_of_stdout_and_messages_go_to_stderr(env: SandboxHandle, tmp_path: Path) -> None:
    done = console("jobs", "result", "--help", cwd=tmp_path)
    assert "--download" in done.stdout
    job = json.loads(console("images", "generate", "--prompt", "a fox", "--json", cwd=tmp_path).stdout)
    done = console("jobs", "result", job["id"], "--download", "out", "--json", cwd=tmp_path)
    assert done.returncode == 0
    assert json.loads(done.stdout)["job"]["id"] == job["id"]  # the whole of stdout is one document
    assert f"Saved {job['id']}" in done.stderr and list((tmp_path / "out").iterdir())


def test_a_terminal_gets_a_progress_bar_and_a_pipe_gets_none(env: SandboxHandle, tmp_path: Path) -> None:
    words = ["images", "generate", "--prompt", "watch me", "--wait", "--json"]
    piped = console(*words, cwd=tmp_path)
    assert piped.returncode == 0 and piped.stderr == "" and json.loads(piped.stdout)["job"]["status"] == "completed"
    controller, terminal = pty.openpty()
    run = subprocess.Popen([sys.executable, "-m", "sume_notebook", *words, "--new"], cwd=tmp_path, env=console_env(),
                           stdout=subprocess.PIPE, stderr=terminal, text=True)
    os.close(terminal)
    out, _ = run.communicate(timeout=120)
    drawn = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal side is closed and drained
            break
        if not chunk:
            break
        drawn += chunk
    os.close(controller)
    assert run.returncode == 0 and json.loads(out)["job"]["status"] == "completed"
    assert b"\r" in drawn and b"completed  [" + b"#" * 24 + b"] 100%" in drawn


def test_without_json_the_terminal_gets_readable_text(env: SandboxHandle, tmp_path: Path) -> None:
    done = console("credits", cwd=tmp_path)
    assert done.returncode == 0 and "Sume credits" in done.stdout and "remaining" in done.stdout
    listed = console("avatars", "list", "--limit", "2", cwd=tmp_path)
    assert listed.returncode == 0 and "capabilities" in listed.stdout and "--cursor" in listed.stderr


def test_a_list_continues_from_the_cursor_it_printed(env: SandboxHandle, tmp_path: Path) -> None:
    first = json.loads(console("avatars", "list", "--limit", "3", "--json", cwd=tmp_path).stdout)
    assert len(first["data"]) == 3 and first["next_cursor"]
    rest = json.loads(console("avatars", "list", "--limit", "3", "--cursor", first["next_cursor"], "--json",
                              cwd=tmp_path).stdout)
    everything = json.loads(console("avatars", "list", "--json", cwd=tmp_path).stdout)
    assert [a["id"] for a in first["data"] + rest["data"]] == [a["id"] for a in everything["data"]][:6]


@pytest.mark.parametrize(
    ("words", "code", "said"),
    [
        (["images", "generate", "--prompt", "x", "--aspect-ratio", "2:1"], 2, "--aspect-ratio: must be one of"),
        (["images", "generate", "--script", "x"], 2, "unrecognized arguments: --script"),
        (["no-such-command"], 2, "invalid choice"),
        (["jobs", "get", "job_missing"], 3, "404"),
    ],
)
def test_exit_codes_say_what_happened(words: list[str], code: int, said: str, env: SandboxHandle, tmp_path: Path) -> None:
    done = console(*words, cwd=tmp_path)
    assert done.returncode == code and said in done.stderr and done.stdout == ""


def test_an_api_error_names_the_endpoint_and_the_request_id(env: SandboxHandle, tmp_path: Path) -> None:
    done = console("jobs", "result", "job_missing", cwd=tmp_path)
    assert done.returncode == 3
    assert "GET /jobs/{jobId}/result" in done.stderr and "job_missing" not in done.stderr.split("endpoint")[1].split("\n")[0]
    assert "request id  req_" in done.stderr


def test_a_failed_job_exits_1_and_a_timeout_4(env: SandboxHandle, tmp_path: Path) -> None:
    env.add_job_fault("failed", type="image_generation")
    failed = console("images", "generate", "--prompt", "doomed", "--wait", "--json", cwd=tmp_path)
    assert failed.returncode == 1 and "Job failed" in failed.stderr and failed.stdout == ""
    env.configure(time_scale=1.0)
    slow = console("videos", "generate", "--prompt", "slow waves", "--duration", "15", "--wait", "--timeout", "0.5",
                   cwd=tmp_path)
    assert slow.returncode == 4 and "still running" in slow.stderr.lower() and "sume jobs wait job_" in slow.stderr


def test_ctrl_c_exits_130_and_the_job_keeps_running(env: SandboxHandle, tmp_path: Path) -> None:
    env.configure(time_scale=1.0)
    waiting = subprocess.Popen([sys.executable, "-m", "sume_notebook", "videos", "generate", "--prompt", "long take",
                                "--duration", "15", "--wait"], cwd=tmp_path, env=console_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while requests_to(env, VIDEOS) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    waiting.send_signal(signal.SIGINT)
    _, err = waiting.communicate(timeout=30)
    assert waiting.returncode == 130 and "keeps running" in err
    pending = console("pending", cwd=tmp_path)
    assert "long take" in pending.stdout


def test_without_a_key_the_console_says_so_and_starts_no_sandbox(tmp_path: Path) -> None:
    done = console("credits", cwd=tmp_path, SUME_API_KEY=None, SUME_BASE_URL=None)
    assert done.returncode == 2 and "SUME_API_KEY" in done.stderr and "sandbox" not in done.stderr.lower()


def test_the_journal_is_shared_with_the_notebook(ip: SumeShell, env: SandboxHandle, tmp_path: Path) -> None:
    env.configure(time_scale=1.0)
    started = json.loads(console("videos", "generate", "--prompt", "from a terminal", "--duration", "15", "--json",
                                 cwd=tmp_path).stdout)
    assert started["id"] in ip.run("%sume pending").text
    ip.run('%sume videos generate --prompt "from a notebook" --duration 15 -o job')
    notebook_job = ip.shell.user_ns["job"].id
    assert notebook_job in console("pending", cwd=tmp_path).stdout


def test_help_is_the_same_parser_in_both_front_ends(
    ip: SumeShell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")  # argparse wraps to the terminal's width: the same for both
    in_terminal = console("assets", "search", "--help", cwd=tmp_path).stdout
    in_notebook = ip.run("%sume assets search --help").stdout
    assert "--cursor" in in_terminal
    assert in_terminal.split("\n\n", 1)[1] == in_notebook.split("\n\n", 1)[1]  # past the usage line, which names the prog

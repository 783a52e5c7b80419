"""The job journal: what is written when, that it survives a killed process, and two writers at once."""

from __future__ import annotations

import os
import signal
import time
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sume_notebook import AsyncSume, Journal, history, pending
from sume_notebook.sandbox import SandboxHandle


def run_python(code: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


async def test_lifecycle_is_recorded_without_secrets(client: AsyncSume, sb: SandboxHandle, tmp_path: Path) -> None:
    brand = await client.brand.current()
    job = await client.images.generate("journal me", aspect_ratio="1:1", reference_image_urls=brand.reference_urls[:1])
    [entry] = pending()
    assert entry.id == job.id and entry.kind == "image" and entry.request["prompt"] == "journal me"
    await job.wait()
    await (await job.result()).download(tmp_path / "out")
    assert pending() == []
    [row] = history().to_dict("records")
    assert row["job_id"] == job.id and row["status"] == "completed" and row["request_state"] == "accepted"
    assert row["request_aspect_ratio"] == "1:1" and row["finished_at"] >= row["created_at"]
    assert row["request_reference_image_urls"][0].endswith("?…")
    raw = b"".join(p.read_bytes() for p in (tmp_path / "home").iterdir())
    assert sb.api_key.encode() not in raw and b"token=" not in raw


async def test_refused_create_is_recorded_as_rejected(sb: SandboxHandle) -> None:
    async with AsyncSume(api_key=sb.keys["poor"], base_url=sb.url) as poor:
        with pytest.raises(Exception):
            await poor.videos.generate("too expensive", duration=15, resolution="720p")
    [row] = history().to_dict("records")
    assert row["request_state"] == "rejected" and row["error_code"] == "insufficient_credits" and row["request_id"]


def test_a_killed_process_leaves_its_job_pending(sb: SandboxHandle, tmp_path: Path) -> None:
    child = run_python(
        """
        from sume_notebook import Sume
        client = Sume()
        job = client.videos.generate("crash test", duration=4)
        print(job.id, flush=True)
        job.wait()
        print("finished", flush=True)
        """,
        {"SUME_API_KEY": sb.api_key, "SUME_BASE_URL": sb.url, "SUME_NOTEBOOK_HOME": str(tmp_path / "home")},
    )
    job_id = child.stdout.readline().strip()
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert job_id.startswith("job_"), child.stderr.read()
    [entry] = pending()
    assert entry.id == job_id and entry.status == "queued"
    from sume_notebook import Sume

    with Sume(api_key=sb.api_key, base_url=sb.url) as client:
        job = client.jobs.attach(entry.id)
        assert job.wait().status == "completed"
    assert pending() == []
    assert history(all=True)["job_id"].tolist() == [job_id]  # attached, not journalled twice (made by the child)


def test_attaching_a_job_that_ended_meanwhile_settles_it_in_the_journal(sb: SandboxHandle, tmp_path: Path) -> None:
    child = run_python(
        """
        from sume_notebook import Sume
        job = Sume().images.generate("ends while nobody watches")
        print(job.id, flush=True)
        """,
        {"SUME_API_KEY": sb.api_key, "SUME_BASE_URL": sb.url, "SUME_NOTEBOOK_HOME": str(tmp_path / "home")},
    )
    job_id = child.stdout.readline().strip()
    child.wait()
    ends_at = sb.job_timeline(job_id)["ends_at"]
    time.sleep(max(0.0, ends_at - time.time()) + 0.05)
    [entry] = pending()
    from sume_notebook import Sume

    with Sume(api_key=sb.api_key, base_url=sb.url) as client:
        assert client.jobs.attach(entry.id).status == "completed"
    assert pending() == []  # no wait() needed: attach itself records the terminal status


def test_two_processes_write_at_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    Journal(path)
    writer = """
        import sys
        from sume_notebook import Journal
        journal = Journal(sys.argv[1])
        tag = sys.argv[2]
        for i in range(150):
            key = f"{tag}-{i}"
            journal.record_request(key, "image", "/images/generations", {"prompt": key}, "http://x/api/v1", "fp")
            journal.record_accepted(key, [(f"job_{key}", "image_generation", "queued")], None, "http://x/api/v1", "fp")
            journal.record_status(f"job_{key}", "completed", None, None, None, base_url="http://x/api/v1")
        """
    procs = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(writer), str(path), tag]) for tag in ("a", "b")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    rows = Journal(path).entries()
    assert len(rows) == 300 and len({r["job_id"] for r in rows}) == 300
    assert all(r["status"] == "completed" for r in rows)
    assert Journal(path).pending() == []


def test_the_default_home_is_the_platforms_user_data_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import platformdirs

    from sume_notebook import data_home

    monkeypatch.delenv("SUME_NOTEBOOK_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # honoured on Linux, ignored elsewhere
    assert data_home() == Path(platformdirs.user_data_dir("sume-notebook", appauthor=False))
    if sys.platform.startswith("linux"):
        assert data_home() == tmp_path / "data" / "sume-notebook"
    monkeypatch.setenv("SUME_NOTEBOOK_HOME", str(tmp_path / "mine"))  # always first
    assert data_home() == tmp_path / "mine"

"""`history()`: this notebook's rows by default (the journal knows where each job came from), filters, and columns
in reading order."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from sume_notebook import AsyncSume, InvalidRequestError, Journal, history
from sume_notebook.notebook._testing import SumeShell
from sume_notebook.sandbox import SandboxHandle
from tests.support import QUICK_POLLS

READING_ORDER = ["prompt", "kind", "status", "duration", "created"]


async def test_history_shows_this_notebook_unless_asked_for_all(
    client: AsyncSume, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JPY_SESSION_NAME", "work/first.ipynb")  # what Jupyter Server tells each kernel
    first = await client.images.generate("from the first notebook")
    monkeypatch.setenv("JPY_SESSION_NAME", "work/second.ipynb")
    second = await client.images.generate("from the second notebook")

    assert history()["job_id"].tolist() == [second.id]
    everything = history(all=True)
    assert everything["job_id"].tolist() == [first.id, second.id]
    assert everything["origin"].tolist() == ["work/first.ipynb", "work/second.ipynb"]


def run_child(args: list[str], cwd: Path, sb: SandboxHandle) -> str:
    env = {**os.environ, "SUME_API_KEY": sb.api_key, "SUME_BASE_URL": sb.url}
    env.pop("JPY_SESSION_NAME", None)
    done = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


CREATE = """
    import sys
    from sume_notebook import Sume
    Sume().images.generate("from a " + sys.argv[1])
    print("IPython" in sys.modules)
    """


def test_each_job_records_its_script_or_working_directory(sb: SandboxHandle, tmp_path: Path) -> None:
    workdir = tmp_path / "project"
    workdir.mkdir()
    script = workdir / "make_pictures.py"
    script.write_text(textwrap.dedent(CREATE))

    assert run_child([str(script), "script"], tmp_path, sb).split() == ["False"]  # the client never imports IPython
    assert run_child(["-c", textwrap.dedent(CREATE), "one-liner"], workdir, sb).split() == ["False"]

    origins = {row["request"]["prompt"]: row["origin"] for row in Journal(tmp_path / "home" / "journal.sqlite3").entries()}
    assert origins == {"from a script": str(script), "from a one-liner": str(workdir)}


def test_vs_code_names_the_notebook_in_the_user_namespace(ip: SumeShell, sb: SandboxHandle) -> None:
    ip.shell.user_ns["__vsc_ipynb_file__"] = "/home/me/ads/storyboard.ipynb"
    try:
        ip.run('%sume_generate image --prompt "from VS Code" -o job')
    finally:
        del ip.shell.user_ns["__vsc_ipynb_file__"]
    [origin] = history(all=True)["origin"].tolist()
    assert origin == "/home/me/ads/storyboard.ipynb"


async def test_filters_and_reading_order(client: AsyncSume, sb: SandboxHandle) -> None:
    image = await client.images.generate("a lighthouse")
    video = await client.videos.generate("waves", duration=4)
    await image.wait()
    await video.wait()
    async with AsyncSume(api_key=sb.keys["poor"], base_url=sb.url, poll_schedule=QUICK_POLLS) as poor:
        with pytest.raises(Exception):
            await poor.videos.generate("too expensive", duration=15, resolution="720p")

    frame = history()
    assert list(frame.columns[:5]) == READING_ORDER
    assert frame["prompt"].tolist() == ["a lighthouse", "waves", "too expensive"]
    assert frame["kind"].tolist() == ["image", "video", "video"]
    assert frame["status"].astype(str).tolist() == ["completed", "completed", "rejected"]
    assert frame["duration"].dtype == float and (frame["duration"][:2] > 0).all() and frame["duration"].isna()[2]
    assert all(created.microsecond == 0 for created in frame["created"])

    assert history(kind="videos")["prompt"].tolist() == ["waves", "too expensive"]  # any spelling of a kind
    assert history(kind="video", status="completed")["job_id"].tolist() == [video.id]
    assert history(status="rejected")["prompt"].tolist() == ["too expensive"]
    assert len(history(since="1h")) == 3 and len(history(since=datetime.now() - timedelta(minutes=5))) == 3
    assert history(since=(datetime.now() + timedelta(days=1)).date().isoformat()).empty
    for bad in ({"since": "yesterday-ish"}, {"kind": "sculpture"}):
        with pytest.raises(InvalidRequestError):
            history(**bad)


def test_history_of_an_empty_journal_is_an_empty_frame() -> None:
    assert history().empty and history(all=True, since="2d", kind="image", status="completed").empty


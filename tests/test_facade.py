"""The blocking `Sume`: derived from `AsyncSume`, usable in scripts, threads and inside a running event loop."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from sume_notebook import Blocking, Job, Sume
from sume_notebook.sandbox import SandboxHandle


async def test_blocking_calls_inside_a_running_loop(sume: Sume) -> None:
    asyncio.get_running_loop()  # as in a Jupyter cell
    job = sume.images.generate("inside a loop")
    assert job.wait().status == "completed"
    assert isinstance(job, Blocking) and isinstance(job.__wrapped__, Job)


def test_from_many_threads(sume: Sume) -> None:
    with ThreadPoolExecutor(4) as pool:
        credits = list(pool.map(lambda _: sume.credits().max_active_generations, range(8)))
    assert credits == [4] * 8


def test_iteration_pages_and_early_exit(sume: Sume) -> None:
    first = next(iter(sume.assets.search("hook", limit=3)))
    assert first.id
    pages = list(sume.assets.search("hook", limit=3, max_items=7).pages())
    assert [len(p) for p in pages] == [3, 3, 1]
    assert len(sume.jobs.list(max_items=2).to_list()) <= 2


def test_callbacks_see_blocking_objects_and_cannot_block_the_loop(sume: Sume) -> None:
    seen: list[object] = []

    def on_update(job: Job) -> None:
        seen.append(job)
        try:
            job.refresh()
        except RuntimeError as exc:
            seen.append(exc)

    sume.images.generate("callbacks").wait(on_update=on_update)
    assert isinstance(seen[0], Blocking)
    assert isinstance(seen[1], RuntimeError) and "callback" in str(seen[1])


def test_spawn_runs_in_the_background(sume: Sume) -> None:
    job = sume.images.generate("background")
    future = sume.spawn(job.__wrapped__.wait())
    assert future.result(timeout=30).status == "completed"


def test_face_swap_list_is_wrapped(sume: Sume, sample_video) -> None:
    upload = sume.uploads.upload_file(sample_video, "face_swap_source_video")
    jobs = sume.face_swap.create(upload, ["avt_mia", "avt_leo"], duration_seconds=2)
    assert all(isinstance(j, Blocking) for j in jobs)
    assert [j.wait().status for j in jobs] == ["completed", "completed"]


def test_works_in_a_plain_script(sb: SandboxHandle) -> None:
    code = ("from sume_notebook import Sume\n"
            "with Sume() as s:\n    print(s.images.generate('script').wait().status)\n")
    env = {"SUME_API_KEY": sb.api_key, "SUME_BASE_URL": sb.url, "PATH": "/usr/bin:/bin",
           "SUME_NOTEBOOK_HOME": os.environ["SUME_NOTEBOOK_HOME"]}  # the test's journal, not the user's
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "completed", out.stderr


def test_importing_the_package_stays_light() -> None:
    code = "import sys, sume_notebook; print('pandas' in sys.modules, 'httpx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["False", "False"]


def test_unknown_attribute_is_an_attribute_error(sume: Sume) -> None:
    with pytest.raises(AttributeError):
        sume.no_such_resource


def test_every_client_name_is_exported_from_the_package() -> None:
    import sume_notebook
    import sume_notebook.client

    assert set(sume_notebook.client.__all__) <= set(sume_notebook.__all__)
    assert all(getattr(sume_notebook, name) is not None for name in sume_notebook.__all__)

"""Every example notebook reruns: twice in a row in one journal, and after the other notebooks in a shared one.

The journal is one SQLite file per machine (`SUME_NOTEBOOK_HOME`), so a notebook run there meets earlier runs of
itself and other notebooks' jobs, finished or not. A notebook must work on the jobs it creates, never on "the last
jobs of the journal" or whatever `pending()` returns. So each notebook runs in a real kernel (nbclient, as in
`test_notebooks.py`) with a probe cell appended that prints the ids of the jobs its results were computed from
(its `-o` variables, the client's return values, the journal rows it kept); every one of them must be a job this
run added to the journal.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from sume_notebook import Sume, default_journal
from sume_notebook.demo import execute_notebook, kernel_env
from sume_notebook.sandbox import SandboxHandle, start_sandbox
from tests.support import PLENTY_OF_CREDITS

from .test_notebooks import NOTEBOOKS
from .test_quickstart_kernel import TIME_SCALE

MARKER = "SUME-RERUN-PROBE "
# Per notebook: what its results were computed from. "jobs" are job ids, "recovered" the ids a notebook picked up
# from `pending()`, "sources" the Asset Library source videos of the scenes it found, "read_back" the analyses
# `analyze_many` read back from the journal (the same reel analysed before: never paid twice, by design; they must
# be journalled before the run, never a job of the run itself). The quickstart keeps no job
# in a variable (its history is an illustration): it has no probe, and only its run without errors is checked.
PROBES = {
    "02-prompt-iteration.ipynb": """{"jobs": [job.id for job in ours] + [story_id, feed_id] + list(runs["job_id"])
                                    + list(images["job_id"])}""",
    "03-asset-library.ipynb": """{"jobs": [made.id, upload.job_id], "sources": list(mine["source_video_id"])}""",
    "04-reference-analysis.ipynb": """{"jobs": [j for j in reels.job_ids.values() if j not in reels.read_back],
                                      "read_back": sorted(reels.read_back)}""",
    "05-ads-and-face-swap.ipynb": """{"jobs": [clip_job.id] + [job.id for job in swaps]}""",
    "06-batches-and-recovery.ipynb": """{"jobs": [job.id for job in jobs + batch] + started + list(ours["job_id"]),
        "started": started, "recovered": [entry.id for entry in waiting] + [job.id for job in recovered]}""",
    "08-library-at-scale.ipynb": """{"jobs": [video.id] + [job.id for job in analyses]}""",
}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    """One sandbox for every run, as one service for every notebook; enough credits for them all."""
    with start_sandbox(data_dir=tmp_path_factory.mktemp("sandbox"), time_scale=TIME_SCALE) as handle:
        handle.configure(credits=PLENTY_OF_CREDITS)
        yield handle


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The journal home the kernels share, which this process reads too (`journalled_ids`, `default_journal`)."""
    monkeypatch.setenv("SUME_NOTEBOOK_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def journalled_ids() -> set[str]:
    """Every job id the journal under `SUME_NOTEBOOK_HOME` (the `home` fixture) holds."""
    return {row["job_id"] for row in default_journal().entries() if row["job_id"]}


def probed_copy(path: Path, directory: Path) -> Path:
    """The notebook with a last cell printing what its results were computed from (see PROBES)."""
    notebook = nbformat.read(path, as_version=4)
    source = f"import json as _json\nprint({MARKER!r} + _json.dumps({PROBES.get(path.name, '{}')}))"
    notebook.cells.append(nbformat.v4.new_code_cell(source))
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / path.name
    nbformat.write(notebook, target)
    return target


def run(path: Path, sandbox: SandboxHandle, home: Path, work: Path, scratch: Path) -> dict[str, Any]:
    """Execute the notebook in a fresh kernel (raising on any cell error); check that every job it worked on is one
    this run created; return its probe, with `"seconds"`."""
    before = journalled_ids()
    env = kernel_env(sandbox.url, sandbox.api_key, SUME_NOTEBOOK_HOME=str(home))
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    notebook = execute_notebook(probed_copy(path, scratch), env, cwd=work)
    seconds = time.monotonic() - started
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    errors = [output for output in outputs if output.output_type == "error"]
    assert not errors, [f"{output.ename}: {output.evalue}" for output in errors]
    printed = "".join(output.get("text", "") for output in notebook.cells[-1].outputs)
    probe: dict[str, Any] = json.loads(printed.split(MARKER, 1)[1])

    created = journalled_ids() - before
    used = set(probe.get("jobs", []))
    assert used <= created, f"{path.name} worked on jobs it did not create in this run: {sorted(used - created)}"
    read_back = set(probe.get("read_back", []))
    assert read_back <= before, f"{path.name} read back analyses the journal did not hold: {read_back - before}"
    if path.name in PROBES:
        assert used or read_back, f"{path.name} worked on no job of its own"
    recovered = set(probe.get("recovered", []))
    assert recovered <= set(probe.get("started", [])), f"{path.name} picked up jobs it did not start: {recovered}"
    return {**probe, "seconds": seconds}


def leave_unfinished_jobs(sandbox: SandboxHandle) -> set[str]:
    """What a notebook whose kernel died leaves in the journal: accepted jobs it never saw finish."""
    with Sume(api_key=sandbox.api_key, base_url=sandbox.url) as other:
        jobs = [other.images.generate(prompt="Another notebook's product shot", aspect_ratio="1:1"),
                other.videos.generate(prompt="Another notebook's unboxing", duration=4, resolution="480p",
                                      aspect_ratio="9:16")]
    left = {entry.id for entry in default_journal().pending()}
    assert {job.id for job in jobs} <= left
    return left


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_reruns_on_its_own_jobs(path: Path, tmp_path: Path, home: Path, sandbox: SandboxHandle) -> None:
    """Run twice in the same folder, journal and sandbox, as a person reruns a notebook: the second run works on
    its own jobs, not the first run's."""
    first = run(path, sandbox, home, tmp_path / "work", tmp_path / "notebooks")
    second = run(path, sandbox, home, tmp_path / "work", tmp_path / "notebooks")
    if "sources" in second:
        assert second["sources"], "the second run found no scene of its upload"
        assert not set(second["sources"]) & set(first["sources"]), "the second run found the first run's upload"
    print(f"{path.name}: {first['seconds']:.1f} s, then {second['seconds']:.1f} s")


def test_notebooks_run_one_after_another_in_one_journal(tmp_path: Path, home: Path, sandbox: SandboxHandle) -> None:
    """Every notebook in one folder and one journal that already holds another notebook's unfinished jobs, and
    then the jobs of the notebooks run before it: none of that changes what a notebook works on."""
    foreign = leave_unfinished_jobs(sandbox)
    for path in NOTEBOOKS:
        probe = run(path, sandbox, home, tmp_path / "work", tmp_path / "notebooks")
        print(f"{path.name}: {probe['seconds']:.1f} s")
    assert foreign <= {entry.id for entry in default_journal().pending()}, "a notebook picked up another's jobs"

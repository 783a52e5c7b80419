"""Benchmark 5, widget traffic: what 100 live jobs cost the kernel in comm messages and CPU.

Runs in this process, as a kernel would, against an in-process sandbox (time scale 1.5: images of about 6 s).
Each side runs twice (ours, baseline, baseline, ours) and keeps its run with the lower kernel CPU share.
Both sides create their jobs first (the same way, not measured); the window then runs from building the widgets
until every job is shown in its final state. Messages/s and the CPU share are taken while the jobs run: from the
window's start to the last job end the sandbox recorded. Per job figures count the whole window, which for ours
includes loading and sending the 100 previews. Comm messages are counted at ipywidgets' own `Widget._send` (a
state update to the frontend; opening a widget's comm is not counted, on either side, nor a call made before the
widget's comm is open, which sends nothing: anywidget declares its traits then). Outside a kernel the
messages go nowhere, so the figures are what a kernel would send, not what a frontend would render.

Ours: one `JobGrid(jobs, labels)` over blocking `Sume` jobs, with its default poll schedule, the shared throttle
and live board (the browser moves elapsed time and an estimated bar; the kernel sends the grid's real changes, one
message per tick) and the previews it loads once each job completes.
Baseline, as a user would write it: one `ipywidgets.FloatProgress` per job, `GET /jobs/{id}` with plain httpx
once a second per job, setting the bar's value and description from every answer, no throttle, no preview.

The kernel's CPU is this process's CPU time minus what the sandbox's own threads (`sume-sandbox` and its AnyIO
workers, sampled from /proc on Linux) spent: the sandbox stands in for a remote service. Shares are of one core.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Self

import httpx
import ipywidgets

from sume_notebook import Sume

from ._by_hand import TERMINAL
from ._sandbox import Bench, fresh_sandbox
from ._table import Row
from ._turns import best_per_side

__all__ = ["NUMBER", "run"]

NUMBER = 5
_SANDBOX_THREADS = ("sume-sandbox", "AnyIO worker thread")
_TIMEOUT = 300.0


@dataclass(frozen=True)
class Phase:
    """One side's figures: over the whole window, and while the jobs ran (until the last end the sandbox recorded)."""

    seconds: float
    messages: int
    kernel_cpu: float  # seconds
    sandbox_cpu: float  # seconds
    running_seconds: float
    running_messages: int
    running_kernel_cpu: float

    @property
    def running_per_second(self) -> float:
        return self.running_messages / self.running_seconds

    @property
    def running_share(self) -> float:
        return 100 * self.running_kernel_cpu / self.running_seconds


class _Sampler:
    """(epoch, process CPU, sandbox threads' CPU) every 0.1 s; thread CPU is read from /proc (Linux; else 0)."""

    def __init__(self) -> None:
        self._tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self._threads: dict[int, float] = {}
        self.samples: list[tuple[float, float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample_every, name="bench-cpu-sampler", daemon=True)

    def _sample(self) -> None:
        for thread in threading.enumerate():
            if thread.native_id is None or not thread.name.startswith(_SANDBOX_THREADS):
                continue
            try:
                with open(f"/proc/self/task/{thread.native_id}/stat", encoding="ascii") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:  # ended meanwhile (it keeps its last sample) or no /proc
                continue
            self._threads[thread.native_id] = (int(fields[11]) + int(fields[12])) / self._tick  # utime + stime
        self.samples.append((time.time(), time.process_time(), sum(self._threads.values())))

    def _sample_every(self) -> None:
        while not self._stop.wait(0.1):
            self._sample()

    def __enter__(self) -> Self:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


class _Messages:
    """Records the moment of every `ipywidgets.Widget._send` call that sends (one comm message), passing each on."""

    def __init__(self) -> None:
        self.moments: list[float] = []

    @contextmanager
    def patched(self) -> Iterator[_Messages]:
        original = ipywidgets.Widget._send

        def counting(widget: ipywidgets.Widget, msg: dict[str, Any], buffers: Any = None) -> None:
            if widget.comm is not None:  # else `_send` sends nothing
                self.moments.append(time.time())  # list.append is atomic: sends come from several threads
            original(widget, msg, buffers)

        ipywidgets.Widget._send = counting  # type: ignore[method-assign]
        try:
            yield self
        finally:
            ipywidgets.Widget._send = original  # type: ignore[method-assign]


class _Window:
    """Measures what runs inside `with`; `phase(last_end)` splits it at the jobs' last recorded end."""

    def __init__(self, messages: _Messages) -> None:
        self._messages = messages
        self._sampler = _Sampler()

    def __enter__(self) -> Self:
        self._first = len(self._messages.moments)
        self._sampler.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._sampler.__exit__(*exc)
        self._moments = self._messages.moments[self._first:]

    def phase(self, last_end: float) -> Phase:
        samples = self._sampler.samples
        (start, cpu0, box0), (stop, cpu1, box1) = samples[0], samples[-1]
        running = [s for s in samples if s[0] <= last_end] or samples[:1]
        at, cpu_r, box_r = running[-1]
        return Phase(
            seconds=stop - start, messages=len(self._moments),
            kernel_cpu=max(0.0, (cpu1 - cpu0) - (box1 - box0)), sandbox_cpu=box1 - box0,
            running_seconds=max(at - start, 1e-3), running_messages=sum(1 for m in self._moments if m <= at),
            running_kernel_cpu=max(0.0, (cpu_r - cpu0) - (box_r - box0)),
        )


def _ours(bench: Bench, jobs: int, messages: _Messages) -> Phase:
    from sume_notebook.widgets import JobGrid

    with Sume(api_key=bench.box.api_key, base_url=bench.box.url, journal=bench.workdir / "journal.sqlite3") as client:
        created = [client.images.generate(f"bench job {i}") for i in range(jobs)]
        with _Window(messages) as window:
            grid = JobGrid(created, [f"job {i}" for i in range(jobs)])
            grid.done.result(timeout=_TIMEOUT)
    failed = [view.phase for view in grid.views if view.phase != "completed"]
    if failed:
        raise RuntimeError(f"{len(failed)} of ours did not complete: {sorted(set(failed))}")
    return window.phase(max(bench.ends_at(job.id) for job in created))


async def _by_hand(bench: Bench, jobs: int, messages: _Messages) -> Phase:
    async with httpx.AsyncClient(base_url=bench.box.url, headers=bench.headers, timeout=60.0) as http:
        ids = [(await http.post("/images/generations", json={"prompt": f"bench job {i}"})).raise_for_status()
               .json()["job_id"] for i in range(jobs)]

        async def follow(job_id: str, bar: ipywidgets.FloatProgress) -> None:
            while True:
                await asyncio.sleep(1.0)
                job = (await http.get(f"/jobs/{job_id}")).raise_for_status().json()
                bar.value = 1.0 if job["status"] == "completed" else job.get("progress") or 0.0
                bar.description = job["status"]
                if job["status"] in TERMINAL:
                    return

        with _Window(messages) as window:
            bars = [ipywidgets.FloatProgress(min=0.0, max=1.0, description="queued") for _ in ids]
            ipywidgets.VBox(bars)
            await asyncio.gather(*(follow(job_id, bar) for job_id, bar in zip(ids, bars)))
    return window.phase(max(bench.ends_at(job_id) for job_id in ids))


def run(jobs: int = 100, time_scale: float = 1.5) -> list[Row]:
    with fresh_sandbox(time_scale, max_active_generations=jobs) as bench, _Messages().patched() as messages:

        def measure(side: str, turn: int) -> Phase:
            if turn:
                bench.box.reset()
            return _ours(bench, jobs, messages) if side == "ours" else asyncio.run(_by_hand(bench, jobs, messages))

        # The run with the lower kernel CPU share counts: CPU time per operation varies by half from minute to
        # minute on a busy machine.
        results = best_per_side(measure, lambda phase: phase.running_share)
        duration = bench.job_duration("image_generation")
    print(f"5 widget traffic: {jobs} concurrent image jobs (~{duration:.1f} s each; time scale {time_scale:g}), "
          "messages counted at Widget._send; of two runs per side, the one with the lower kernel CPU share")
    for name, phase in results.items():
        print(f"  {name:<9} jobs running {phase.running_seconds:5.1f} s: {phase.running_messages:5d} messages "
              f"({phase.running_per_second:6.1f}/s), kernel CPU {phase.running_share:4.1f} % of a core; "
              f"whole window {phase.seconds:5.1f} s: {phase.messages:5d} messages ({phase.messages / jobs:.1f} per job), "
              f"kernel CPU {phase.kernel_cpu:.2f} s, sandbox threads {phase.sandbox_cpu:.2f} s (excluded)")
    ours, base = results["ours"], results["baseline"]
    return [
        Row("5 widget traffic: comm messages/s, jobs running", ours.running_per_second, base.running_per_second),
        Row("5 widget traffic: comm messages per job, in all", ours.messages / jobs, base.messages / jobs),
        Row("5 widget traffic: kernel CPU share, % of a core", ours.running_share, base.running_share),
        Row("5 widget traffic: kernel CPU s per job, in all", ours.kernel_cpu / jobs, base.kernel_cpu / jobs),
    ]

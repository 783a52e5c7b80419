"""`JobView`: one job, live: status, progress, elapsed time, then its preview, a Download button, or what went wrong.

The view starts watching at once and never blocks the cell: the wait runs on the client's loop (the library's loop
thread for a `Sume` client), so the bar keeps moving while later cells run. The view's state lives in Python; the
widgets are redrawn from it by one render, throttled to about ten state messages a second, the last always sent.
Only real changes are rendered: the browser moves the clock and an estimated bar by itself (see `_live`).

Once the job ended on the service (completed with its previews, failed, expired, canceled) the view is final: every
display of it is replaced by static HTML (see `_static`), so the saved notebook shows the outcome without a kernel.
A video, and an image too large to inline, are saved into `download_dir` first, so that HTML can link a file.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
import weakref
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import ipywidgets

from ..._facade import Blocking, Sume, loop_thread
from ..._redaction import mask_id, redact
from ...client import AsyncSume, Job, JobResult, SumeError
from ...client.reprs import esc, pill
from ...client.stills import data_uri
from .._files import saved_link
from .._problems import WIDGET_WAIT_AGAIN, Problem, problem_from
from . import _dispatch
from ._base import SnapshotBox
from ._live import LiveBoard
from ._media import DEFAULT_MAX_VIDEO_BYTES, DEFAULT_STATIC_BYTES, FETCH_ERRORS, Preview, load_preview
from ._progress import next_fraction, typical_seconds
from ._review_controls import ReviewControls, follow_reviews, review_html, review_text
from ._runner import Runner, runner_for_client, runner_for_job
from ._snapshot import job_snapshot, thumbnail_html
from ._static import media_html
from ._throttle import Throttle

__all__ = ["DOWNLOAD_DIR", "JobView"]

MAX_PREVIEWS = 4  # outputs previewed per job; Download saves them all
FINISHING_AT_ONCE = 8  # views reading their job's result and previews at once, per event loop
DOWNLOAD_DIR = "sume-downloads"  # beside the notebook, as `SumeMagics.download_dir`
_finishing: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()
_BAR_STYLES = {"completed": "success", "failed": "danger", "expired": "danger", "error": "danger",
               "canceled": "warning", "timed out": "warning"}


class JobView(SnapshotBox):
    """A live view of one job (a `Sume` job, an `AsyncSume` job, or a job id with `client=`).

    `view.done` is a `concurrent.futures.Future` of the job once the view reached its final state (completed with
    its preview, failed, expired, canceled, or no longer watched after `timeout` seconds: `view.watch()` resumes).
    """

    _live: weakref.WeakSet[JobView] = weakref.WeakSet()
    _grids: weakref.WeakSet[Any] = weakref.WeakSet()

    def __init__(
        self,
        job: Job | Blocking | str,
        *,
        preview_size: int = 512,
        timeout: float | None = None,
        client: Sume | AsyncSume | None = None,
        label: str | None = None,
        download_dir: str | Path = DOWNLOAD_DIR,
        max_video_bytes: int = DEFAULT_MAX_VIDEO_BYTES,
        static_video_bytes: int = DEFAULT_STATIC_BYTES,
        throttle: Throttle | None = None,
        board: LiveBoard | None = None,
        review_controls: bool = False,
    ) -> None:
        """`label` names the job above the bar (a prompt, or a grid cell's values). `throttle` and `board` may be
        shared by many views (as `JobGrid` does) so that they update together, in one message per tick.
        `review_controls` adds the stars, shortlist, tags and note once the job completed, for views held live by
        a comparison or the studio: a view on its own (or a grid) turns into static HTML when its job ends, which
        shows the review read-only, so controls made for it would only be replaced at once.
        `static_video_bytes` caps what the final static output inlines: a clip (else its poster frame) or a full
        image offered as a browser download (else a link to the file saved in `download_dir`)."""
        if isinstance(job, str):
            self._job: Job | None = None
            self._job_id = job
            self._runner: Runner = runner_for_client(client)
        else:
            self._job, self._runner = runner_for_job(job)
            self._job_id = self._job.id
        self._blocking = isinstance(job, Blocking) or (isinstance(job, str) and not isinstance(client, AsyncSume))
        self._preview_size = preview_size
        # Resolved now: the folder of the notebook that made the view, even if the kernel's directory changes
        # before the job ends (a view finishing later must not save into another notebook's folder).
        self._download_dir = Path(download_dir).absolute()
        self._max_video_bytes = max_video_bytes
        self._static_bytes = static_video_bytes
        self._throttle = throttle or Throttle()
        self._owns_board = board is None  # a shared board is flushed by its owner (a grid, once all cells end)
        self._board = board or LiveBoard()
        self._listeners: list[Callable[[JobView], None]] = []
        self._label = redact(label) if label else None
        self._fraction = 0.0
        self._clock_start = time.monotonic()
        self._clock_epoch = time.time()  # the same instant on the wall clock, which the browser shares
        self._clock_offset = 0.0
        self._final_elapsed: float | None = None
        self._phase = "queued" if self._job is not None else "attaching"
        self._problem: Problem | None = None
        self._result: JobResult | None = None
        self._previews: list[Preview] = []
        self._preview_widgets: list[ipywidgets.Widget] = []
        self._note = ""
        self._activity = ""  # what the view is doing after the job ended, shown in the live row
        self._saved_note = ""
        self._saved: dict[int, Path] = {}  # output index -> the file it was saved as
        self._final = False
        self.saved: concurrent.futures.Future[list[Path]] | None = None

        # One layout model for the view and the parts never laid out on their own: each would otherwise open a
        # Layout of its own (a comm and its state), the larger part of what a view costs the kernel to make.
        self._plain = plain = ipywidgets.Layout()
        self._title = ipywidgets.HTML(f"<b>{esc(self._label)}</b>", layout=plain) if self._label else None
        # Pill, bar, elapsed and percent, then the masked id: one model for the whole row (a widget of its own for
        # the id, and a box for the two, were three more models, a third of a grid cell's).
        self._live = self._board.new_status(caption=mask_id(self._job_id), layout=plain)
        # The parts below are made when first shown: most views never show a note or a problem, and none shows
        # previews or Download before its job ends, while each widget made costs the kernel two models (itself and
        # its style) to open, as much as the rest of the view (a grid of 100 views opened 2,000 models).
        self._media: ipywidgets.HBox | None = None
        self._note_html: ipywidgets.HTML | None = None
        self._download: ipywidgets.Button | None = None
        self._saved_html: ipywidgets.HTML | None = None
        self._actions: ipywidgets.HBox | None = None
        self._problem_html: ipywidgets.HTML | None = None
        # Made once the job completed (there is nothing to rate before), and only if asked for: a failed job
        # carries no controls, and a view that turns static never pays for them.
        self._reviewable = review_controls
        self.review_controls: ReviewControls | None = None
        if not review_controls:
            follow_reviews(self)
        super().__init__(layout=plain)
        if self._job is not None:
            self._start_clock(self._job)
        self._render()
        self.done: concurrent.futures.Future[Any] = self.watch(timeout)
        JobView._live.add(self)

    @classmethod
    def settle(cls, timeout: float | None = None) -> int:
        """Wait until every job view of this process, and every grid of them, reached its final state and showed
        it; return how many views did.

        A headless run (nbclient, nbconvert) ends with this, so the saved widget state shows finished jobs. A grid's
        static output is written after its last cell's view ended, so the grids are waited for too: else it could
        arrive once the runner stopped listening.
        """
        views = list(cls._live)
        finished, _ = concurrent.futures.wait([view.done for view in views], timeout=timeout)
        concurrent.futures.wait([grid.done for grid in list(cls._grids)], timeout=timeout)
        return len(finished)

    @classmethod
    def settle_with(cls, grid: Any) -> None:
        """Have `settle()` also wait for `grid.done` (a widget whose views' outcome it shows once they all ended)."""
        cls._grids.add(grid)

    # --- public -------------------------------------------------------------------------------------------------

    @property
    def job(self) -> Any:
        """The job being shown, blocking or async as it was given (None until a job given by id was read)."""
        if self._job is None or not self._blocking:
            return self._job
        return Blocking(self._job, loop_thread())

    @property
    def is_final(self) -> bool:
        """The job ended on the service and the view shows its outcome: its displays are static HTML from now on."""
        return self._final

    @property
    def review(self) -> Any:
        """The job's rating, star, tags and note, as the journal has them (see `job.review`)."""
        if self.review_controls is not None:
            return self.review_controls.review
        return self._runner.client.jobs.review(self._job_id)

    @property
    def job_id(self) -> str:
        return self._job_id

    @property
    def review_client(self) -> Any:
        """The client whose journal holds the job's review."""
        return self._runner.client

    def review_changed(self) -> None:
        """The review changed through controls elsewhere: rewrite the outputs that show it."""
        self._refresh_displays()

    @property
    def runner(self) -> Runner:
        """The client the view follows its job through, and the loop its work runs on."""
        return self._runner

    @property
    def required_credits(self) -> float | None:
        """The credits the service said the job reserves (its create's `required_credits`), None when unknown."""
        credits = self._job.raw.get("required_credits") if self._job is not None else None
        return float(credits) if isinstance(credits, (int, float)) and not isinstance(credits, bool) else None

    @property
    def phase(self) -> str:
        """What the pill says: the job's status, or `timed out`, `error`, `attaching`."""
        return self._phase

    def watch(self, timeout: float | None = None) -> concurrent.futures.Future[Any]:
        """Follow the job (again, after a timeout or an error); returns and sets `view.done`."""
        current = getattr(self, "done", None)
        if current is not None and (not current.done() or self._result is not None):
            return current
        self._problem = None
        self._final_elapsed = None
        if self._job is not None and not self._job.is_terminal:
            self._phase = self._job.status
        self.done = self._runner.start(self._watch(timeout))
        return self.done

    def download(self, directory: str | Path | None = None) -> concurrent.futures.Future[list[Path]]:
        """Save every output of the completed job into `directory` (default: the view's `download_dir`)."""
        result = self._result
        if result is None:
            raise SumeError("Nothing to download yet: the job has not completed.")
        self._saved_note = "Saving…"
        self._request_render()
        self.saved = self._runner.start(self._save_all(result, Path(directory) if directory else self._download_dir))
        return self.saved

    def on_change(self, listener: Callable[[JobView], None]) -> None:
        """Call `listener(view)` whenever the view's state changes (from the loop thread: keep it quick)."""
        self._listeners.append(listener)

    # --- watching -----------------------------------------------------------------------------------------------

    async def _watch(self, timeout: float | None) -> Any:
        try:
            job = self._job or await self._attach()
            await job.wait(timeout, on_update=self._on_update)
            self._phase = job.status
            self._activity = "Loading the preview…"
            self._request_render()
            async with _finishing_slot():
                self._result = await job.result()
                await self._load_previews(self._result)
            await self._save_what_cannot_be_inlined(self._result)
        except SumeError as error:
            self._problem = problem_from(error, wait_again=WIDGET_WAIT_AGAIN)
            if self._job is None or not self._job.succeeded:
                self._phase = self._problem.status
        finally:
            self._activity = ""
            self._final_elapsed = self._elapsed()
            self._finish()
        return self.job

    async def _attach(self) -> Job:
        job = await self._runner.client.jobs.attach(self._job_id)
        self._job = job
        self._phase = job.status
        self._start_clock(job)
        self._request_render()
        return job

    def _on_update(self, job: Job) -> None:
        self._phase = job.status
        self._request_render()

    async def _load_previews(self, result: JobResult) -> None:
        notes: list[str] = []
        for output in result.outputs[:MAX_PREVIEWS]:
            try:
                preview = await load_preview(
                    self._runner.client, output, self._preview_size, self._max_video_bytes, self._static_bytes
                )
            except FETCH_ERRORS as error:
                notes.append(f"No preview of output {output.index} ({_first_line(error)}); Download saves it.")
                continue
            if preview.still is not None or preview.video is not None:
                self._previews.append(preview)
            notes += [preview.note] if preview.note else []
            self._request_render()
        if not result.outputs:
            summary = result.analysis.summary if result.analysis else None
            notes.append(summary or "Completed; this job has no media outputs.")
        self._note = redact(" ".join(notes))

    async def _save_what_cannot_be_inlined(self, result: JobResult) -> None:
        """Videos and images over the static cap are saved now, while their URLs work, so the static output can
        link a file; a failure is a note, the outcome stands."""
        needed = [p.output for p in self._previews if p.output.kind == "video" or p.original is None]
        if not needed:
            return
        try:
            await self._save(result, self._download_dir, result.job.prompt or self._label, needed)
        except (SumeError, OSError) as error:
            self._note = " ".join(p for p in (self._note, f"Not saved: {_first_line(error)}") if p)

    async def _save(
        self, result: JobResult, directory: Path, name: str | None, outputs: list[Any] | None = None
    ) -> list[Path]:
        chosen = result.outputs if outputs is None else outputs
        paths = await result.download(directory, name=name, outputs=chosen)
        self._saved.update({output.index: path for output, path in zip(chosen, paths, strict=True)})
        return paths

    async def _save_all(self, result: JobResult, directory: Path) -> list[Path]:
        """Save, then say so (before `view.saved` resolves): in the live view, and in the static output's links."""
        try:
            paths = await self._save(result, directory, result.job.prompt or self._label)
        except (SumeError, OSError) as error:
            self._saved_note = f"Download failed: {_first_line(error)}"
            raise
        except asyncio.CancelledError:
            self._saved_note = "Download canceled."
            raise
        else:
            self._saved_note = "Saved " + ", ".join(str(p) for p in paths)
            return paths
        finally:
            self._request_render()
            self._throttle.flush(self)
            if self._final:
                self._refresh_displays()

    # --- clock --------------------------------------------------------------------------------------------------

    def _start_clock(self, job: Job) -> None:
        """Elapsed time counts from the job's creation on the service, measured with this machine's clock."""
        self._clock_start = time.monotonic()
        self._clock_epoch = time.time()
        if job.created_at is not None:
            self._clock_offset = max(0.0, (datetime.now(timezone.utc) - job.created_at).total_seconds())

    def _elapsed(self) -> float:
        job = self._job
        if job is not None and job.is_terminal and job.created_at and job.completed_at:
            return max(0.0, (job.completed_at - job.created_at).total_seconds())
        if self._final_elapsed is not None:
            return self._final_elapsed
        return self._clock_offset + time.monotonic() - self._clock_start

    # --- rendering ----------------------------------------------------------------------------------------------

    def _request_render(self) -> None:
        self._throttle.submit(self, self._render)
        for listener in self._listeners:
            listener(self)

    def _finish(self) -> None:
        """The end of a watch: rendered now whatever the throttle says, and copied into every display (as static
        HTML alone once the job ended on the service; a timeout or an error keeps the live view to watch again)."""
        self._final = self._job is not None and self._job.is_terminal
        self._throttle.submit(self, self._render)
        self._throttle.flush(self)
        if self._owns_board:
            self._throttle.flush(self._board)
        self._refresh_displays()
        for listener in self._listeners:
            listener(self)

    def _render(self) -> None:
        parts = [self, self._media, self._note_html, self._download, self._saved_html, self._problem_html]
        _dispatch.update([part for part in parts if part is not None], self._apply)

    def _apply(self) -> None:
        job = self._job
        progress = job.progress if job is not None else None
        elapsed = self._elapsed()
        completed = job is not None and job.succeeded
        self._fraction = next_fraction(self._fraction, progress, elapsed, job.type if job else None, completed)
        self._board.stage(self._live.key, self._live_state(progress, completed), pill(self._phase))
        self._throttle.submit(self._board, self._board.publish)
        if len(self._preview_widgets) < len(self._previews):
            new = self._previews[len(self._preview_widgets):]
            self._preview_widgets += [_preview_widget(p, self._plain) for p in new]
            self._media = self._media or ipywidgets.HBox(layout=self._plain)
            self._media.children = tuple(self._preview_widgets)
        if self._note:
            self._note_html = self._note_html or ipywidgets.HTML(layout=self._plain)
        if self._note_html is not None:
            self._note_html.value = esc(self._note)
        has_outputs = bool(self._result and self._result.outputs)
        if has_outputs and self._actions is None:
            self._make_actions()
        if self._download is not None and self._actions is not None:
            self._download.disabled = not has_outputs or self._saved_note == "Saving…"
            saved = esc(self._saved_note) + "".join(saved_link(self._saved[i]) for i in sorted(self._saved))
            if saved and self._saved_html is None:  # the first save: most views in a grid never save a file
                self._saved_html = ipywidgets.HTML(layout=self._plain)
                self._actions.children = (self._download, self._saved_html)
            if self._saved_html is not None:
                self._saved_html.value = saved
        if self._problem is not None:
            self._problem_html = self._problem_html or ipywidgets.HTML(layout=self._plain)
        if self._problem_html is not None:
            self._problem_html.value = self._problem.html() if self._problem else ""
        shown = [
            (self._title, self._title is not None),
            (self._live, True),
            (self._media, bool(self._preview_widgets)),
            (self._note_html, bool(self._note)),
            (self._actions, has_outputs),
            *([(self._review_row(), True)] if self._reviewable and self._result is not None else []),
            (self._problem_html, self._problem is not None),
        ]
        self.children = tuple(widget for widget, visible in shown if visible and widget is not None)

    def _make_actions(self) -> None:
        """Download, made once the job has outputs; what it saved joins it when there is something to say."""
        self._download = ipywidgets.Button(description="Download", icon="download", tooltip="Save the full files",
                                           layout=self._plain)
        self._download.on_click(lambda _: self.download())
        self._actions = ipywidgets.HBox([self._download], layout=self._plain)

    def _review_row(self) -> ReviewControls:
        """The review controls, made on the first render after the job completed (inside that render's update)."""
        if self.review_controls is None:
            self.review_controls = ReviewControls(self._runner.client, self._job_id)
            self.review_controls.on_change(lambda _review: self._refresh_displays())
        return self.review_controls

    def _live_state(self, progress: float | None, completed: bool) -> dict[str, Any]:
        """What the browser needs to draw the status row until the next real change (`_live.js`): only values
        that stay put while the job is quiet, so that staging them again sends nothing."""
        job = self._job
        stopped = self._final_elapsed is not None or (job is not None and job.is_terminal)
        return {
            "phase": self._phase, "style": _BAR_STYLES.get(self._phase, ""), "completed": completed,
            "reported": progress, "typical": typical_seconds(job.type if job else None),
            "started": round(self._clock_epoch - self._clock_offset, 3),
            "elapsed": round(self._elapsed(), 1) if stopped else None, "activity": self._activity,
        }

    def _is_static(self) -> bool:
        return self._final

    def _snapshot(self) -> tuple[str, str]:
        job = self._job
        label = self._label or (redact(job.prompt) if job is not None and job.prompt else None)
        saved = [f"Saved as {self._saved[i]}" for i in sorted(self._saved)]
        return job_snapshot(
            phase=self._phase, job_type=job.type if job else None, short_id=mask_id(self._job_id), label=label,
            fraction=self._fraction, estimated=job is None or (job.progress is None and not job.succeeded),
            elapsed=self._elapsed(), media=self._media_html(label), note=self._note or self._activity,
            problem=(self._problem.text(), self._problem.html()) if self._problem else None, saved=saved,
            review=(review_text(self.review), review_html(self.review)),
        )

    def _media_html(self, title: str | None) -> list[str]:
        """The previews: full ones with download links once final, small thumbnails in the live view's copy."""
        title = title or mask_id(self._job_id)
        if not self._final or self._result is None:
            return [thumbnail_html(data_uri(p.thumbnail), title) for p in self._previews if p.thumbnail]
        result = self._result
        return [
            media_html(p, file_name=result.file_name(p.output, result.job.prompt or self._label),
                       saved=self._saved.get(p.output.index), static_bytes=self._static_bytes, title=title)
            for p in self._previews
        ]


def _finishing_slot() -> asyncio.Semaphore:
    """The running loop's gate for reading a job's result and previews, `FINISHING_AT_ONCE` views at a time.

    Jobs of a grid end in bursts (one poll of the job list sees dozens end). Unbounded, a burst opened a connection
    per view: every request then checks every pooled connection (httpcore), and those above the 20 that httpx keeps
    alive were closed and opened again. For 100 jobs (benchmark 5) the pool grew to 24-31 connections and requests
    checked 16,000 of them; 8 at a time, 9 connections and 6,500 checks. The loop decodes one preview at a time
    anyway, so eight in flight keep it busy."""
    loop = asyncio.get_running_loop()
    slot = _finishing.get(loop)
    if slot is None:
        slot = _finishing[loop] = asyncio.Semaphore(FINISHING_AT_ONCE)
    return slot


def _first_line(error: BaseException) -> str:
    """The first line of an error's text, or its class name: some (httpx.ReadTimeout, OSError()) have no text."""
    return (str(error).splitlines() or [type(error).__name__])[0]


def _preview_widget(preview: Preview, layout: ipywidgets.Layout) -> ipywidgets.Widget:
    """An Image or a Video holding the preview's bytes (never a URL), laid out by the view's shared `layout`."""
    if preview.video is not None:
        width, height = preview.video_size or (None, None)
        return ipywidgets.Video(
            value=preview.video, format=preview.video_format, autoplay=False, loop=False, controls=True,
            width=str(width or ""), height=str(height or ""), layout=layout,
        )
    still = preview.still
    assert still is not None  # previews without a still or a video are never kept
    return ipywidgets.Image(
        value=still.data, format=still.format, width=str(still.width or ""), height=str(still.height or ""),
        layout=layout,
    )

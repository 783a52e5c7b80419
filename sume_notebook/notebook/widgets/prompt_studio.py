"""`PromptStudio`: write a prompt, pick options and brand references, generate, and iterate from history.

The history reads the job journal, so prompts from earlier sessions (and other notebooks on this machine) are one
click away, each shown in full (wrapped, never cut): a click restores the prompt, its options and its result.
Ticked results (2 to 8) open in the same `CompareView` as `sume_notebook.compare`. Brand reference URLs stay in
Python: the checkboxes carry only their captions.
"""

from __future__ import annotations

import concurrent.futures
from pathlib import Path
from typing import Any

import ipywidgets

from ..._facade import Blocking, Sume, loop_thread
from ..._redaction import mask_id, redact, redact_url
from ...client import (
    IMAGE_ASPECT_RATIOS,
    TERMINAL_STATUSES,
    VIDEO_RESOLUTIONS,
    AsyncSume,
    BrandImage,
    NotFoundError,
    SumeError,
)
from ...client import (
    KINDS as ALL_KINDS,
)
from ...client.reprs import esc
from .._problems import problem_from
from . import _dispatch
from ._base import SnapshotBox
from ._export import export_jobs
from ._runner import runner_for_client
from ._snapshot import studio_snapshot
from .compare import MAX_COMPARED, MIN_COMPARED, CompareView
from .job_view import JobView

__all__ = ["PromptStudio"]

KINDS = tuple(kind for kind, endpoint in ALL_KINDS.items() if endpoint.text_field == "prompt")  # image, video
VIDEO_ASPECT_RATIOS = ("9:16", "16:9", "1:1", "4:5")
IMAGE_RESOLUTIONS = ("512", "1k", "2k")  # the sandbox's names; the seeds fix no set, so the service may differ
IMAGE_QUALITIES = ("standard", "high")
HISTORY_SIZE = 12
DEFAULT = ""  # a dropdown's "leave it to the service": not None, which ipywidgets shows as no selection at all
# History entries read as wrapped paragraphs, not one-line buttons cut with an ellipsis.
_HISTORY_STYLE = ("<style>.sume-history .widget-button{white-space:normal;height:auto;min-height:28px;"
                  "text-align:left;line-height:1.3;padding:4px 8px}</style>")


class PromptStudio(SnapshotBox):
    """A prompt box with kind, options and Brand DNA references, a Generate button, history and comparison.

    `studio.view` is the `JobView` of the last generation (or of the history entry restored), `studio.history` the
    journal entries in the history (newest first), `studio.comparison` the `CompareView` of the ticked results.
    """

    def __init__(self, client: Sume | AsyncSume | None = None, *, preview_size: int = 384) -> None:
        self._runner = runner_for_client(client)
        self._blocking = not isinstance(client, AsyncSume)
        self._preview_size = preview_size
        self._brand_images: list[tuple[ipywidgets.Checkbox, BrandImage]] = []
        self.view: JobView | None = None
        self.comparison: CompareView | None = None
        self.history: list[dict[str, Any]] = []

        self._prompt = ipywidgets.Textarea(placeholder="Describe the image or video", rows=3,
                                           layout=ipywidgets.Layout(width="100%"))
        self._kind = ipywidgets.ToggleButtons(options=KINDS, value="image")
        self._kind.observe(lambda _: self._show_options(), names="value")
        self._image_ratio = _choices("aspect", IMAGE_ASPECT_RATIOS)
        self._image_resolution = _choices("resolution", IMAGE_RESOLUTIONS)
        self._quality = _choices("quality", IMAGE_QUALITIES)
        self._video_ratio = _choices("aspect", VIDEO_ASPECT_RATIOS)
        self._video_resolution = _choices("resolution", VIDEO_RESOLUTIONS)
        self._duration = ipywidgets.IntSlider(value=8, min=4, max=15, description="seconds")
        self._audio = ipywidgets.Checkbox(value=False, description="audio", indent=False)
        self._brand_box = ipywidgets.VBox([ipywidgets.HTML(esc("Loading Brand DNA references…"))])
        self._image_row = ipywidgets.VBox([ipywidgets.HBox([self._image_ratio, self._image_resolution, self._quality]),
                                           self._brand_box])
        self._video_row = ipywidgets.HBox([self._video_ratio, self._video_resolution, self._duration, self._audio])
        self._options = ipywidgets.VBox([self._image_row])
        generate = ipywidgets.Button(description="Generate", icon="play", button_style="primary")
        generate.on_click(lambda _: self.generate())
        self._status = ipywidgets.HTML()
        self._output = ipywidgets.VBox()
        self._output.add_class("sume-studio-result")
        self._history_entries: list[ipywidgets.Button] = []
        self._history_picks: list[ipywidgets.Checkbox] = []  # one per entry; disabled without a result here
        self._history_strip = ipywidgets.VBox()
        self._history_strip.add_class("sume-history")
        compare = ipywidgets.Button(description="Compare ticked", icon="columns",
                                    tooltip=f"Compare {MIN_COMPARED} to {MAX_COMPARED} ticked results side by side")
        compare.on_click(lambda _: self._compare_ticked())
        export = ipywidgets.Button(description="Export ticked", icon="file-export",
                                   tooltip="Write the ticked results as one standalone HTML report next to the notebook")
        export.on_click(lambda _: self.export_ticked())
        self._compare_status = ipywidgets.HTML()
        self._comparison_box = ipywidgets.VBox()
        super().__init__([
            ipywidgets.HTML(_HISTORY_STYLE), self._prompt, self._kind, self._options,
            ipywidgets.HBox([generate, self._status]), self._output,
            ipywidgets.HTML("<b>History</b> <span style='opacity:.7'>(click to restore; tick results to compare)</span>"),
            self._history_strip, ipywidgets.HBox([compare, export, self._compare_status]), self._comparison_box,
        ])
        self.refresh_history()
        self.loaded: concurrent.futures.Future[None] = self._runner.start(self._load_brand())

    # --- public -------------------------------------------------------------------------------------------------

    @property
    def prompt(self) -> str:
        return self._prompt.value

    @property
    def kind(self) -> str:
        return self._kind.value

    def options(self) -> dict[str, Any]:
        """The chosen options as the client's `generate` takes them (defaults left out)."""
        if self._kind.value == "video":
            chosen = {"aspect_ratio": self._video_ratio.value, "resolution": self._video_resolution.value,
                      "duration": self._duration.value, "generate_audio": self._audio.value}
        else:
            references = [image.reference_url for box, image in self._brand_images if box.value and image.reference_url]
            chosen = {"aspect_ratio": self._image_ratio.value, "resolution": self._image_resolution.value,
                      "quality": self._quality.value, "reference_image_urls": references or None}
        return {name: value for name, value in chosen.items() if value is not None and value != DEFAULT}

    def generate(self) -> concurrent.futures.Future[JobView]:
        """Submit the prompt with the chosen kind and options; the job's live view appears below the button."""
        self._set_status(esc("Submitting…"))
        return self._runner.start(self._generate(self._kind.value, self._prompt.value, self.options()))

    def restore(self, index: int) -> JobView | None:
        """Put history entry `index` (newest first) back into the form (its kind, prompt and options) and show its
        result below it when it completed on this client's service; returns that result's view."""
        entry = self.history[index]
        request = entry["request"]
        shown = self._result_view(entry) if self._has_result(entry) else None

        def apply() -> None:
            self._kind.value = entry["kind"]
            self._prompt.value = request.get("prompt") or ""
            if entry["kind"] == "video":
                _choose(self._video_ratio, request.get("aspect_ratio"))
                _choose(self._video_resolution, request.get("resolution"))
                self._duration.value = int(request.get("duration") or self._duration.value)
                self._audio.value = bool(request.get("generate_audio"))
            else:
                _choose(self._image_ratio, request.get("aspect_ratio"))
                _choose(self._image_resolution, request.get("resolution"))
                _choose(self._quality, request.get("quality"))
                wanted = set(request.get("reference_image_urls") or [])  # journalled without their query
                for box, image in self._brand_images:
                    box.value = redact_url(image.reference_url) in wanted

            if shown is not None:
                self.view = shown
                self._output.children = (shown,)

        form = [self._kind, self._prompt, self._video_ratio, self._video_resolution, self._duration, self._audio,
                self._image_ratio, self._image_resolution, self._quality, self._output,
                *(box for box, _ in self._brand_images)]
        _dispatch.update(form, apply)
        return shown

    def compare(self, job_ids: list[str], baseline: str | int | None = None) -> CompareView:
        """Show 2 to 8 jobs (ids) side by side, labelled by what differs (see `CompareView`); ValueError otherwise."""
        view = CompareView(job_ids, baseline, client=self._client(), preview_size=self._preview_size)
        self.comparison = view

        def show() -> None:
            self._comparison_box.children = (view,)
            self._compare_status.value = ""

        _dispatch.update([self._comparison_box, self._compare_status], show)
        return view

    def export_ticked(self, directory: str | Path | None = None) -> concurrent.futures.Future[Path] | None:
        """Write the ticked results as one standalone report (see `sume_notebook.export_report`) into `directory`
        (default: the notebook's folder); a link to it appears beside the buttons. None when nothing is ticked."""
        ids = self._ticked()
        if not ids:
            self._say(esc("Tick the results to put in the report."), error=True)
            return None
        return export_jobs(self._runner, ids, self._say, Path(directory) if directory else None)

    def refresh_history(self) -> None:
        """Read the journal again into the history (its entries in full, ticks kept for results still listed)."""
        journal = self._runner.client.journal
        rows = journal.entries() if journal is not None else []
        prompts = [r for r in rows if r["kind"] in KINDS and (r["request"] or {}).get("prompt")]
        kept = {self.history[i]["job_id"] for i, pick in enumerate(self._history_picks) if pick.value}
        self.history = list(reversed(prompts))[:HISTORY_SIZE]

        def apply() -> None:
            self._history_entries = [self._history_button(i, entry) for i, entry in enumerate(self.history)]
            self._history_picks = [
                ipywidgets.Checkbox(value=entry["job_id"] in kept and self._has_result(entry), indent=False,
                                    disabled=not self._has_result(entry), tooltip="tick to compare",
                                    layout=ipywidgets.Layout(width="24px"))
                for entry in self.history
            ]
            self._history_strip.children = tuple(
                ipywidgets.HBox([pick, button], layout=ipywidgets.Layout(align_items="center"))
                for pick, button in zip(self._history_picks, self._history_entries, strict=True)
            )

        _dispatch.update([self._history_strip], apply)

    def _has_result(self, entry: dict[str, Any]) -> bool:
        """The entry completed on the service this studio talks to, so its result can be shown and compared."""
        here = redact_url(self._runner.client.base_url)
        return bool(entry["job_id"]) and entry["status"] == "completed" and entry["base_url"] == here

    def _history_button(self, index: int, entry: dict[str, Any]) -> ipywidgets.Button:
        prompt = entry["request"]["prompt"]  # journalled through the redactor already
        button = ipywidgets.Button(
            description=redact(" ".join(prompt.split())), tooltip=redact(f"{entry['kind']}: {prompt}"),
            icon="film" if entry["kind"] == "video" else "image", button_style=_button_style(entry["status"]),
            layout=ipywidgets.Layout(width="auto", max_width="100%"),
        )
        button.on_click(lambda _: self.restore(index))
        return button

    # --- work on the client's loop (widgets made here are made inside `_dispatch.update`, like every change) -----

    async def _generate(self, kind: str, prompt: str, options: dict[str, Any]) -> JobView:
        client = self._runner.client
        try:
            endpoint = ALL_KINDS[kind]
            job = await getattr(getattr(client, endpoint.resource), endpoint.method)(prompt, **options)
        except SumeError as error:
            self._set_status(problem_from(error).html())
            raise

        def show() -> None:
            self.view = JobView(_blocking(job) if self._blocking else job, preview_size=self._preview_size, label=prompt,
                                review_controls=True)
            self._output.children = (self.view,)
            self._status.value = ""

        _dispatch.update([self._output, self._status], show)
        assert self.view is not None
        self.view.done.add_done_callback(lambda _: self._generated())
        self.refresh_history()
        return self.view

    def _generated(self) -> None:
        self.refresh_history()
        self._refresh_displays()

    async def _load_brand(self) -> None:
        try:
            brand = await self._runner.client.brand.current()
        except NotFoundError:
            brand = None
        except SumeError as error:
            html = problem_from(error).html()
            _dispatch.update([self._brand_box], lambda: setattr(self._brand_box, "children", (ipywidgets.HTML(html),)))
            return
        images = [image for image in (brand.images if brand else []) if image.reference_url]
        title = f"Brand references from {brand.name}:" if brand and images else "No Brand DNA reference images."

        def show() -> None:
            self._brand_images = [
                (ipywidgets.Checkbox(value=False, description=redact(image.caption or mask_id(image.id)), indent=False,
                                     layout=ipywidgets.Layout(width="auto")), image)
                for image in images
            ]
            self._brand_box.children = (ipywidgets.HTML(esc(title)), *(box for box, _ in self._brand_images))

        _dispatch.update([self._brand_box], show)

    # --- rendering ----------------------------------------------------------------------------------------------

    def _client(self) -> Sume | AsyncSume:
        return _blocking(self._runner.client) if self._blocking else self._runner.client

    def _result_view(self, entry: dict[str, Any]) -> JobView:
        return JobView(entry["job_id"], client=self._client(), preview_size=self._preview_size,
                       label=entry["request"].get("prompt"), review_controls=True)

    def _ticked(self) -> list[str]:
        return [self.history[i]["job_id"] for i, pick in enumerate(self._history_picks) if pick.value]

    def _compare_ticked(self) -> None:
        try:
            self.compare(self._ticked())
        except ValueError as error:
            self._say(esc(f"Tick {MIN_COMPARED} to {MAX_COMPARED} results to compare ({error})."), error=True)

    def _say(self, html: str, error: bool = False) -> None:
        shown = f'<span style="color:#b91c1c">{html}</span>' if error else html
        _dispatch.update([self._compare_status], lambda: setattr(self._compare_status, "value", shown))

    def _show_options(self) -> None:
        row = self._video_row if self._kind.value == "video" else self._image_row
        _dispatch.update([self._options], lambda: setattr(self._options, "children", (row,)))

    def _set_status(self, html: str) -> None:
        _dispatch.update([self._status], lambda: setattr(self._status, "value", html))

    def _first_load(self) -> concurrent.futures.Future[Any] | None:
        return self.loaded if self._runner.on_library_loop else None

    def _snapshot(self) -> tuple[str, str]:
        options = {k: v for k, v in self.options().items() if k != "reference_image_urls"}
        references = sum(1 for box, _ in self._brand_images if box.value)
        if references:
            options["brand references"] = references
        return studio_snapshot(self._kind.value, self._prompt.value, options, self.view._snapshot() if self.view else None)


def _blocking(target: Any) -> Blocking:
    return Blocking(target, loop_thread())


def _choices(description: str, values: tuple[str, ...]) -> ipywidgets.Dropdown:
    """A dropdown whose first choice, `default`, leaves the option to the service; it is selected from the start
    (a `None` value would be no selection, shown blank)."""
    return ipywidgets.Dropdown(options=[("default", DEFAULT), *((v, v) for v in values)], value=DEFAULT,
                               description=description)


def _button_style(status: str | None) -> str:
    """Green for a completed job, red for one that ended without output, plain while running or unknown."""
    if status == "completed":
        return "success"
    return "danger" if status in TERMINAL_STATUSES else ""


def _choose(dropdown: ipywidgets.Dropdown, value: Any) -> None:
    """Select `value` if the dropdown offers it, else its default."""
    values = [v for _, v in dropdown.options]
    dropdown.index = values.index(value) if value in values else 0

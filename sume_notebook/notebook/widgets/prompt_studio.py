"""`PromptStudio`: write a prompt, pick options and brand references, generate, and iterate from history.

The history strip reads the job journal, so prompts from earlier sessions (and other notebooks on this machine) are
one click away; a click restores the prompt and its options. Two results can be compared side by side. Brand
reference URLs stay in Python: the checkboxes carry only their captions.
"""

from __future__ import annotations

import concurrent.futures
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
from ._runner import runner_for_client
from ._snapshot import studio_snapshot
from .job_view import JobView

__all__ = ["PromptStudio"]

KINDS = tuple(kind for kind, endpoint in ALL_KINDS.items() if endpoint.text_field == "prompt")  # image, video
VIDEO_ASPECT_RATIOS = ("9:16", "16:9", "1:1", "4:5")
IMAGE_RESOLUTIONS = ("512", "1k", "2k")  # the sandbox's names; the seeds fix no set, so the service may differ
IMAGE_QUALITIES = ("standard", "high")
HISTORY_SIZE = 12


def _short(text: str, width: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class PromptStudio(SnapshotBox):
    """A prompt box with kind, options and Brand DNA references, a Generate button, history and comparison.

    `studio.view` is the `JobView` of the last generation, `studio.history` the journal entries in the strip
    (newest first), `studio.comparison` the two views being compared.
    """

    def __init__(self, client: Sume | AsyncSume | None = None, *, preview_size: int = 384) -> None:
        self._runner = runner_for_client(client)
        self._blocking = not isinstance(client, AsyncSume)
        self._preview_size = preview_size
        self._brand_images: list[tuple[ipywidgets.Checkbox, BrandImage]] = []
        self.view: JobView | None = None
        self.comparison: tuple[JobView, JobView] | None = None
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
        self._history_strip = ipywidgets.HBox(layout=ipywidgets.Layout(flex_flow="row wrap"))
        self._pick_a = ipywidgets.Dropdown(description="compare")
        self._pick_b = ipywidgets.Dropdown(description="with")
        compare = ipywidgets.Button(description="Compare", icon="columns")
        compare.on_click(lambda _: self._compare_picked())
        self._comparison_box = ipywidgets.HBox()
        super().__init__([
            self._prompt, self._kind, self._options, ipywidgets.HBox([generate, self._status]), self._output,
            ipywidgets.HTML("<b>History</b>"), self._history_strip,
            ipywidgets.HBox([self._pick_a, self._pick_b, compare]), self._comparison_box,
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
        return {name: value for name, value in chosen.items() if value is not None}

    def generate(self) -> concurrent.futures.Future[JobView]:
        """Submit the prompt with the chosen kind and options; the job's live view appears below the button."""
        self._set_status(esc("Submitting…"))
        return self._runner.start(self._generate(self._kind.value, self._prompt.value, self.options()))

    def restore(self, index: int) -> None:
        """Put history entry `index` (newest first) back into the form: its kind, prompt and options."""
        entry = self.history[index]
        request = entry["request"]

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

        form = [self._kind, self._prompt, self._video_ratio, self._video_resolution, self._duration, self._audio,
                self._image_ratio, self._image_resolution, self._quality, *(box for box, _ in self._brand_images)]
        _dispatch.update(form, apply)

    def compare(self, first: str, second: str) -> tuple[JobView, JobView]:
        """Show two jobs (ids) side by side."""
        client = _blocking(self._runner.client) if self._blocking else self._runner.client
        left = JobView(first, client=client, preview_size=self._preview_size)
        right = JobView(second, client=client, preview_size=self._preview_size)
        self.comparison = (left, right)
        _dispatch.update([self._comparison_box], lambda: setattr(self._comparison_box, "children", (left, right)))
        return left, right

    def refresh_history(self) -> None:
        """Read the journal again into the history strip and the comparison pickers."""
        journal = self._runner.client.journal
        rows = journal.entries() if journal is not None else []
        prompts = [r for r in rows if r["kind"] in KINDS and (r["request"] or {}).get("prompt")]
        self.history = list(reversed(prompts))[:HISTORY_SIZE]
        here = redact_url(self._runner.client.base_url)
        finished = [r for r in reversed(rows) if r["job_id"] and r["status"] == "completed" and r["base_url"] == here]
        choices = [(f"{_short(r['request'].get('prompt') or r['type'] or 'job', 40)} ({mask_id(r['job_id'])})", r["job_id"])
                   for r in finished[:HISTORY_SIZE * 4]]

        def apply() -> None:
            self._history_strip.children = tuple(self._history_button(i, entry) for i, entry in enumerate(self.history))
            self._pick_a.options = choices
            self._pick_b.options = choices
            if len(choices) > 1:
                self._pick_b.index = 1

        _dispatch.update([self._history_strip, self._pick_a, self._pick_b], apply)

    def _history_button(self, index: int, entry: dict[str, Any]) -> ipywidgets.Button:
        prompt = entry["request"]["prompt"]  # journalled through the redactor already
        button = ipywidgets.Button(
            description=_short(prompt), tooltip=redact(f"{entry['kind']}: {prompt}"),
            icon="film" if entry["kind"] == "video" else "image", button_style=_button_style(entry["status"]),
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
            self.view = JobView(_blocking(job) if self._blocking else job, preview_size=self._preview_size, label=prompt)
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

    def _compare_picked(self) -> None:
        if self._pick_a.value and self._pick_b.value:
            self.compare(self._pick_a.value, self._pick_b.value)

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
    """A dropdown whose first choice, `default`, leaves the option to the service."""
    return ipywidgets.Dropdown(options=[("default", None), *((v, v) for v in values)], description=description)


def _button_style(status: str | None) -> str:
    """Green for a completed job, red for one that ended without output, plain while running or unknown."""
    if status == "completed":
        return "success"
    return "danger" if status in TERMINAL_STATUSES else ""


def _choose(dropdown: ipywidgets.Dropdown, value: Any) -> None:
    """Select `value` if the dropdown offers it, else its default (by index: a `None` value shows an empty box)."""
    values = [v for _, v in dropdown.options]
    dropdown.index = values.index(value) if value in values else 0

"""`PromptStudio`: generate from the form, restore from the journal's history, compare two results."""

from __future__ import annotations

import ipywidgets

from sume_notebook import Sume
from sume_notebook.widgets import PromptStudio

WAIT = 30


def test_clicking_a_history_entry_restores_its_prompt_and_options(sume: Sume) -> None:
    sume.images.generate("a noir cat on a rooftop", aspect_ratio="4:5", quality="high").wait()
    sume.videos.generate("surfers at dawn", duration=5, generate_audio=True, resolution="480p").wait()
    studio = PromptStudio(sume)
    studio.loaded.result(timeout=WAIT)
    video_entry, image_entry = studio._history_strip.children  # newest first
    assert "surfers" in video_entry.description and "noir cat" in image_entry.description
    image_entry.click()
    assert (studio.kind, studio.prompt) == ("image", "a noir cat on a rooftop")
    assert studio.options() == {"aspect_ratio": "4:5", "quality": "high"}
    video_entry.click()
    assert (studio.kind, studio.prompt) == ("video", "surfers at dawn")
    assert studio.options() == {"duration": 5, "generate_audio": True, "resolution": "480p"}


def test_generate_uses_the_form_and_brand_references_and_shows_a_live_view(sume: Sume) -> None:
    studio = PromptStudio(sume)
    studio.loaded.result(timeout=WAIT)
    brand = sume.brand.current()
    assert [box.description for box, _ in studio._brand_images] == [i.caption for i in brand.images]
    studio._prompt.value = "serum bottle on marble"
    studio._image_ratio.value = "9:16"
    studio._brand_images[1][0].value = True
    view = studio.generate().result(timeout=WAIT)
    assert studio._output.children == (view,)
    assert view.done.result(timeout=WAIT).status == "completed"
    assert isinstance(view._media.children[0], ipywidgets.Image)
    latest = studio.history[0]
    assert latest["request"]["aspect_ratio"] == "9:16" and len(latest["request"]["reference_image_urls"]) == 1
    studio._brand_images[1][0].value = False
    studio._history_strip.children[0].click()
    assert [box.value for box, _ in studio._brand_images] == [False, True, False]  # matched by URL without its query
    assert "serum bottle on marble" in studio._repr_mimebundle_()["text/plain"]


def test_an_invalid_request_is_shown_in_the_studio(sume: Sume) -> None:
    studio = PromptStudio(sume)
    assert studio.generate().exception(timeout=WAIT) is not None  # an empty prompt
    assert "nothing was sent" in studio._status.value and "prompt" in studio._status.value


def test_two_results_side_by_side(sume: Sume) -> None:
    first = sume.images.generate("a red kite").wait()
    second = sume.images.generate("a blue kite").wait()
    studio = PromptStudio(sume)
    assert len(studio._pick_a.options) == 2 and studio._pick_a.value != studio._pick_b.value
    studio._pick_a.value, studio._pick_b.value = first.id, second.id
    (compare,) = [w for w in studio.children[7].children if isinstance(w, ipywidgets.Button)]
    compare.click()
    left, right = studio.comparison
    assert studio._comparison_box.children == (left, right)
    assert [v.done.result(timeout=WAIT).id for v in (left, right)] == [first.id, second.id]
    assert all(isinstance(v._media.children[0], ipywidgets.Image) for v in (left, right))

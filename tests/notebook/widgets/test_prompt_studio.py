"""`PromptStudio`: generate from the form, restore from the journal's history (prompt, options, result), compare."""

from __future__ import annotations

import ipywidgets

from sume_notebook import Sume
from sume_notebook.widgets import PromptStudio

WAIT = 30


def test_clicking_a_history_entry_restores_its_prompt_options_and_result(sume: Sume) -> None:
    image = sume.images.generate("a noir cat on a rooftop", aspect_ratio="4:5", quality="high").wait()
    sume.videos.generate("surfers at dawn", duration=5, generate_audio=True, resolution="480p").wait()
    studio = PromptStudio(sume)
    studio.loaded.result(timeout=WAIT)
    video_entry, image_entry = studio._history_entries  # newest first
    assert "surfers" in video_entry.description and "noir cat" in image_entry.description
    image_entry.click()
    assert (studio.kind, studio.prompt) == ("image", "a noir cat on a rooftop")
    assert studio.options() == {"aspect_ratio": "4:5", "quality": "high"}
    assert studio._output.children == (studio.view,)
    assert studio.view.done.result(timeout=WAIT).id == image.id  # its result, not just its prompt
    assert isinstance(studio.view._media.children[0], ipywidgets.Image)
    video_entry.click()
    assert (studio.kind, studio.prompt) == ("video", "surfers at dawn")
    assert studio.options() == {"duration": 5, "generate_audio": True, "resolution": "480p"}


def test_history_shows_whole_prompts(sume: Sume) -> None:
    """Six prompts that start alike were six identical chips ("A 35mm film p…"): each now reads in full."""
    prompts = [f"A 35mm film photograph of a lighthouse at dusk, variant {n}, grain and halation" for n in range(3)]
    for prompt in prompts:
        sume.images.generate(prompt)
    studio = PromptStudio(sume)
    assert [button.description for button in studio._history_entries] == list(reversed(prompts))


def test_option_dropdowns_always_show_a_choice(sume: Sume) -> None:
    """A `None` value is no selection in ipywidgets (the page showed blank boxes, selectedIndex -1, once an entry
    with default options was restored): "default" is a real choice."""
    sume.images.generate("a paper boat", aspect_ratio="4:5").wait()
    sume.images.generate("a kite")
    studio = PromptStudio(sume)
    dropdowns = (studio._image_ratio, studio._image_resolution, studio._quality, studio._video_ratio,
                 studio._video_resolution)
    kite, boat = studio._history_entries
    for entry in (None, boat, kite):
        if entry is not None:
            entry.click()
        assert [d.get_state()["index"] for d in dropdowns] == [2 if entry is boat else 0, 0, 0, 0, 0]  # 4:5 is the second ratio
        assert [d.label for d in dropdowns][1:] == ["default"] * 4
    assert studio.options() == {}


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
    studio._history_entries[0].click()
    assert [box.value for box, _ in studio._brand_images] == [False, True, False]  # matched by URL without its query
    assert "serum bottle on marble" in studio._repr_mimebundle_()["text/plain"]


def test_an_invalid_request_is_shown_in_the_studio(sume: Sume) -> None:
    studio = PromptStudio(sume)
    assert studio.generate().exception(timeout=WAIT) is not None  # an empty prompt
    assert "nothing was sent" in studio._status.value and "prompt" in studio._status.value


def test_ticked_results_open_in_one_comparison(sume: Sume) -> None:
    kites = [sume.images.generate(f"a {colour} kite over the dunes").wait() for colour in ("red", "blue", "green")]
    studio = PromptStudio(sume)
    for pick in studio._history_picks:
        pick.value = True
    (compare,) = [w for w in studio.children[8].children if getattr(w, "description", "") == "Compare ticked"]
    compare.click()
    view = studio.comparison
    assert studio._comparison_box.children == (view,)
    assert sorted(view.job_ids) == sorted(job.id for job in kites)
    assert sorted(word for marked in view.marked for word in marked.changed_words) == ["blue", "green", "red"]
    assert [done.result(timeout=WAIT).status for done in view.done] == ["completed"] * 3


def test_comparing_needs_two_to_eight_ticked_results(sume: Sume) -> None:
    sume.images.generate("a lone kite").wait()
    studio = PromptStudio(sume)
    studio._history_picks[0].value = True
    studio._compare_ticked()
    assert studio.comparison is None
    assert "Tick 2 to 8 results" in studio._compare_status.value and "got 1" in studio._compare_status.value


def test_ticked_results_export_as_one_report(sume: Sume, tmp_path) -> None:
    for colour in ("red", "blue"):
        sume.images.generate(f"a {colour} kite at the beach").wait()
    studio = PromptStudio(sume)
    assert studio.export_ticked() is None and "Tick the results" in studio._compare_status.value
    for pick in studio._history_picks:
        pick.value = True
    path = studio.export_ticked(tmp_path / "out").result(timeout=WAIT)
    html = path.read_text(encoding="utf-8")
    assert path.parent == tmp_path / "out" and "a red kite at the beach" in html and "a blue kite at the beach" in html
    assert "open the report" in studio._compare_status.value

"""`compare()` / `CompareView`: jobs side by side, labelled by the words and options that differ, ratings in place."""

from __future__ import annotations

import pytest
from IPython.utils.capture import capture_output

import sume_notebook
from sume_notebook import Sume
from sume_notebook.sandbox import SandboxHandle
from sume_notebook.widgets import CompareView, JobView, compare
from tests.support import total_requests

WAIT = 30
PROMPTS = ("a red fox in deep snow at dawn", "a red fox in deep snow at dusk", "a grey wolf in deep snow at dawn")


@pytest.fixture
def three(sume: Sume) -> list:
    return [sume.images.generate(prompt, aspect_ratio=ratio).wait()
            for prompt, ratio in zip(PROMPTS, ("1:1", "1:1", "9:16"), strict=True)]


def test_the_common_part_is_shown_once_and_each_job_marks_its_own_words(three: list) -> None:
    view = compare(three)
    assert sume_notebook.compare is compare
    assert view.common == "a in deep snow at".split() and view.common_text == "a … in deep snow at …"
    assert [m.changed_words for m in view.marked] == [["red", "fox", "dawn"], ["red", "fox", "dusk"],
                                                      ["grey", "wolf", "dawn"]]
    assert "aspect ratio" not in view.shared_options
    assert [d.get("aspect ratio") for d in view.differing] == ["1:1", "1:1", "9:16"]
    assert [done.result(timeout=WAIT).status for done in view.done] == ["completed"] * 3
    text, html = view._snapshot()
    assert "In every prompt: a … in deep snow at …" in text and "a [grey wolf] in deep snow at [dawn]" in text
    assert html.count("<mark>") >= 9 and "<mark>dusk</mark>" in html
    assert html.count("data:image/jpeg;base64,") == 3  # each column's finished preview, for the saved notebook


def test_a_baseline_is_what_the_others_are_diffed_against(three: list) -> None:
    view = CompareView(three, baseline=three[0].id)
    assert view.baseline == 0 and view.marked[0].changed_words == []
    assert view.marked[1].changed_words == ["dusk"] and view.marked[1].removed == ("dawn",)
    assert view.marked[2].changed_words == ["grey", "wolf"] and view.marked[2].removed == ("red", "fox")
    assert "<del" in view._label_html(2) and "baseline" in view._label_html(0)
    assert CompareView(three, baseline=-1).baseline == 2


def test_jobs_given_by_id_are_labelled_from_the_journal(sume: Sume, three: list) -> None:
    view = compare([job.id for job in three], client=sume)
    assert [f.prompt for f in view.facts] == list(PROMPTS)
    assert [done.result(timeout=WAIT).id for done in view.done] == [job.id for job in three]


@pytest.mark.parametrize(("picked", "baseline", "message"), [
    (1, None, "compare takes 2 to 8 jobs; got 1"),
    (9, None, "compare takes 2 to 8 jobs; got 9"),
    (2, 5, "baseline=5 is not an index of the 2 jobs"),
    (2, "job_elsewhere", "the baseline 'job_elsewhere' is not one of the compared jobs"),
])
def test_bad_input_is_refused_before_any_request(
    sb: SandboxHandle, sume: Sume, picked: int, baseline: object, message: str
) -> None:
    before = total_requests(sb)
    with pytest.raises(ValueError, match=message):
        compare([f"job_{n:03d}" for n in range(picked)], baseline, client=sume)
    with pytest.raises(ValueError, match="given twice"):
        compare(["job_1", "job_1"], client=sume)
    assert total_requests(sb) == before


def test_ratings_are_edited_in_place_and_reach_every_view_of_the_job(sume: Sume, three: list) -> None:
    view = compare(three)
    assert [done.result(timeout=WAIT).status for done in view.done] == ["completed"] * 3  # controls come with results
    elsewhere = JobView(three[1], review_controls=True)  # the same job in a view kept live elsewhere (the studio)
    elsewhere.done.result(timeout=WAIT)
    controls = view.controls[1]
    controls._stars[3].click()  # four stars
    controls._shortlist.value = True
    controls._tags.value = ["dusk", "hero"]
    controls._note.value = "best light"
    review = three[1].review
    assert (review.rating, review.starred, review.tags, review.note) == (4, True, ("dusk", "hero"), "best light")
    assert [b.description for b in elsewhere.review_controls._stars] == ["★"] * 4 + ["☆"]
    assert elsewhere.review_controls._shortlist.value is True
    controls._stars[3].click()  # the same star again clears the rating
    assert three[1].review.rating is None and elsewhere.review_controls.review.rating is None
    controls._stars[1].click()
    text, html = elsewhere._repr_mimebundle_()["text/plain"], elsewhere._repr_mimebundle_()["text/html"]
    assert "★★☆☆☆ · shortlisted · #dusk #hero · “best light”" in text
    assert "sume-review" in html and "best light" in html


def test_a_refused_tag_says_why_and_keeps_what_is_stored(three: list) -> None:
    view = compare(three[:2])
    view.done[0].result(timeout=WAIT)
    view.controls[0]._tags.value = ["warm, cold"]
    assert "without commas" in view.controls[0]._error.value
    assert view.controls[0]._tags.value == [] and three[0].review.tags == ()


def test_the_compared_jobs_export_as_one_report(three: list, tmp_path) -> None:
    view = compare(three)
    three[2].rate(3)
    path = view.export_report().result(timeout=WAIT)
    html = path.read_text(encoding="utf-8")
    assert path.parent == tmp_path and all(prompt in html for prompt in PROMPTS) and 'title="3 of 5"' in html


def test_a_finished_view_shows_a_review_given_in_a_comparison(ip: object, three: list) -> None:
    """A view on its own carries no controls (its output turns static when the job ends), but the output it left is
    rewritten when the job is rated in a comparison."""
    with capture_output() as captured:
        alone = JobView(three[0])
        alone._ipython_display_()
        alone.done.result(timeout=WAIT)
        view = compare(three)
        [done.result(timeout=WAIT) for done in view.done]
        view.controls[0]._stars[2].click()
    assert alone.review_controls is None and alone.is_final
    rewritten = [output.data for output in captured.outputs if output.update]
    assert rewritten and "★★★☆☆" in rewritten[-1]["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" not in rewritten[-1]

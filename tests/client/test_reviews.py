"""Ratings, the shortlist, tags and notes: kept in the journal, joined to `history()`, checked before they are kept,
and the service's own `required_credits` recorded with each accepted job."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from sume_notebook import AsyncSume, InvalidRequestError, Journal, Review, Sume, SumeError, history
from sume_notebook.sandbox import SandboxHandle


async def test_a_review_builds_up_and_survives_a_new_client(client: AsyncSume, sb: SandboxHandle) -> None:
    job = await client.images.generate("a lighthouse at dusk")
    assert job.review == Review(rating=None, starred=False, tags=(), note="")

    assert job.rate(4) == Review(rating=4)
    job.star()
    job.tag("hero", "dusk", "hero")  # a tag given twice is kept once
    assert job.untag("dusk", "never-there").tags == ("hero",)
    job.note("  the warmest light of the batch  ")

    expected = Review(rating=4, starred=True, tags=("hero",), note="the warmest light of the batch")
    assert job.review == expected
    async with AsyncSume(api_key=sb.api_key, base_url=sb.url, journal=Journal(client.journal.path)) as again:
        assert again.jobs.review(job.id) == expected  # a new client and a new Journal read the same file
        assert again.jobs.set_review(job.id, rating=None, starred=False, tags=["final"], note="") == Review(
            tags=("final",))
    assert job.review == Review(tags=("final",))


async def test_reviews_belong_to_their_service(client: AsyncSume, sb: SandboxHandle) -> None:
    job = await client.images.generate("one service")
    job.rate(5)
    async with AsyncSume(api_key=sb.api_key, base_url="http://127.0.0.1:9/api/v1", journal=client.journal) as other:
        assert other.jobs.review(job.id) == Review()  # the same id on another service is another job


def test_the_blocking_client_reviews_too(sume: Sume) -> None:
    job = sume.images.generate("a blocking review")
    assert job.rate(3).rating == 3 and job.star().starred and job.tag("blue").tags == ("blue",)
    assert job.review == Review(rating=3, starred=True, tags=("blue",)) == sume.jobs.review(job.id)


@pytest.mark.parametrize(("change", "says"), [
    (lambda job: job.rate(0), "from 1 to 5"),
    (lambda job: job.rate(4.5), "from 1 to 5"),
    (lambda job: job.rate(True), "from 1 to 5"),
    (lambda job: job.star("yes"), "True or False"),
    (lambda job: job.tag(""), "without commas"),
    (lambda job: job.tag("red, blue"), "without commas"),
    (lambda job: job.tag("x" * 41), "1 to 40 characters"),
    (lambda job: job.tag(), "at least one tag"),
    (lambda job: job.note("x" * 2001), "at most 2,000 characters"),
    (lambda job: job.note(42), "must be text"),
])
async def test_bad_reviews_are_refused_and_nothing_changes(client: AsyncSume, change, says: str) -> None:
    job = await client.images.generate("checked")
    job.rate(2)
    with pytest.raises(ValueError, match=says):
        change(job)
    assert job.review == Review(rating=2)


async def test_without_a_journal_reviews_say_how_to_get_one(sb: SandboxHandle) -> None:
    async with AsyncSume(api_key=sb.api_key, base_url=sb.url, journal=False) as client:
        job = await client.images.generate("unjournalled")
        with pytest.raises(SumeError, match="journal=True"):
            job.rate(5)
        with pytest.raises(SumeError, match="journal=False"):
            client.jobs.review(job.id)


async def test_history_shows_and_filters_reviews(client: AsyncSume) -> None:
    jobs = [await client.images.generate(f"variant {n}") for n in range(4)]
    jobs[0].rate(5)
    jobs[0].star()
    jobs[0].tag("hero")
    jobs[1].rate(3)
    jobs[1].tag("hero", "backup")
    jobs[2].note("too dark")

    frame = history()
    assert list(frame.columns[5:11]) == ["rating", "starred", "tags", "note", "credits", "credits_estimated"]
    assert str(frame["rating"].dtype) == "Int8" and frame["starred"].dtype == bool
    assert frame["rating"].tolist()[:2] == [5, 3] and frame["rating"].isna().tolist() == [False, False, True, True]
    assert frame["tags"].tolist() == [["hero"], ["hero", "backup"], [], []]
    assert frame["note"].tolist() == ["", "", "too dark", ""]

    assert history(starred=True)["job_id"].tolist() == [jobs[0].id]
    assert history(starred=False)["job_id"].tolist() == [j.id for j in jobs[1:]]
    assert history(tag="hero")["job_id"].tolist() == [jobs[0].id, jobs[1].id]
    assert history(tag="her").empty  # a tag matches whole
    assert history(min_rating=4)["job_id"].tolist() == [jobs[0].id]
    assert history(tag="hero", min_rating=3, starred=False)["job_id"].tolist() == [jobs[1].id]
    for bad in ({"min_rating": 6}, {"tag": "a,b"}):
        with pytest.raises(InvalidRequestError):
            history(**bad)


async def test_the_service_required_credits_replace_the_estimate(client: AsyncSume, sb: SandboxHandle) -> None:
    before = httpx.get(f"{sb.url}/credits", headers={"Authorization": f"Bearer {sb.api_key}"}).json()
    image = await client.images.generate("a costly image", quality="high", n=2)
    video = await client.videos.generate("a costly video", duration=4, resolution="480p")
    after = httpx.get(f"{sb.url}/credits", headers={"Authorization": f"Bearer {sb.api_key}"}).json()
    spent = before["remaining_credits"] - after["remaining_credits"]

    frame = history().set_index("job_id")
    assert not frame["credits_estimated"].any()
    assert frame.loc[image.id, "credits"] + frame.loc[video.id, "credits"] == spent
    assert frame.loc[video.id, "credits"] == 8  # the sandbox's 2 credits per second at 480p, as it reserved them


async def test_a_journalled_job_without_required_credits_shows_an_estimate(client: AsyncSume, sb: SandboxHandle,
                                                                           tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    journal.record_request("k1", "image", "/images/generations", {"prompt": "old", "quality": "high"}, sb.url, "fp")
    journal.record_accepted("k1", [("job_old", "image_generation", "queued")], None, sb.url, "fp")

    [row] = journal.history().to_dict("records")
    assert (row["credits"], row["credits_estimated"]) == (4.0, True)  # the default price table: 4 for a high image

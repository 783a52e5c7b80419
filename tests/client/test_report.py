"""`export_report`: one standalone HTML file (and a zip with the full files and a manifest) from jobs, ids or a
`history()` frame, read back as a browser and a spreadsheet would, against the sandbox."""

from __future__ import annotations

import csv
import io
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from sume_notebook import AsyncSume, InvalidRequestError, Sume, export_report, history, write_report
from sume_notebook.sandbox import SandboxHandle
from tests.support import QUICK_POLLS, assert_nothing_secret

_URL_ATTRIBUTES = ("src", "href", "srcset", "poster", "action", "data", "background")


class Page(HTMLParser):
    """What a browser would load from a page (every URL-bearing attribute) and the text it shows."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.images: list[dict[str, str]] = []
        self.urls: list[str] = []
        self.cards: list[dict[str, str]] = []
        self.text: list[str] = []
        self.meta: list[dict[str, str]] = []
        self.scripts = 0
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        self.urls += [found[name] for name in _URL_ATTRIBUTES if name in found]
        if tag == "img":
            self.images.append(found)
        if tag == "article":
            self.cards.append(found)
        if tag == "meta":
            self.meta.append(found)
        if tag in ("script", "link", "iframe", "object", "embed"):
            self.scripts += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def shown(self) -> str:
        return " ".join(" ".join(self.text).split())


def assert_standalone(page: Page) -> None:
    """Nothing to fetch: every image inline, no link off the page, no script or external resource."""
    assert page.scripts == 0
    assert all(image["src"].startswith("data:image/") for image in page.images)
    external = [url for url in page.urls if not url.startswith(("data:", "files/"))]
    assert external == [], external
    csp = next(m["content"] for m in page.meta if m.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "img-src data:" in csp


@pytest.fixture
def session(sume: Sume, sb: SandboxHandle) -> dict[str, Any]:
    """Four images (rated, starred, tagged, noted), one video, and one job that failed."""
    jobs = sume.submit_many([{"prompt": f"a {colour} kite over the dunes", "aspect_ratio": ratio}
                             for colour, ratio in (("red", "1:1"), ("blue", "9:16"), ("green", "4:5"), ("gold", "1:1"))])
    for job in jobs:
        job.wait()
    jobs[0].rate(5)
    jobs[0].star()
    jobs[0].tag("hero", "dunes")
    jobs[0].note("warm light & soft shadows <keep>")
    jobs[1].rate(2)
    jobs[1].tag("dunes")
    video = sume.videos.generate("waves at dusk", duration=4, resolution="480p")
    video.wait()
    sb.add_job_fault(outcome="failed", count=1, code="provider_error", message="The provider rejected the prompt.")
    failed = sume.images.generate("a kite that never flies")
    with pytest.raises(Exception):
        failed.wait()
    return {"images": jobs, "video": video, "failed": failed}


def test_a_report_of_this_notebook_is_one_standalone_file(
    session: dict[str, Any], sume: Sume, sb: SandboxHandle, sandbox_account: dict[str, Any], tmp_path: Path
) -> None:
    report = export_report(history(), tmp_path / "out" / "report.html", title="Kites, round 1", client=sume)

    markup = report.read_text()
    page = Page(markup)
    assert_standalone(page)
    assert_nothing_secret(markup, sb.api_key, sandbox_account)
    assert len(page.cards) == 6 and len(page.images) == 5  # four images and the video's poster frame
    assert all(int(image["width"]) <= 512 and int(image["height"]) <= 512 for image in page.images)
    shown = page.shown
    assert "Kites, round 1" in shown and "6 jobs · 5 completed · 1 failed" in shown
    for colour in ("red", "blue", "green", "gold"):
        assert f"a {colour} kite over the dunes" in shown
    assert "warm light & soft shadows <keep>" in shown  # escaped in the file, read back as typed
    assert "aspect ratio 9:16" in shown and "starred" in shown and "#hero" in shown
    starred = [card for card in page.cards if "starred" in card["class"].split()]
    assert [card["id"] for card in starred] == [session["images"][0].id]
    assert "The provider rejected the prompt." in shown
    failed = next(card for card in page.cards if card["id"] == session["failed"].id)
    assert "failed" in failed["class"].split()
    assert "clip: waves-at-dusk-" in shown and ".mp4" in shown  # the video: its poster and its file's name
    assert "credits 2 " in shown  # what the service reserved for an image


def test_the_zip_holds_the_files_the_manifest_lists(session: dict[str, Any], sume: Sume, tmp_path: Path) -> None:
    jobs = [*session["images"], session["video"], session["failed"]]
    report = export_report(jobs, tmp_path / "kites.html", zip=True)

    with zipfile.ZipFile(tmp_path / "kites.zip") as archive:
        names = set(archive.namelist())
        rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
        inner = archive.read("kites.html").decode()
        sizes = {name: archive.getinfo(name).file_size for name in names}
    files = {row["file"] for row in rows if row["file"]}
    assert names == {"kites.html", "manifest.csv", *files} and len(files) == 5
    assert all(sizes[name] > 1000 for name in files)  # full files, not stills
    assert [row["job_id"] for row in rows] == [job.id for job in jobs]
    first = rows[0]
    assert (first["rating"], first["starred"], first["tags"], first["note"]) == (
        "5", "True", "hero,dunes", "warm light & soft shadows <keep>")
    assert first["prompt"] == "a red kite over the dunes" and first["options"] == '{"aspect_ratio": "1:1"}'
    assert first["credits"] == "2" and first["status"] == "completed" and first["created_at"].startswith("20")
    assert rows[4]["kind"] == "video" and rows[4]["file"].endswith(".mp4")
    assert (rows[5]["status"], rows[5]["file"], rows[5]["reason"]) == ("failed", "", "The provider rejected the prompt.")
    linked = Page(inner)
    assert_standalone(linked)
    assert {url for url in linked.urls if url.startswith("files/")} == files  # the report in the zip links its files
    assert report.read_text().count("files/") == 0  # the report alone links nothing


def test_downloaded_files_are_used_without_a_key(session: dict[str, Any], sume: Sume, sb: SandboxHandle,
                                                 tmp_path: Path) -> None:
    [saved] = session["images"][2].result().download(tmp_path / "downloads")
    frame = history(tag=None)
    frame = frame[frame["job_id"] == session["images"][2].id]
    sb.reset()

    report = export_report(frame, tmp_path / "offline.html")  # no client and no SUME_API_KEY: the file is enough

    page = Page(report.read_text())
    assert len(page.images) == 1 and saved.name in page.shown
    assert sb.stats()["requests"] == {}  # nothing was fetched


def test_ids_need_the_client_that_knows_them(session: dict[str, Any], sume: Sume, tmp_path: Path) -> None:
    ids = [job.id for job in session["images"][:2]]
    page = Page(export_report(ids, tmp_path / "ids.html", client=sume).read_text())
    assert len(page.images) == 2 and "a red kite over the dunes" in page.shown
    page = Page(export_report(["job_nobody_knows"], tmp_path / "unknown.html", client=sume).read_text())
    assert "not in the journal, and not read from the service" in page.shown and "404" in page.shown
    with pytest.raises(InvalidRequestError, match="HTML file"):
        export_report(ids, tmp_path / "ids.pdf", client=sume)
    with pytest.raises(InvalidRequestError, match="is empty"):
        export_report([], tmp_path / "none.html", client=sume)
    with pytest.raises(TypeError, match="Cannot report on 42"):
        export_report([42], tmp_path / "bad.html", client=sume)


async def test_an_unjournalled_job_is_reported_from_what_it_knows(sb: SandboxHandle, tmp_path: Path) -> None:
    async with AsyncSume(api_key=sb.api_key, base_url=sb.url, journal=False, poll_schedule=QUICK_POLLS) as client:
        job = await client.images.generate("no journal, still a report", aspect_ratio="4:5")
        await job.wait()
        report = await write_report([job], tmp_path / "async.html")
        by_id = await write_report([job.id], tmp_path / "by-id.html", client=client)  # read from the service
    page = Page(report.read_text())
    assert len(page.images) == 1 and "no journal, still a report" in page.shown and "aspect ratio 4:5" in page.shown
    page = Page(by_id.read_text())
    assert len(page.images) == 1 and job.id in page.shown and "completed" in page.shown


def test_typed_markup_stays_text(sume: Sume, tmp_path: Path) -> None:
    hostile = '<script>alert(1)</script><img src="https://evil.example/x.png">'
    job = sume.images.generate(f"a poster {hostile}")
    job.wait()
    job.tag("<b>bold</b>")
    job.note(f"see {hostile}")

    markup = export_report([job], tmp_path / "hostile.html").read_text()
    page = Page(markup)
    assert_standalone(page)  # no script, no image but the still, no URL off the page
    assert len(page.images) == 1 and page.shown.count(hostile) == 2 and "#<b>bold</b>" in page.shown

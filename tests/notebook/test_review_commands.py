"""`%sume rate|star|tag|note` and `%sume history --starred --tag --min-rating`, through a real shell and the console
`sume`, against the sandbox."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from sume_notebook import Review
from sume_notebook.notebook._testing import SumeShell
from sume_notebook.sandbox import SandboxHandle
from tests.notebook.console_support import console


def make_jobs(ip: SumeShell, *prompts: str) -> list[str]:
    ids = []
    for n, prompt in enumerate(prompts):
        ip.run(f'%sume_generate image --prompt "{prompt}" -o job{n}')
        ids.append(ip.shell.user_ns[f"job{n}"].id)
    return ids


def test_review_a_job_from_the_magics(ip: SumeShell, env: SandboxHandle) -> None:
    first, second, third = make_jobs(ip, "a fox", "a fox, at dusk", "a fox, in snow")
    run = ip.run(f"%sume rate {first} 5")
    assert "Review" in run.text and "\u2605" * 5 in run.text and "sume-card" in run.html  # the review's card
    ip.run(f"%sume star {first}")
    ip.run(f"%sume tag {first} hero final")
    ip.run(f"%sume note {first} the warmest light; keep for the hero banner")
    ip.run(f"%sume rate {second} 3")
    ip.run(f"%sume tag {second} hero")
    run = ip.run(f"%sume tag {first} final --remove -o review")
    assert run.error is None and ip.shell.user_ns["review"] == Review(
        rating=5, starred=True, tags=("hero",), note="the warmest light; keep for the hero banner")
    assert ip.shell.user_ns["job0"].review == ip.shell.user_ns["review"]  # the Job reads the same journal

    assert ip.run("%sume history --starred").result["job_id"].tolist() == [first]
    assert ip.run("%sume history --tag hero").result["job_id"].tolist() == [first, second]
    assert ip.run("%sume history --min-rating 4").result["job_id"].tolist() == [first]
    frame = ip.run("%sume history").result
    assert frame["rating"].tolist()[:2] == [5, 3] and frame["rating"].isna().tolist()[2]
    assert frame.set_index("job_id").loc[third, "tags"] == []

    ip.run(f"%sume rate {second} none")
    ip.run(f"%sume star {first} --off")
    ip.run(f"%sume note {first}")
    assert ip.shell.user_ns["job0"].review == Review(rating=5, tags=("hero",))
    assert ip.shell.user_ns["job1"].review.rating is None


def test_bad_reviews_are_usage_errors(ip: SumeShell, env: SandboxHandle) -> None:
    [job] = make_jobs(ip, "checked")
    for line, says in ((f"%sume rate {job} 6", "1 to 5 stars"), (f"%sume rate {job} great", "1 to 5 stars"),
                       (f"%sume tag {job} 'red, blue'", "without commas"),
                       ("%sume history --min-rating 9", "invalid choice")):
        run = ip.run(line)
        assert says in run.text and not run.has_traceback, (line, run.text)
    assert ip.shell.user_ns["job0"].review == Review()


def test_the_console_reviews_the_same_journal(ip: SumeShell, env: SandboxHandle, tmp_path: Path) -> None:
    [job] = make_jobs(ip, "from the notebook")
    done = console("rate", job, "4", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"id": job, "rating": 4, "starred": False, "tags": [], "note": ""}
    assert console("star", job, cwd=tmp_path).returncode == 0
    assert ip.shell.user_ns["job0"].review == Review(rating=4, starred=True)
    listed = console("history", "--all", "--starred", cwd=tmp_path)
    assert listed.returncode == 0 and "from the notebook" in listed.stdout


def test_export_the_shortlist_from_the_magics(ip: SumeShell, env: SandboxHandle, tmp_path: Path) -> None:
    first, second, _ = make_jobs(ip, "a fox", "a fox, at dusk", "a fox, in snow")
    for n in range(3):
        ip.run(f"job{n}.wait()")
    ip.run(f"%sume star {first}")
    ip.run(f"%sume star {second}")
    ip.run(f"%sume rate {second} 4")

    run = ip.run("%sume export --starred --zip --title 'Fox shortlist' shortlist.html")
    assert run.error is None and "Saved the report" in run.text and "shortlist.zip" in run.text
    markup = (tmp_path / "shortlist.html").read_text()
    assert "Fox shortlist" in markup and markup.count("<article") == 2 and "a fox, in snow" not in markup
    with zipfile.ZipFile(tmp_path / "shortlist.zip") as archive:
        assert len([name for name in archive.namelist() if name.startswith("files/")]) == 2
    ip.run("%sume export --min-rating 4 best.html")
    assert (tmp_path / "best.html").read_text().count("<article") == 1

    run = ip.run("%sume export --tag nothing-tagged empty.html")
    assert "nothing was exported" in run.text and not run.has_traceback and not (tmp_path / "empty.html").exists()
    run = ip.run("%sume export report.pdf")
    assert "must name an HTML file" in run.text and not run.has_traceback


def test_the_console_exports_too(ip: SumeShell, env: SandboxHandle, tmp_path: Path) -> None:
    [job] = make_jobs(ip, "exported from a terminal")
    ip.run("job0.wait()")
    done = console("export", "--all", str(tmp_path / "terminal.html"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Saved the report" in done.stderr and job in (tmp_path / "terminal.html").read_text()


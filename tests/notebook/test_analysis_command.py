"""`%sume analysis URL ...` and `%sume analysis export`: many reels from a notebook line."""

from __future__ import annotations

from pathlib import Path

from sume_notebook import ReelSet
from sume_notebook.notebook._testing import SumeShell
from sume_notebook.sandbox import SandboxHandle
from tests.support import requests_to

URLS = "https://www.tiktok.com/@weeknightkitchen/video/7351234567890123456 https://www.instagram.com/reel/C4xYzAbCdEf/"
CREATES = "POST /api/v1/reference-analysis"


def test_analysis_assigns_a_reel_set_and_shows_its_timeline(ip: SumeShell, env: SandboxHandle) -> None:
    run = ip.run(f"%sume analysis {URLS} -o reels")
    reels = ip.shell.user_ns["reels"]
    assert isinstance(reels, ReelSet) and len(reels) == 2 and "reels: ReelSet(2 reels" in run.stdout
    shown = ip.run(f"%sume analysis {URLS}")  # read back from the journal: nothing paid twice
    assert isinstance(shown.result, ReelSet) and "class='scene'" in shown.result._repr_html_()  # the cell's value
    assert requests_to(env, CREATES) == 2


def test_export_from_a_variable_or_from_urls(ip: SumeShell, env: SandboxHandle, tmp_path: Path) -> None:
    ip.run(f"%sume analysis {URLS} -o reels")
    run = ip.run(f"%sume analysis export {tmp_path / 'a'} --from reels --format edl --format vtt")
    assert "Wrote" in run.stdout
    assert sorted(p.suffix for p in (tmp_path / "a").iterdir()) == [".edl"] * 3 + [".vtt"] * 3
    ip.run(f"%sume analysis export {tmp_path / 'b'} {URLS} --format csv -o paths")
    assert all(p.suffix == ".csv" for p in ip.shell.user_ns["paths"])
    assert requests_to(env, CREATES) == 2


def test_bad_lines_say_what_to_fix_before_sending(ip: SumeShell, env: SandboxHandle, tmp_path: Path) -> None:
    cases = {
        "%sume analysis https://www.youtube.com/watch?v=1": "urls[0]",
        f"%sume analysis export {tmp_path}": "either --from VAR or the reels' URLs",
        "%sume analysis export": "export needs a directory",
        f"%sume analysis export {tmp_path} --from nothing_here": "no ReelSet of that name",
        f"%sume analysis {URLS} --format csv": "belong to `analysis export DIR`",
        f"%sume analysis export {tmp_path} --from x --format mp4": "invalid choice",
    }
    for line, message in cases.items():
        run = ip.run(line)
        assert message in run.text, (line, run.text)
        assert not run.has_traceback
    assert env.stats()["requests"] == {}


def test_the_console_prints_the_measures_and_exports_from_urls(env: SandboxHandle, tmp_path: Path) -> None:
    from tests.notebook.console_support import console

    urls = URLS.split()
    done = console("analysis", *urls, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "tiktok-7351234567890123456" in done.stdout and "median_scene_seconds" in done.stdout
    done = console("analysis", "export", str(tmp_path / "out"), *urls, "--format", "vtt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "instagram-C4xYzAbCdEf.vtt", "reels.vtt", "tiktok-7351234567890123456.vtt"]
    assert requests_to(env, CREATES) == 2  # the export read the analyses back from the journal

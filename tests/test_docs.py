"""The documentation site builds with warnings as errors, so a broken doc fails `make test` as it fails `make docs`.

One Sphinx build in a subprocess, into a scratch directory (the source tree's `docs/_build` is left alone), with
the example notebooks executed against the throwaway sandbox `docs/_ext/sume_docs_sandbox.py` starts. The checks
after it are about what only a finished build can show: the generated magics reference, one executed page per
notebook whose jobs came to rest, and no key, admin token or signed URL in any page.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
BUILD_TIMEOUT_SECONDS = 600
SECRETS = re.compile(r"sume_test_[0-9a-f]{8,}|sume_live_[0-9A-Za-z]{8,}|[?&](token|X-Amz-Signature|Signature)=")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    env = {name: value for name, value in os.environ.items()
           if name not in ("SUME_BASE_URL", "SUME_API_KEY", "SUME_DOCS_EXECUTE", "SUME_NOTEBOOK_HOME")}
    env["COLUMNS"] = "80"  # the magics' help is rendered at a fixed width whatever the terminal says
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "-d", str(out / "doctrees"),
               str(DOCS), str(out / "html")]
    build = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=BUILD_TIMEOUT_SECONDS)
    log = build.stdout + build.stderr
    warnings = [line for line in log.splitlines() if "WARNING" in line and "IPKernelApp" not in line]
    assert build.returncode == 0 and not warnings, "the docs build failed or warned:\n" + "\n".join(
        warnings or log.splitlines()[-40:])
    return out / "html"


def test_the_site_has_every_page(site: Path) -> None:
    for page in ("index", "getting-started", "magics", "cli", "widgets", "review", "client", "library", "examples",
                 "frontends", "sandbox", "security", "async"):
        assert (site / f"{page}.html").is_file(), page


def test_the_magics_reference_is_rendered_from_the_parsers(site: Path) -> None:
    from sume_notebook.notebook._parsing import generate_parser
    from sume_notebook.notebook.cmd import SUBCOMMANDS

    page = (site / "magics.html").read_text()
    for name in SUBCOMMANDS:
        assert f'id="sume-{name}"' in page, name
    for action in generate_parser()._actions:  # every option of %sume_generate appears in its help
        for option in action.option_strings:
            assert option in page, option
    assert "%sume jobs wait" in page and "aspect_ratio" in page  # a nested action, and the config table


def test_the_cli_reference_is_rendered_from_the_command_table(site: Path) -> None:
    from sume_notebook.notebook.cmd import COMMANDS, EXIT_CODES

    page = (site / "cli.html").read_text()
    for command in COMMANDS:
        rendered = " ".join(f'<span class="pre">{word}</span>' for word in ["sume", *command.name.split()])  # a literal
        assert (f'id="cli-{command.name.replace(" ", "-")}"' in page) == command.console, command.name
        assert (rendered in page) == command.console, command.name
    for meaning in EXIT_CODES.values():
        assert meaning in page, meaning
    assert "--cursor" in page and "001 §3" in page


def test_every_notebook_is_rendered_executed(site: Path) -> None:
    assert NOTEBOOKS
    for notebook in NOTEBOOKS:
        page = (site / "notebooks" / f"{notebook.stem}.html").read_text()
        assert "cell_output" in page, f"{notebook.name} was rendered without outputs"
        assert "Traceback" not in page, notebook.name
        # the hidden settle cell let every job view come to rest before its snapshot was recorded
        assert not re.search(r">(queued|running|attaching)</span> <b>", page), f"{notebook.name} shows a live job"
        assert "JobView.settle" not in page and "widget-state+json" not in page, notebook.name


def test_no_page_carries_a_secret(site: Path) -> None:
    for page in site.rglob("*.html"):
        found = SECRETS.search(page.read_text(errors="replace"))
        assert found is None, f"{page.relative_to(site)}: {found.group(0)}"

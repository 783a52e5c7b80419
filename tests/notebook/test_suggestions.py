"""A misspelt option gets "did you mean --prompt?", in every magic and in the console `sume`."""

from __future__ import annotations

from pathlib import Path

import pytest

from sume_notebook.notebook._testing import SumeShell
from sume_notebook.sandbox import SandboxHandle
from tests.notebook.console_support import console


@pytest.mark.parametrize(("line", "said"), [
    ('%sume_generate image --promt "a fox"', "unrecognized arguments: --promt a fox (did you mean --prompt?)"),
    ("%sume history --stared", "%sume history: error: unrecognized arguments: --stared (did you mean --starred?)"),
    ("%sume export --zpi --tga x out.html", "did you mean --zip for --zpi, --tag for --tga?"),
    ("%%sume_prompt image --aspect-raito 1:1\na fox", "did you mean --aspect-ratio?"),
    ("%sume credits --bogus", "unrecognized arguments: --bogus\n"),
])
def test_a_misspelt_option_gets_a_suggestion(ip: SumeShell, line: str, said: str) -> None:
    run = ip.run(line)
    assert said in run.text + "\n" and not run.has_traceback, run.text


def test_the_console_suggests_too(env: SandboxHandle, tmp_path: Path) -> None:
    done = console("images", "generate", "--promt", "a fox", cwd=tmp_path)
    assert done.returncode == 2 and "(did you mean --prompt?)" in done.stderr

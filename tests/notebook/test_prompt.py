"""`%%sume_prompt`: the cell as the prompt, `{name}` from the notebook, prompt matrices, limits and dry runs."""

from __future__ import annotations

from sume_notebook.notebook._testing import SumeShell
from sume_notebook.sandbox import SandboxHandle
from tests.support import requests_to, total_requests

IMAGES = "POST /api/v1/images/generations"


def test_cell_is_the_prompt_filled_from_variables(ip: SumeShell, env: SandboxHandle) -> None:
    ip.shell.user_ns.update(product="serum", mood="calm")
    run = ip.run("%%sume_prompt --aspect-ratio 4:5 --dry-run -o body\nA {mood} photo of {product}, {{literal}} braces\n")
    assert ip.shell.user_ns["body"] == {"prompt": "A calm photo of serum, {literal} braces", "aspect_ratio": "4:5"}
    assert run.error is None and total_requests(env) == 0


def test_single_prompt_creates_one_job(ip: SumeShell, env: SandboxHandle) -> None:
    ip.shell.user_ns["thing"] = "teapot"
    run = ip.run("%%sume_prompt image -o job\na porcelain {thing}")
    assert ip.shell.user_ns["job"].type == "image_generation" and run.error is None
    assert requests_to(env, IMAGES) == 1


def test_ad_cell_is_the_script(ip: SumeShell, env: SandboxHandle) -> None:
    ip.run("%%sume_prompt ad --avatar-id avt_mia --dry-run -o body\nMeet the serum that works overnight.")
    assert ip.shell.user_ns["body"]["script"] == "Meet the serum that works overnight."


def test_unknown_names_are_listed(ip: SumeShell, env: SandboxHandle) -> None:
    ip.shell.user_ns.pop("nowhere", None)
    ip.shell.user_ns.pop("nothing", None)
    run = ip.run("%%sume_prompt\na {nowhere} of {nothing}")
    assert "unknown variables in the cell: nowhere, nothing" in run.stderr
    assert "usage: %%sume_prompt" in run.stderr and not run.has_traceback and total_requests(env) == 0


def test_matrix_makes_one_labelled_job_per_combination(ip: SumeShell, env: SandboxHandle) -> None:
    ip.shell.user_ns.update(style=["noir", "pastel"], subject=("cat", "owl"), n_legs=range(1))
    run = ip.run("%%sume_prompt image --wait -o results\na {style} {subject} with {n_legs} extra legs")
    assert run.error is None, run.text
    results = ip.shell.user_ns["results"]
    assert len(results) == 4 and all(r.status == "completed" for r in results)
    assert "[style=noir, subject=cat, n_legs=0]" in run.stdout and "[style=pastel, subject=owl, n_legs=0]" in run.stdout
    assert requests_to(env, IMAGES) == 4


def test_matrix_dry_run_lists_the_expanded_prompts(ip: SumeShell, env: SandboxHandle) -> None:
    ip.shell.user_ns.update(style=["noir", "pastel", "neon"], subject=["cat", "owl"])
    run = ip.run("%%sume_prompt video --duration 5 --dry-run -o bodies\n{style} {subject}")
    assert "6 requests to POST /videos/generations" in run.stdout
    assert "  1. [style=noir, subject=cat] noir cat" in run.stdout
    assert "  6. [style=neon, subject=owl] neon owl" in run.stdout
    assert [b["prompt"] for b in ip.shell.user_ns["bodies"]][:2] == ["noir cat", "noir owl"]
    assert '"duration": 5' in run.text and total_requests(env) == 0


def test_more_than_max_batch_needs_yes(ip: SumeShell, env: SandboxHandle) -> None:
    ip.shell.user_ns["i"] = range(3)
    ip.run("%config SumeMagics.max_batch = 2")
    run = ip.run("%%sume_prompt\nframe {i}")
    assert "3 jobs would reserve about 6 credits (estimated; " in run.stderr and " left)" in run.stderr
    assert "more than SumeMagics.max_batch (2) allows" in run.stderr and "--yes" in run.stderr
    assert total_requests(env) == requests_to(env, "GET /api/v1/credits") == 1  # the credits left, nothing else
    assert ip.run("%%sume_prompt --dry-run\nframe {i}").error is None  # a dry run lists them anyway
    run = ip.run("%%sume_prompt --yes -o jobs\nframe {i}")
    assert len(ip.shell.user_ns["jobs"]) == 3 and requests_to(env, IMAGES) == 3


def test_matrix_reattaches_the_combinations_still_running(ip: SumeShell, env: SandboxHandle) -> None:
    env.configure(time_scale=1.0)
    ip.shell.user_ns["colour"] = ["red", "blue"]
    ip.run("%%sume_prompt -o first\na {colour} kite")
    run = ip.run("%%sume_prompt -o second\na {colour} kite")
    assert "Re-attached to jobs" in run.stdout
    assert [j.id for j in ip.shell.user_ns["second"]] == [j.id for j in ip.shell.user_ns["first"]]
    assert requests_to(env, IMAGES) == 2


def test_bad_cells_are_usage_errors(ip: SumeShell, env: SandboxHandle) -> None:
    ip.shell.user_ns["empty"] = []
    for cell, wanted in [
        ("%%sume_prompt\n   \n", "the cell is empty"),
        ("%%sume_prompt\n{empty} thing", "is empty: there is no prompt"),
        ("%%sume_prompt\na {} b", "is not a variable name"),
        ("%%sume_prompt\nunclosed {brace", "literal braces"),
        ("%%sume_prompt face-swap\nx", "invalid choice: 'face-swap'"),
        ("%%sume_prompt image --prompt x\ny", "unrecognized arguments: --prompt x"),
        ("%%sume_prompt video --duration 99\na", "--duration: must be between 4 and 15"),
    ]:
        run = ip.run(cell)
        assert "UsageError" in run.stderr and not run.has_traceback, cell
        assert wanted in run.stderr, (cell, run.stderr)
    assert total_requests(env) == 0


def test_help(ip: SumeShell) -> None:
    run = ip.run("%%sume_prompt --help\nignored")
    assert "--yes" in run.stdout and "{name}" in run.stdout and run.error is None


def test_a_dry_run_says_what_it_would_cost_by_the_price_table(ip: SumeShell, env: SandboxHandle) -> None:
    ip.shell.user_ns["style"] = ["noir", "pop", "pastel"]
    run = ip.run("%%sume_prompt image --quality high --dry-run\na {style} lamp")
    assert "3 jobs would reserve about 12 credits (estimated)" in run.stdout and total_requests(env) == 0
    ip.run("%config SumeMagics.prices = {'image': {'high': 10}}")
    run = ip.run("%%sume_prompt image --quality high --dry-run\na {style} lamp")
    assert "3 jobs would reserve about 30 credits (estimated)" in run.stdout

"""`%sume SUBCOMMAND`: every subcommand of the CLI through a real shell against the sandbox."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sume_notebook.notebook._testing import SumeShell
from sume_notebook.sandbox import SandboxHandle
from tests.support import requests_to, total_requests


def test_credits_and_me_are_cards_with_nothing_secret(ip: SumeShell, env: SandboxHandle) -> None:
    run = ip.run("%sume credits")
    assert "Sume credits" in run.text and "remaining" in run.text and "sume-card" in run.html
    run = ip.run("%sume me")
    assert "Sandbox Studio" in run.text and "a…@s…" in run.text
    for secret in ("ada@sandbox.sume.test", "ws_sandbox_main", env.api_key):
        assert secret not in run.text and secret not in run.html
    ip.run("%sume credits -o credits")
    assert ip.shell.user_ns["credits"].remaining_credits > 0


def test_json_output_is_sanitized(ip: SumeShell) -> None:
    run = ip.run("%sume me --json")
    assert run.outputs[0]["application/json"]["workspace"]["name"] == "Sandbox Studio"


def test_brand_list_is_a_frame_and_current_a_card(ip: SumeShell) -> None:
    run = ip.run("%sume brand list")
    assert isinstance(run.result, pd.DataFrame) and "Lumen Skincare" in set(run.result["name"])
    run = ip.run("%sume brand current")
    assert "Brand DNA:" in run.text and "caption" in run.text and "Model applying Lumen Serum" in run.text
    assert ip.run("%sume brand list -o brands").result is None
    assert isinstance(ip.shell.user_ns["brands"], pd.DataFrame)


def test_avatars_list_and_get(ip: SumeShell) -> None:
    frame = ip.run("%sume avatars list").result
    assert "avt_mia" in set(frame["id"])
    run = ip.run("%sume avatars get avt_mia")
    assert "Avatar: Mia" in run.text and "talking_heads" in run.text
    run = ip.run("%sume avatars get avt_nobody")
    assert "Sume API error" in run.text and "404" in run.text and not run.has_traceback


def test_jobs_list_get_result_wait_and_attach(ip: SumeShell, tmp_path: Path) -> None:
    ip.run('%sume_generate image --prompt "a job to look at" -o job')
    job_id = ip.shell.user_ns["job"].id
    run = ip.run(f"%sume jobs wait {job_id} -o waited --download {tmp_path / 'w'}")
    assert ip.shell.user_ns["waited"].status == "completed" and "Saved" in run.text
    frame = ip.run("%sume jobs list --type image_generation --limit 5").result
    assert job_id in set(frame["id"])
    assert "Sume job" in ip.run(f"%sume jobs get {job_id}").text
    run = ip.run(f"%sume jobs result {job_id} --download {tmp_path / 'r'}")
    assert "Sume job result" in run.text and len(list((tmp_path / "r").iterdir())) == 1
    run = ip.run(f"%sume jobs attach {job_id} -o attached")
    assert ip.shell.user_ns["attached"].id == job_id and "completed" in run.stdout
    assert ip.run(f"%sume jobs get {job_id} --json").outputs[0]["application/json"]["id"] == job_id


def test_result_of_a_running_job_is_a_conflict_box(ip: SumeShell, env: SandboxHandle) -> None:
    env.configure(time_scale=1.0)
    ip.run('%sume_generate video --prompt "not yet" -o job')
    run = ip.run(f"%sume jobs result {ip.shell.user_ns['job'].id}")
    assert "409" in run.text and "What to do" in run.text and not run.has_traceback


def test_assets_search_with_every_filter_and_all_pages(ip: SumeShell, env: SandboxHandle) -> None:
    frame = ip.run("%sume assets search --limit 2").result
    assert len(frame) == 2 and "preview_url" in frame
    everything = ip.run("%sume assets search --limit 2 --all").result
    assert len(everything) > 2
    run = ip.run('%sume assets search "product demo" --search-mode text --source-type generated --segment-type hook '
                 "--brand Lumen --product serum --tag morning --keyword glow --cta-present false --min-duration 0.5 "
                 "--max-duration 30 --created-after 2020-01-01 --created-before 2100-01-01 --sort relevance -o df")
    assert run.error is None and isinstance(ip.shell.user_ns["df"], pd.DataFrame)
    scene = everything["id"].iloc[0]
    run = ip.run(f'%sume assets get {scene} --query "product demo" --search-mode text --search-score 0.8')
    assert "Scene:" in run.text and scene[:8] in run.text and "score" in run.text


def test_assets_upload_waits_for_processing(ip: SumeShell, env: SandboxHandle, sample_video: Path) -> None:
    run = ip.run(f'%sume assets upload {sample_video} --title "Talk" --wait -o upload')
    assert run.error is None, run.text
    assert "Asset Library upload" in run.text and "searchable now" in run.stdout
    assert ip.shell.user_ns["upload"].job.status == "completed"
    assert requests_to(env, "POST /api/v1/assets") == 1


def test_bad_asset_filters_send_nothing(ip: SumeShell, env: SandboxHandle) -> None:
    for line, wanted in [
        ("%sume assets search --cta-present maybe", "must be true or false"),
        ("%sume assets search --sort newest", "invalid choice: 'newest'"),
        ("%sume assets search --min-duration 5 --max-duration 1", "min_duration: must not exceed max_duration"),
        ("%sume assets search --created-after yesterday", "created_after: must be an ISO 8601"),
        ("%sume assets upload /no/such.mp4", "path: such.mp4 is not a readable file"),
    ]:
        run = ip.run(line)
        assert "UsageError" in run.stderr and wanted in run.stderr and not run.has_traceback, (line, run.stderr)
    assert total_requests(env) == 0


def test_history_and_pending_read_the_journal(ip: SumeShell, env: SandboxHandle) -> None:
    env.configure(time_scale=1.0)
    ip.run('%sume_generate video --prompt "still going" -o job')
    pending = ip.run("%sume pending").result
    assert list(pending["id"]) == [ip.shell.user_ns["job"].id]
    ip.run("%sume history -o history")
    history = ip.shell.user_ns["history"]
    assert ip.shell.user_ns["job"].id in set(history["job_id"]) and "request_prompt" in history


def test_login_in_a_terminal_uses_getpass_and_never_prints_the_key(
    ip: SumeShell, env: SandboxHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = env.keys["other"]
    monkeypatch.setattr("getpass.getpass", lambda prompt: other)
    run = ip.run("%sume login")
    assert "Other Workspace" in run.stdout and other not in run.text
    assert "Other Workspace" in ip.run("%sume me").text
    monkeypatch.setattr("getpass.getpass", lambda prompt: "sume_test_wrong")
    run = ip.run("%sume login")
    assert "not accepted, nothing changed" in run.stdout and "sume_test_wrong" not in run.text
    assert "Other Workspace" in ip.run("%sume me").text


def test_login_in_a_notebook_uses_a_password_box_that_empties_itself(ip: SumeShell, env: SandboxHandle) -> None:
    from ipywidgets.widgets.widget import _instances

    ip.magics.widgets = "on"
    run = ip.run("%sume login")
    model_id = run.outputs[0]["application/vnd.jupyter.widget-view+json"]["model_id"]
    box = _instances[model_id]
    field, status = box.children
    assert type(field).__name__ == "Password"
    field.value = env.keys["other"]
    assert field.value == "" and "Other Workspace" in status.value
    assert box.children == (status,) and env.keys["other"] not in str(box.get_state()) + str(status.get_state())
    assert "Other Workspace" in ip.run("%sume me").text


def test_sandbox_start_status_stop(ip: SumeShell, tmp_path: Path) -> None:
    run = ip.run(f"%sume sandbox start --data-dir {tmp_path / 'sb'} --time-scale 0.02")
    assert "Using the local Sume sandbox at http://127.0.0.1:" in run.stdout and "(no credits spent)" in run.stdout
    assert "runs at http://127.0.0.1:" in ip.run("%sume sandbox status").stdout
    assert "Sandbox Studio" in ip.run("%sume me").text
    assert "Stopped" in ip.run("%sume sandbox stop").stdout
    assert "No local Sume sandbox is running" in ip.run("%sume sandbox status").stdout
    assert "No local Sume sandbox is running" in ip.run("%sume sandbox stop").stdout


def test_help_and_usage(ip: SumeShell, env: SandboxHandle) -> None:
    for line in ("%sume", "%sume help", "%sume --help"):
        assert "SUBCOMMAND" in ip.run(line).stdout
    assert "Sume magics (each takes --help)" in ip.run("%sume help").stdout
    run = ip.run("%sume help assets")
    assert "search" in run.stdout and "upload" in run.stdout
    run = ip.run("%sume assets search --help")
    for option in ("--source-type", "--segment-type", "--brand", "--product", "--tag", "--keyword", "--cta-present",
                   "--min-duration", "--max-duration", "--created-after", "--created-before", "--sort", "--limit",
                   "--search-mode", "--all"):
        assert option in run.stdout
    for line, wanted in [("%sume jobs", "required: ACTION"), ("%sume jobs get", "required: ID"),
                         ("%sume credits --bogus", "unrecognized arguments: --bogus"), ("%sume help nope", "invalid choice")]:
        run = ip.run(line)
        assert wanted in run.stderr and not run.has_traceback, (line, run.stderr)
    assert total_requests(env) == 0


def test_history_options(ip: SumeShell, env: SandboxHandle, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JPY_SESSION_NAME", "elsewhere.ipynb")
    ip.run('%sume_generate image --prompt "another notebook" --wait')
    monkeypatch.setenv("JPY_SESSION_NAME", "here.ipynb")
    ip.run('%sume_generate image --prompt "a kite" --wait')
    ip.run('%sume_generate video --prompt "a kite, flying" --duration 4 --wait')

    shown = ip.run("%sume history").result
    assert list(shown.columns[:5]) == ["prompt", "kind", "status", "duration", "created"]
    assert shown["prompt"].tolist() == ["a kite", "a kite, flying"]
    ip.run("%sume history --all -o everything")
    assert ip.shell.user_ns["everything"]["prompt"].tolist() == ["another notebook", "a kite", "a kite, flying"]
    assert ip.run("%sume history --kind video --status completed").result["prompt"].tolist() == ["a kite, flying"]
    assert len(ip.run("%sume history --since 1h").result) == 2
    assert ip.run("%sume history --since 2999-01-01").result.empty
    bad = ip.run("%sume history --since soonish")
    assert "since" in bad.stderr + bad.stdout and not bad.has_traceback, (bad.stdout, bad.stderr)


def test_pending_lists_and_resolves_a_create_never_answered(ip: SumeShell, env: SandboxHandle) -> None:
    from sume_notebook import Sume

    with Sume(api_key=env.api_key, base_url=env.url) as client:  # as a kernel killed right after sending leaves it
        client.journal.record_request("sume-nb-lost", "image", "/images/generations", {"prompt": "lost in transit"},
                                      client.base_url, client.key_fingerprint)

    listed = ip.run("%sume pending").result
    assert listed["state"].astype(str).tolist() == ["unresolved"] and listed["id"].isna().all()
    assert "--resolve" in listed["next_step"][0]

    resolved = ip.run("%sume pending --resolve")
    assert "created: image 'lost in transit'" in resolved.stdout and not resolved.has_traceback, resolved.stderr
    [job_id] = resolved.result["id"].tolist()
    assert resolved.result["state"].astype(str).tolist() == ["accepted"] and job_id.startswith("job_")
    assert "Nothing to resolve" in ip.run("%sume pending --resolve").stdout
    assert requests_to(env, "POST /api/v1/images/generations") == 1


def test_an_error_box_names_the_sanitized_endpoint_and_the_request_id(ip: SumeShell) -> None:
    run = ip.run("%sume jobs result job_missing")
    assert "404" in run.text and "GET /jobs/{jobId}/result" in run.text and "request id" in run.text
    assert "/jobs/job_missing" not in run.text


def test_the_widgets_are_one_line_away(ip: SumeShell, env: SandboxHandle) -> None:
    from sume_notebook.widgets import AssetBrowser, PromptStudio

    overview = ip.run("%sume help").stdout
    assert "%sume studio" in overview and "%sume browse [QUERY]" in overview and "CreditsBadge" in overview
    assert ip.run("%sume studio -o studio").error is None
    assert isinstance(ip.shell.user_ns["studio"], PromptStudio)
    assert ip.run("%sume browse hook -o browser").error is None
    browser = ip.shell.user_ns["browser"]
    assert isinstance(browser, AssetBrowser) and browser.loaded.result(timeout=30)


def test_compare_is_one_line_away_and_checks_its_ids_first(ip: SumeShell, env: SandboxHandle) -> None:
    from sume_notebook.widgets import CompareView

    assert "%sume compare ID ID" in ip.run("%sume help").stdout
    run = ip.run("%sume images generate --prompt 'a fox at dawn' --wait -o first")
    run = ip.run("%sume images generate --prompt 'a fox at dusk' --wait -o second")
    assert run.error is None, run.text
    first, second = ip.shell.user_ns["first"].job.id, ip.shell.user_ns["second"].job.id
    before = total_requests(env)
    for line, message in ((f"%sume compare {first}", "compare takes 2 to 8 jobs; got 1"),
                          (f"%sume compare {first} {first}", "given twice"),
                          (f"%sume compare {first} {second} --baseline job_other", "is not one of the compared jobs")):
        run = ip.run(line)
        assert message in run.stderr and "usage: %sume compare" in run.stderr and not run.has_traceback
    assert total_requests(env) == before
    run = ip.run(f"%sume compare {first} job_nowhere")
    assert "404" in run.text and not run.has_traceback
    assert ip.run(f"%sume compare {first} {second} --baseline {first} -o view").error is None
    view = ip.shell.user_ns["view"]
    assert isinstance(view, CompareView) and view.baseline == 0
    assert [m.changed_words for m in view.marked] == [[], ["dusk"]]


def test_the_prompt_magic_shows_its_help_without_a_cell(ip: SumeShell) -> None:
    run = ip.run("%sume_prompt --help")
    assert "%%sume_prompt" in run.stdout and "--yes" in run.stdout and not run.has_traceback
    assert "below a %%sume_prompt line" in ip.run("%sume_prompt image").stderr

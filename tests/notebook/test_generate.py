"""`%sume_generate` through a real shell against the sandbox: every kind and option, dry runs, errors, re-attach."""

from __future__ import annotations

from pathlib import Path

import pytest

from sume_notebook.notebook._testing import SumeShell
from sume_notebook.sandbox import SandboxHandle
from tests.support import requests_to, total_requests

IMAGES = "POST /api/v1/images/generations"


def test_image_returns_once_accepted_and_assigns_the_job(ip: SumeShell, env: SandboxHandle) -> None:
    run = ip.run('%sume_generate image --prompt "a red fox" --aspect-ratio 4:5 --n 1 --resolution 1k --quality high -o job')
    assert run.error is None and not run.has_traceback
    job = ip.shell.user_ns["job"]
    assert job.type == "image_generation" and job.id in run.stdout
    assert "%sume jobs wait" in run.stdout
    assert requests_to(env, IMAGES) == 1


def test_wait_returns_the_result_with_text_progress(ip: SumeShell) -> None:
    run = ip.run('%sume_generate image --prompt "a lighthouse" --wait -o result')
    result = ip.shell.user_ns["result"]
    assert result.status == "completed" and result.outputs[0].kind == "image"
    assert f"{result.id} completed" in run.stdout
    assert "Sume job result" in run.text and "image/png" in run.text
    assert "?…" in run.text or "token" not in run.text  # output URLs are shown without their query


def test_download_saves_into_the_configured_or_given_directory(ip: SumeShell, tmp_path: Path) -> None:
    run = ip.run('%sume_generate image --prompt "a kite" --download')
    saved = list((tmp_path / "sume-downloads").iterdir())
    assert len(saved) == 1 and saved[0].suffix == ".png" and str(saved[0].name) in run.text
    html = next(o["text/html"] for o in run.outputs if "Saved" in o.get("text/plain", ""))
    assert f'download="{saved[0].name}" href="sume-downloads/{saved[0].name}"' in html  # the browser gets it too
    ip.run(f'%sume_generate image --prompt "a kite" --new --download {tmp_path / "here"}')
    assert len(list((tmp_path / "here").iterdir())) == 1


def test_video_with_every_option(ip: SumeShell, env: SandboxHandle) -> None:
    run = ip.run('%sume_generate video --prompt "waves at dusk" --aspect-ratio 9:16 --duration 5 --resolution 480p '
                 '--generate-audio --wait --timeout 30 -o clip')
    assert run.error is None, run.text
    assert ip.shell.user_ns["clip"].outputs[0].kind == "video"
    assert requests_to(env, "POST /api/v1/videos/generations") == 1


def test_ad_with_avatar_locale_and_references(ip: SumeShell, env: SandboxHandle) -> None:
    run = ip.run('%sume_generate ad --script "Meet the serum that works overnight." --ad-format talking_heads '
                 '--avatar-id avt_mia --locale en --duration 10 --reference-image-url https://cdn.example/a.png -o ad')
    assert run.error is None, run.text
    assert ip.shell.user_ns["ad"].type == "ad_video_generation"
    run = ip.run('%sume_generate ad --script "Plain video ad" --ad-format video --reference-video-url https://cdn.example/v.mp4 '
                 '--avatar-slug mia --dry-run')
    assert '"reference_video_urls"' in run.text and "avatar_slug" in run.text


def test_ad_takes_one_avatar_id(ip: SumeShell, env: SandboxHandle) -> None:
    run = ip.run('%sume_generate ad --script "Hello there" --avatar-id avt_mia --avatar-id avt_leo')
    assert isinstance(run.error, Exception) and "one --avatar-id" in run.stderr
    assert total_requests(env) == 0


def test_face_swap_uploads_a_local_source_and_starts_one_job_per_avatar(
    ip: SumeShell, env: SandboxHandle, sample_video: Path
) -> None:
    run = ip.run(f"%sume_generate face-swap --source-video {sample_video} --avatar-id avt_mia --avatar-id avt_leo "
                 "--aspect-ratio 9:16 --duration 2 --trim-start 0 --trim-end 2 -o swaps")
    assert run.error is None, run.text
    swaps = ip.shell.user_ns["swaps"]
    assert [job.type for job in swaps] == ["face_swap", "face_swap"]
    assert "Uploading sample.mp4" in run.stdout
    assert requests_to(env, "POST /api/v1/uploads/presign") == 1
    assert requests_to(env, "POST /api/v1/face-swap") == 1


def test_face_swap_dry_run_does_not_upload(ip: SumeShell, env: SandboxHandle, sample_video: Path) -> None:
    run = ip.run(f"%sume_generate face-swap --source-video {sample_video} --avatar-id avt_mia --dry-run -o body")
    assert ip.shell.user_ns["body"]["source_video_url"] == "<sample.mp4, uploaded when sent>"
    assert total_requests(env) == 0 and run.error is None


def test_analysis_waits_for_the_report(ip: SumeShell) -> None:
    run = ip.run("%sume_generate analysis --url https://www.tiktok.com/@brand/video/7301234567890123456 --wait -o report")
    assert run.error is None, run.text
    assert ip.shell.user_ns["report"].analysis.summary
    assert "summary" in run.text


def test_brand_references_add_the_current_brand_images(ip: SumeShell, env: SandboxHandle) -> None:
    run = ip.run('%sume_generate image --prompt "serum on a counter" --brand-references --dry-run -o body')
    assert ip.shell.user_ns["body"]["reference_image_urls"] == ["<the current Brand DNA's reference images>"]
    assert total_requests(env) == 0
    run = ip.run('%sume_generate image --prompt "serum on a counter" --brand-references all --json')
    assert "reference image" in run.stdout
    assert requests_to(env, "GET /api/v1/brand/current") == 1 and requests_to(env, IMAGES) == 1


@pytest.mark.parametrize(
    ("line", "wanted"),
    [
        ("%sume_generate image", "--prompt: is required"),
        ('%sume_generate image --prompt x --aspect-ratio 2:1', "--aspect-ratio: must be one of 1:1, 4:5, 9:16"),
        ('%sume_generate image --prompt x --n 0', "--n: must be at least 1"),
        ('%sume_generate image --prompt x --n two', "argument --n: invalid int value"),
        ('%sume_generate image --prompt x --reference-image-url ftp://a/b', "--reference-image-url"),
        ('%sume_generate video --prompt x --duration 30', "--duration: must be between 4 and 15"),
        ('%sume_generate video --prompt x --script y', "video does not take --script"),
        ('%sume_generate ad --script hi', "--script: must be 3 to 1,800 characters"),
        ('%sume_generate ad --script "hello there"', "--avatar-id: avatar_id or avatar_slug is required"),
        ("%sume_generate face-swap --avatar-id avt_mia --source-video /nope.mp4", "no such file: /nope.mp4"),
        ("%sume_generate face-swap --source-video https://x.example/v.mp4", "--avatar-id: must be a list of 1 to 5"),
        ("%sume_generate analysis --url https://example.com/v", "--url: must be a public TikTok or Instagram Reel URL"),
        ("%sume_generate movie --prompt x", "invalid choice: 'movie'"),
        ('%sume_generate image --prompt "unbalanced', "cannot split the line"),
        ("%sume_generate image --prompt x -o 1abc", "not a valid Python variable name"),
        ("%sume_generate image --prompt x --timeout -3", "must be a positive number"),
    ],
)
def test_bad_lines_show_usage_and_what_was_wrong_and_send_nothing(
    ip: SumeShell, env: SandboxHandle, line: str, wanted: str
) -> None:
    run = ip.run(line)
    assert "UsageError" in run.stderr and "usage: %sume_generate" in run.stderr
    assert wanted in run.stderr
    assert not run.has_traceback
    assert total_requests(env) == 0


def test_config_defaults_fill_left_out_options_and_name_the_trait_when_wrong(ip: SumeShell, env: SandboxHandle) -> None:
    ip.run('%config SumeMagics.aspect_ratio = "9:16"')
    ip.run('%config SumeMagics.quality = "high"')
    run = ip.run("%sume_generate image --prompt x --dry-run -o body")
    assert ip.shell.user_ns["body"] == {"prompt": "x", "aspect_ratio": "9:16", "quality": "high"}
    run = ip.run("%sume_generate image --prompt x --aspect-ratio 1:1 --dry-run -o body")
    assert ip.shell.user_ns["body"]["aspect_ratio"] == "1:1"
    ip.run('%config SumeMagics.aspect_ratio = "16:9"')
    run = ip.run("%sume_generate image --prompt x --dry-run")
    assert "(from %config SumeMagics.aspect_ratio)" in run.stderr
    assert ip.run("%config SumeMagics.max_batch").result == 12
    assert total_requests(env) == 0


def test_dry_run_shows_the_validated_request_and_sends_nothing(ip: SumeShell, env: SandboxHandle) -> None:
    run = ip.run('%sume_generate video --prompt "a storm" --duration 6 --resolution 720p --dry-run --wait')
    assert "Dry run, nothing was sent. POST /videos/generations" in run.stdout
    assert '"duration": 6' in run.text and '"resolution": "720p"' in run.text
    assert total_requests(env) == 0


def test_identical_rerun_reattaches_while_running_unless_new(ip: SumeShell, env: SandboxHandle) -> None:
    env.configure(time_scale=1.0)  # slow enough to still run on the re-run
    first = ip.run('%sume_generate image --prompt "a slow boat" -o first')
    second = ip.run('%sume_generate image --prompt "a slow boat" -o second')
    assert first.error is None and "Re-attached to job" in second.stdout and "--new" in second.stdout
    assert ip.shell.user_ns["first"].id == ip.shell.user_ns["second"].id
    assert requests_to(env, IMAGES) == 1
    third = ip.run('%sume_generate image --prompt "a slow boat" --new -o third')
    assert "Re-attached" not in third.stdout and ip.shell.user_ns["third"].id != ip.shell.user_ns["first"].id
    assert requests_to(env, IMAGES) == 2


def test_rerun_after_a_kernel_restart_reattaches_through_the_journal(env: SandboxHandle, ip: SumeShell) -> None:
    env.configure(time_scale=1.0)
    ip.run('%sume_generate video --prompt "long take" -o before')
    ip.close()  # a new kernel: this session's memory is gone, the journal is not
    again = SumeShell(widgets="off")  # the fixture unloads it at the end
    run = again.run('%sume_generate video --prompt "long take" -o after')
    assert "Re-attached to job" in run.stdout
    assert again.shell.user_ns["after"].id == again.shell.user_ns["before"].id
    assert requests_to(env, "POST /api/v1/videos/generations") == 1


def test_finished_job_is_not_reattached(ip: SumeShell, env: SandboxHandle) -> None:
    ip.run('%sume_generate image --prompt "quick" --wait')
    run = ip.run('%sume_generate image --prompt "quick"')
    assert "Re-attached" not in run.stdout and requests_to(env, IMAGES) == 2


def test_json_shows_the_sanitized_job(ip: SumeShell) -> None:
    run = ip.run('%sume_generate image --prompt "json please" --json')
    bundle = run.outputs[0]
    assert bundle["application/json"]["status"] in ("queued", "running", "completed")
    run = ip.run('%sume_generate image --prompt "json please" --new --wait --json')
    data = run.outputs[-1]["application/json"]
    assert data["result"]["images"][0]["url"].endswith("?…")


def test_api_error_becomes_a_compact_box(ip: SumeShell, env: SandboxHandle) -> None:
    env.add_fault(IMAGES, status=402)
    run = ip.run('%sume_generate image --prompt "no money"')
    assert run.error is None and not run.has_traceback
    assert "Sume API error" in run.text and "402" in run.text and "request id" in run.text
    assert "What to do" in run.text and "req_" in run.text
    assert "sume-error" in run.html


def test_failed_job_with_wait_shows_the_job_error(ip: SumeShell, env: SandboxHandle) -> None:
    env.add_job_fault("failed", type="image_generation")
    run = ip.run('%sume_generate image --prompt "doomed" --wait -o r')
    assert "Job failed" in run.text and "failed" in run.text
    assert not run.has_traceback and ip.shell.user_ns["r"] is None


def test_timeout_says_the_job_keeps_running(ip: SumeShell, env: SandboxHandle) -> None:
    env.configure(time_scale=1.0)
    run = ip.run('%sume_generate video --prompt "patience" --wait --timeout 0.2')
    assert "Still running" in run.text and "%sume jobs wait job_" in run.text and not run.has_traceback


def test_help_prints_every_option(ip: SumeShell, env: SandboxHandle) -> None:
    run = ip.run("%sume_generate --help")
    for option in ("--prompt", "--aspect-ratio", "--n", "--resolution", "--quality", "--reference-image-url",
                   "--brand-references", "--duration", "--generate-audio", "--script", "--ad-format", "--avatar-id",
                   "--avatar-slug", "--locale", "--reference-video-url", "--source-video", "--trim-start",
                   "--trim-end", "--url", "--wait", "--timeout", "--download", "--json", "--dry-run", "--new", "-o"):
        assert option in run.stdout
    assert run.error is None and total_requests(env) == 0

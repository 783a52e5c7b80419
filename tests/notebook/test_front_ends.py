"""Every command of the seeds, line for line, as `%sume ...` in a real IPython shell and as `sume ...` in a real
subprocess, both against the sandbox through a recording proxy: the two front ends must send the same requests
(method, path, query, body) and print the same `--json` documents.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sume_notebook import Sume
from sume_notebook.notebook._testing import SumeShell
from sume_notebook.sandbox import SandboxHandle
from tests.notebook.console_support import console
from tests.notebook.recording_proxy import Recorded, RecordingProxy

# (line after `%sume ` / `sume `, what to compare of --json: "same" document, "shape" of a new job's, or "none")
SEED_LINES = [
    ("credits", "none"),  # 001 §2
    ("credits --json", "same"),  # 000 safety checklist
    ("me --json", "same"),  # 001 §1, 002 Account
    ('images generate --prompt "Clean skincare product photo on a white bathroom counter." --aspect-ratio 1:1 '
     "--wait --json", "shape"),  # 001 §3
    ("jobs get {job} --json", "same"),  # 001 §4
    ("jobs result {job} --json", "same"),  # 001 §5
    ("jobs result {job} --download ./outputs/", "none"),  # 001 §5
    ('assets search "product demo hook" --source-type generated --limit 5 --json', "same"),  # 001 §6
    ("assets search --source-type generated --sort relevance --limit 3 --json", "same"),  # 003 filters
    ('assets get {scene} --query "product demo hook" --search-mode text --json', "same"),  # 003 fetch one scene
    ("assets list --limit 3 --json", "same"),  # 002 GET /assets
    ("avatars list --json", "same"),  # 000 `sume avatars list`
    ("avatars get {face_swap_avatar} --json", "same"),  # 002
    ("brand list --json", "same"),  # 002
    ("brand current --json", "same"),  # 004 Brand references
    ('images generate --prompt "Serum bottle in brand colours" --brand-references 1 --wait --json', "shape"),  # 004
    ('videos generate --prompt "Waves at dusk" --aspect-ratio 9:16 --duration 5 --resolution 720p --generate-audio '
     "--wait --json", "shape"),  # 000 Video options
    ('ads create --script "Meet the serum that works overnight." --ad-format talking_heads '
     "--avatar-id {talking_avatar} --locale en --wait --json", "shape"),  # 000 talking-head ad
    ("face-swap create --source-video {video} --avatar-id {face_swap_avatar} --duration 2 --wait --json",
     "shape"),  # 000 Face Swap
    ("reference-analysis create --url https://www.tiktok.com/@brand/video/7301234567890123456 --wait --json",
     "shape"),  # 000 Reference Analysis
    ("uploads presign {video} --purpose face_swap_source_video --json", "shape"),  # 000 Face Swap step 1
    ("assets upload {video} --title Demo --wait --json", "shape"),  # 003 Upload a video to Asset Library
    ("jobs list --type image_generation --limit 2 --json", "same"),  # 003 List and inspect jobs
    ("jobs wait {job} --json", "same"),  # 000 jobs.wait
    ("jobs attach {job} --json", "same"),
]

_VARYING_FIELDS = {"source_video_url", "object_key"}  # a new upload each run: its URL and key differ


@pytest.fixture
def proxy(env: SandboxHandle, monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingProxy]:
    recording = RecordingProxy(env.origin)
    monkeypatch.setenv("SUME_BASE_URL", recording.url)
    yield recording
    recording.close()


@pytest.fixture
def names(sume: Sume, sample_video: Path) -> dict[str, str]:
    """What the lines refer to: a completed job, avatars that can do each thing, a scene, a local video."""
    job = sume.images.generate("a job to read back")
    job.wait()
    avatars = sume.avatars.list().to_list()
    scene = sume.assets.search("product demo hook", source_type="generated", limit=1, max_items=1).to_list()[0]
    return {"job": job.id, "scene": scene.id, "video": str(sample_video),
            "talking_avatar": next(a.id for a in avatars if a.can("talking_heads")),
            "face_swap_avatar": next(a.id for a in avatars if a.can("face_swap"))}


def _requests(recorded: list[Recorded]) -> set[tuple[str, str, tuple[tuple[str, str], ...], str]]:
    """Distinct requests (how often a job was polled depends on timing), new job ids and upload fields masked."""
    def body(value: Any) -> str:
        if isinstance(value, dict):
            value = {k: "<varies>" if k in _VARYING_FIELDS else v for k, v in value.items()}
        return json.dumps(value, sort_keys=True)

    return {(r.method, re.sub(r"job_[0-9a-f]{20}", "{job}", r.path), r.query, body(r.body)) for r in recorded}


def _read(value: Any) -> Any:
    """A document as two reads of the same thing agree on: when the key was last used is the read itself."""
    if isinstance(value, dict):
        return {k: _read(v) for k, v in value.items() if k != "last_used_at"}
    if isinstance(value, list):
        return [_read(v) for v in value]
    return value


def _shape(value: Any) -> Any:
    """The structure of a document: keys and types, and the statuses, not the ids and times of a new job."""
    if isinstance(value, dict):
        return {k: v if k in ("status", "object", "type") else _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return type(value).__name__


@pytest.mark.parametrize(("line", "compare"), SEED_LINES, ids=[line.split(" --")[0] for line, _ in SEED_LINES])
def test_both_front_ends_send_the_same_requests_and_print_the_same_json(
    line: str, compare: str, ip: SumeShell, proxy: RecordingProxy, names: dict[str, str], tmp_path: Path
) -> None:
    line = line.format(**names)
    proxy.take()

    cell = ip.run(f"%sume {line}")
    assert cell.error is None and not cell.has_traceback, cell.text
    assert "What to do:" not in cell.text, cell.text  # no error box
    in_notebook = _requests(proxy.take())

    where = tmp_path / "terminal"
    where.mkdir()
    done = console(*shlex.split(line), cwd=where)
    assert done.returncode == 0, done.stderr
    in_terminal = _requests(proxy.take())

    assert in_notebook and in_terminal == in_notebook
    if compare == "none":
        if "--download" in line:
            assert sorted(p.name for p in (where / "outputs").iterdir()) == sorted(p.name for p in Path("outputs").iterdir())
        return
    shown = [bundle["application/json"] for bundle in cell.outputs if "application/json" in bundle]
    assert len(shown) == 1, cell.outputs  # one document in the notebook, as on stdout
    printed = json.loads(done.stdout)  # stdout holds that JSON and nothing else
    if compare == "same":
        assert _read(printed) == _read(shown[0])
    else:
        assert _shape(printed) == _shape(shown[0])
    assert "token=" not in done.stdout  # sanitized: signed URLs lose their query


def _posts(proxy: RecordingProxy) -> list[tuple[str, Any]]:
    return [(r.path, r.body) for r in proxy.take() if r.method == "POST"]


def test_the_short_forms_send_the_same_request_as_images_generate(ip: SumeShell, proxy: RecordingProxy) -> None:
    sent = []
    for cell in ('%sume images generate --prompt "a red fox" --aspect-ratio 4:5 --quality high --wait',
                 '%sume_generate image --prompt "a red fox" --aspect-ratio 4:5 --quality high --wait',
                 "%%sume_prompt image --aspect-ratio 4:5 --quality high --wait\na red fox"):
        assert ip.run(cell).error is None
        sent.append(_posts(proxy))
    assert len(sent[0]) == 1 and sent[0] == sent[1] == sent[2]


def test_brand_references_are_chosen_by_index_or_id_and_listed_without_a_value(
    ip: SumeShell, proxy: RecordingProxy, sume: Sume, tmp_path: Path
) -> None:
    images = [image for image in sume.brand.current().images if image.reference_url]
    assert len(images) >= 2
    listed = ip.run('%sume images generate --prompt "serum" --brand-references')
    assert "nothing was sent" in listed.stdout and not _posts(proxy)
    assert list(listed.result["index"]) == list(range(1, len(images) + 1))
    assert list(listed.result["id"]) == [image.id for image in images]
    assert "token=" not in listed.result.to_string()

    ip.run(f'%sume images generate --prompt "serum" --brand-references 2,{images[0].id} --wait')
    [(_, body)] = _posts(proxy)
    assert body["reference_image_urls"] == [images[1].reference_url, images[0].reference_url]
    ip.run('%sume_generate image --prompt "serum" --brand-references all --wait')
    [(_, body)] = _posts(proxy)
    assert body["reference_image_urls"] == [image.reference_url for image in images]

    wrong = ip.run(f'%sume images generate --prompt "serum" --brand-references {len(images) + 1}')
    assert "--brand-references: no reference" in str(wrong.error) and not _posts(proxy)
    in_terminal = console("images", "generate", "--prompt", "serum", "--brand-references", "--json", cwd=tmp_path)
    assert in_terminal.returncode == 0
    assert [row["id"] for row in json.loads(in_terminal.stdout)] == [image.id for image in images]
    assert not _posts(proxy)


def test_assets_finalize_sends_the_same_request_from_both_front_ends(
    ip: SumeShell, proxy: RecordingProxy, sume: Sume, sample_video: Path, tmp_path: Path
) -> None:
    """003: presign, upload the bytes, then finalize. The object key is a secret no output shows, so the test gets
    one per front end from the client."""
    keys = [sume.uploads.upload_file(sample_video, "asset_library_video").object_key for _ in range(2)]
    cell = ip.run(f"%sume assets finalize --object-key {keys[0]} --title Demo --wait --json")
    assert cell.error is None and "What to do:" not in cell.text, cell.text
    in_notebook = _requests(proxy.take())
    done = console("assets", "finalize", "--object-key", keys[1], "--title", "Demo", "--wait", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _requests(proxy.take()) == in_notebook
    assert ("POST", "/api/v1/assets", (), json.dumps({"object_key": "<varies>", "title": "Demo"})) in in_notebook
    shown = [bundle["application/json"] for bundle in cell.outputs if "application/json" in bundle]
    assert _shape(json.loads(done.stdout)) == _shape(shown[0]) and keys[1] not in done.stdout

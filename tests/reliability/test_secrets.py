"""Every example notebook, run in a real kernel against a sandbox with its own random keys, leaks nothing.

Scanned: the saved notebook with widget state (and the media buffers it holds), its HTML export, the journal's
SQLite files, a DEBUG log of everything the kernel logged, and the text of exceptions the client raised (printed
by a last cell that provokes a few). Searched for: every key of the sandbox and its admin token, upload URLs
(`/_storage/`), storage object keys, media tokens (`token=`), the accounts' emails, workspace and user ids.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from sume_notebook.demo import WIDGET_STATE, execute_notebook, export_html, kernel_env
from sume_notebook.sandbox import SandboxHandle, start_sandbox

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TIME_SCALE = 0.1
PROBE = "probe-upload.mp4"

LOGGING_CELL = """\
import logging
_debug_log = logging.FileHandler("debug.log", encoding="utf-8")
_debug_log.setLevel(logging.DEBUG)
_debug_log.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
logging.getLogger().addHandler(_debug_log)
logging.getLogger().setLevel(logging.DEBUG)
"""
# Errors a session meets, printed whole (message, repr and traceback): a missing job and scene, a storage PUT that
# is refused (the sandbox is told to refuse this one file), an unreadable file, an unreachable service.
ERRORS_CELL = f"""\
import traceback
from sume_notebook import Sume

def _show(call):
    try:
        call()
    except Exception as error:
        print("ERROR", type(error).__name__, error, repr(error), sep="\\n")
        print(traceback.format_exc())
        logging.getLogger("sume_notebook").exception("probe")

with Sume(max_retries=0) as _client:
    _show(lambda: _client.jobs.get("job_missing000000"))
    _show(lambda: _client.assets.get("scn_missing000000"))
    _show(lambda: _client.uploads.upload_file("{PROBE}", "asset_library_video"))
    _show(lambda: _client.uploads.upload_file("no-such-file.mp4", "asset_library_video"))
with Sume(base_url="http://127.0.0.1:9/api/v1", max_retries=0) as _offline:
    _show(lambda: _offline.me())
"""


def forbidden(handle: SandboxHandle) -> list[tuple[str, re.Pattern[str]]]:
    literal = [("key " + role, key) for role, key in handle.keys.items()] + [("admin token", handle.admin_token)]
    patterns = [(name, re.compile(re.escape(value))) for name, value in literal]
    return patterns + [
        ("upload URL", re.compile(r"/_storage/")),
        ("object key", re.compile(r"uploads/[0-9a-f]{32}/")),
        ("media token", re.compile(r"token=")),
        ("email", re.compile(r"@sandbox\.sume\.test")),
        ("workspace id", re.compile(r"ws_sandbox_")),
        ("user id", re.compile(r"usr_sandbox_")),
        ("any sandbox key", re.compile(r"sume_test_[0-9a-f]{8}")),
    ]


def leaks(text: str, checks: list[tuple[str, re.Pattern[str]]]) -> list[str]:
    found = []
    for name, pattern in checks:
        for match in pattern.finditer(text):
            found.append(f"{name}: ...{text[max(0, match.start() - 60):match.end() + 20]!r}...")
    return found


def buffers_of(notebook: nbformat.NotebookNode) -> bytes:
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    return b"".join(base64.b64decode(b["data"]) for model in state.values() for b in model.get("buffers", []))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_leaks_nothing(path: Path, tmp_path: Path, sample_video: Path) -> None:
    assert NOTEBOOKS and NOTEBOOKS[0].name == "01-quickstart.ipynb"
    work = tmp_path / "work"
    work.mkdir()
    shutil.copyfile(sample_video, work / PROBE)
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(LOGGING_CELL))
    notebook.cells.append(nbformat.v4.new_code_cell(ERRORS_CELL))
    source = work / path.name
    nbformat.write(notebook, source)

    with start_sandbox(data_dir=tmp_path / "sandbox", time_scale=TIME_SCALE) as sandbox:
        sandbox.add_fault(f"PUT /_storage/uploads/*/{PROBE}", status=403, count=1)
        env = kernel_env(sandbox.url, sandbox.api_key, SUME_NOTEBOOK_HOME=str(tmp_path / "home"),
                         IPYTHONDIR=str(tmp_path / "ipython"))
        executed = execute_notebook(source, env, cwd=work)
        checks = forbidden(sandbox)

    outputs = [o for cell in executed.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    errors_printed = "".join(o.get("text", "") for o in executed.cells[-1].outputs)
    assert errors_printed.count("ERROR\n") == 5, errors_printed
    assert "PermissionDeniedError" in errors_printed and "req_" in errors_printed  # the refused PUT, with its id
    debug_log = (work / "debug.log").read_text(encoding="utf-8")
    assert "HTTP Request" in debug_log and "DEBUG" in debug_log  # httpx and our client did log at DEBUG

    html = export_html(executed, tmp_path / "export.html").read_text(encoding="utf-8")
    journal = b"".join(p.read_bytes() for p in sorted((tmp_path / "home").iterdir()) if p.is_file())
    scanned = {
        "saved notebook": nbformat.writes(executed),
        "widget media buffers": buffers_of(executed).decode("latin-1"),
        "HTML export": html,
        "journal": journal.decode("latin-1"),
        "DEBUG log": debug_log,
        "exception texts": errors_printed + json.dumps([o for o in outputs if o.output_type == "error"]),
    }
    found = {name: hits for name, text in scanned.items() if (hits := leaks(text, checks))}
    assert not found, json.dumps(found, indent=1)[:4000]


def test_the_scan_finds_what_the_service_does_send(sb: SandboxHandle, sample_video: Path) -> None:
    """A control: the raw answers of the service (what the client is given) hit every pattern the scan looks for,
    so zero hits above means redaction worked, not that the patterns can never match."""
    import httpx

    headers = {"Authorization": f"Bearer {sb.api_key}"}
    with httpx.Client(base_url=sb.url, headers=headers, timeout=30) as http:
        me = http.get("/me").text
        presign = http.post("/uploads/presign", json={"purpose": "asset_library_video", "filename": "a.mp4",
                                                      "content_type": "video/mp4", "size_bytes": 1000}).text
        job = http.post("/images/generations", json={"prompt": "control"}).json()
        job_id = job.get("job", job).get("id") or job.get("job_id")
        for _ in range(200):
            if http.get(f"/jobs/{job_id}").json()["status"] == "completed":
                break
        result = http.get(f"/jobs/{job_id}/result").text
    raw = "\n".join([me, presign, result, f"Authorization: Bearer {sb.api_key}"])
    hit = {name for name, pattern in forbidden(sb) if pattern.search(raw)}
    assert {"key primary", "upload URL", "object key", "media token", "email", "workspace id", "user id"} <= hit, hit

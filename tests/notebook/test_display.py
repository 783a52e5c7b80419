"""What the magics show: live widgets in a widget frontend, text elsewhere, cards and JSON without secrets."""

from __future__ import annotations

import concurrent.futures
import sys
import types
from pathlib import Path
from typing import Any

import ipywidgets
import pytest
from ipywidgets.widgets.widget import _instances

from sume_notebook.notebook._testing import CellRun, SumeShell
from sume_notebook.notebook.display import JSONView, card_for, frontend_has_widgets
from sume_notebook.sandbox import SandboxHandle
from tests.support import total_requests


def _real_widgets() -> bool:
    try:
        from sume_notebook.notebook.widgets import JobGrid, JobView  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture
def widget_ip(ip: SumeShell, monkeypatch: pytest.MonkeyPatch) -> SumeShell:
    """The shell in widget mode, with the real widgets once they exist, else stand-ins of their interface."""
    if not _real_widgets():
        module = types.ModuleType("sume_notebook.notebook.widgets")

        class JobView(ipywidgets.VBox):  # type: ignore[misc]
            def __init__(self, job: Any, *, preview_size: int = 512, timeout: float | None = None, client: Any = None) -> None:
                super().__init__()
                self.job, self.preview_size = job, preview_size
                self.done: concurrent.futures.Future[Any] = concurrent.futures.Future()

        class JobGrid(ipywidgets.VBox):  # type: ignore[misc]
            def __init__(self, jobs: list[Any], labels: list[str] | None = None, *, columns: int = 3,
                         preview_size: int = 256) -> None:
                super().__init__()
                self.jobs, self.labels = jobs, labels

        module.JobView, module.JobGrid = JobView, JobGrid  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "sume_notebook.notebook.widgets", module)
    ip.magics.widgets = "on"
    return ip


def _widgets(run: CellRun) -> list[Any]:
    key = "application/vnd.jupyter.widget-view+json"
    return [_instances[bundle[key]["model_id"]] for bundle in run.outputs if key in bundle]


def test_a_job_shows_a_live_job_view(widget_ip: SumeShell) -> None:
    run = widget_ip.run('%sume_generate image --prompt "widget please" -o job')
    [view] = _widgets(run)
    assert type(view).__name__ == "JobView" and run.stdout == ""
    assert view.done is not None


def test_wait_in_widget_mode_prints_no_text_progress(widget_ip: SumeShell) -> None:
    run = widget_ip.run('%sume_generate image --prompt "widget wait" --wait -o result')
    assert widget_ip.shell.user_ns["result"].status == "completed"
    assert "completed (" not in run.stdout and [type(w).__name__ for w in _widgets(run)] == ["JobView"]


def test_a_matrix_shows_one_labelled_grid(widget_ip: SumeShell) -> None:
    widget_ip.shell.user_ns["tone"] = ["warm", "cold"]
    run = widget_ip.run("%%sume_prompt\na {tone} room")
    [grid] = _widgets(run)
    assert type(grid).__name__ == "JobGrid"


def test_a_face_swap_shows_one_grid_named_by_avatar(widget_ip: SumeShell, sample_video: Path) -> None:
    run = widget_ip.run(f"%sume_generate face-swap --source-video {sample_video} --avatar-id avt_mia --avatar-id avt_leo")
    [grid] = _widgets(run)
    assert type(grid).__name__ == "JobGrid"
    assert [view._label for view in grid.views] == ["avatar=Mia", "avatar=Leo"]


def test_rows_and_cols_choose_the_axes_of_a_matrix_grid(widget_ip: SumeShell) -> None:
    widget_ip.shell.user_ns.update(tone=["warm", "cold"], room=["kitchen", "attic", "porch"])
    run = widget_ip.run("%%sume_prompt --rows room --cols tone\na {tone} {room}")
    [grid] = _widgets(run)
    assert grid.layout_plan.legend == "rows: room × columns: tone"
    assert [len(row) for row in grid.layout_plan.groups[0].cells] == [2, 2, 2]


def test_rows_and_cols_must_name_list_variables(widget_ip: SumeShell, env: SandboxHandle) -> None:
    widget_ip.shell.user_ns.update(tone=["warm", "cold"], room="kitchen")
    before = total_requests(env)
    run = widget_ip.run("%%sume_prompt --rows room\na {tone} {room}")
    assert "--rows room: not a list variable of the cell (its list variables: tone)" in run.stderr
    run = widget_ip.run("%%sume_prompt --rows tone --cols tone\na {tone} {room}")
    assert "--rows and --cols both name tone" in run.stderr
    assert not run.has_traceback and total_requests(env) == before


def test_widget_mode_follows_the_frontend() -> None:
    zmq_shell = type("ZMQInteractiveShell", (), {"__module__": "ipykernel.zmqshell"})()
    assert frontend_has_widgets(zmq_shell, "auto") and not frontend_has_widgets(zmq_shell, "off")
    assert not frontend_has_widgets(object(), "auto") and frontend_has_widgets(object(), "on")


def test_cards_and_json_keep_secrets_out(ip: SumeShell, env: SandboxHandle) -> None:
    account = ip.magics.session.client().me()
    card = card_for(account)
    assert card is not None
    text, page = repr(card), card._repr_html_()
    for secret in ("ada@sandbox.sume.test", "usr_sandbox_ada", "ws_sandbox_main", env.api_key):
        assert secret not in text and secret not in page
    view = JSONView({"url": "https://cdn.example/a.png?token=abc", "object_key": "uploads/k", "n": 1})
    assert view.data == {"url": "https://cdn.example/a.png?…", "object_key": "<hidden>", "n": 1}
    assert "token=abc" not in repr(view) and card_for(object()) is None


def test_a_finished_video_follows_the_static_cap_and_download_folder_of_config(widget_ip: SumeShell, tmp_path: Path) -> None:
    widget_ip.run("%config SumeMagics.static_video_bytes = 1000")
    run = widget_ip.run('%sume_generate video --prompt "a capped clip" --duration 4 --wait')
    [view] = _widgets(run)
    view.done.result(timeout=30)
    html = view._repr_mimebundle_()["text/html"]
    assert view.is_final and "<video" not in html and 'src="data:image/jpeg' in html  # its poster frame
    [saved] = (tmp_path / "sume-downloads").iterdir()
    assert saved.name.startswith("a-capped-clip-job_") and f'href="sume-downloads/{saved.name}"' in html

"""Displayed through IPython, a widget's saved snapshot is replaced by its final state once the job ends."""

from __future__ import annotations

from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from sume_notebook import Sume
from sume_notebook.sandbox import SandboxHandle
from sume_notebook.widgets import JobView

WAIT = 30


def test_the_snapshot_of_a_displayed_view_is_updated_to_the_outcome(sume: Sume, sb: SandboxHandle) -> None:
    sb.configure(time_scale=0.2)
    shell = InteractiveShell.instance()
    shell.user_ns["view"] = JobView(sume.images.generate("a copper kettle"), label="kettle")
    with capture_output() as captured:
        shell.run_cell("view")
        shell.user_ns["view"].done.result(timeout=WAIT)
    first, *updates = captured.outputs
    assert "queued" in first.data["text/plain"] and "application/vnd.jupyter.widget-view+json" in first.data
    assert updates and all(u.update and u.transient == first.transient for u in updates)
    final = updates[-1].data
    assert "completed" in final["text/plain"] and "data:image/jpeg;base64," in final["text/html"]


def test_a_widget_with_a_quick_first_load_is_displayed_complete(sume: Sume, sb: SandboxHandle) -> None:
    sb.configure(credits=777)
    shell = InteractiveShell.instance()
    shell.user_ns["sume"] = sume
    with capture_output() as captured:
        shell.run_cell("from sume_notebook.widgets import CreditsBadge\nCreditsBadge(sume)")
    (shown,) = captured.outputs  # no later replacement needed
    assert "777 remaining" in shown.data["text/plain"] and ">777<" in shown.data["text/html"]

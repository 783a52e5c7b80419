"""The widget kit: `JobView`, `JobGrid`, `CompareView` (and `compare()`), `PromptStudio`, `AssetBrowser`, `CreditsBadge`,
`TimelineView`.

Loaded on first use of a name, so `import sume_notebook` never pays for ipywidgets.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["AssetBrowser", "CompareView", "CreditsBadge", "JobGrid", "JobView", "PromptStudio", "TimelineView", "compare"]

_MODULES = {
    "AssetBrowser": "sume_notebook.notebook.widgets.asset_browser",
    "CompareView": "sume_notebook.notebook.widgets.compare",
    "CreditsBadge": "sume_notebook.notebook.widgets.credits_badge",
    "JobGrid": "sume_notebook.notebook.widgets.job_grid",
    "JobView": "sume_notebook.notebook.widgets.job_view",
    "PromptStudio": "sume_notebook.notebook.widgets.prompt_studio",
    "TimelineView": "sume_notebook.notebook.widgets.timeline_view",
    "compare": "sume_notebook.notebook.widgets.compare",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'sume_notebook.widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULES))


if TYPE_CHECKING:
    from .notebook.widgets import AssetBrowser, CompareView, CreditsBadge, JobGrid, JobView, PromptStudio, compare
    from .notebook.widgets.timeline_view import TimelineView

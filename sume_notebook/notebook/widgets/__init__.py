"""Live notebook widgets for Sume, composed of stock ipywidgets: jobs, batches, comparisons, prompts, assets, credits."""

from .asset_browser import AssetBrowser
from .compare import CompareView, compare
from .credits_badge import CreditsBadge
from .job_grid import JobGrid
from .job_view import JobView
from .prompt_studio import PromptStudio

__all__ = ["AssetBrowser", "CompareView", "CreditsBadge", "JobGrid", "JobView", "PromptStudio", "compare"]

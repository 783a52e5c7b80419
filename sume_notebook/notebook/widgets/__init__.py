"""Live notebook widgets for Sume, composed of stock ipywidgets: jobs, batches, prompts, assets and credits."""

from .asset_browser import AssetBrowser
from .credits_badge import CreditsBadge
from .job_grid import JobGrid
from .job_view import JobView
from .prompt_studio import PromptStudio

__all__ = ["AssetBrowser", "CreditsBadge", "JobGrid", "JobView", "PromptStudio"]

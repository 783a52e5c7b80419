"""Sphinx configuration: pydata-sphinx-theme and myst-nb, the convention of ipywidgets and jupysql."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "sume-notebook"
author = "sume-notebook developers"
copyright = "2026, sume-notebook developers"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
]
myst_enable_extensions = ["colon_fence", "deflist"]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}

nb_execution_mode = "off"
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
html_theme = "pydata_sphinx_theme"
html_title = "sume-notebook"
html_static_path = ["_static"]
html_theme_options = {"navigation_with_keys": True, "show_toc_level": 2}

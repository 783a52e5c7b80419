"""Sphinx configuration: pydata-sphinx-theme and myst-nb, the convention of ipywidgets and jupysql."""

from __future__ import annotations

import os
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
    "sume_magics_doc",  # docs/_ext: the magics reference, rendered from their own parsers
    "sume_cli_doc",  # docs/_ext: the console reference, rendered from the command table
    "sume_catalog_doc",  # docs/_ext: the sandbox guide's tables, read from the sandbox's catalog
    "sume_docs_sandbox",  # docs/_ext: a throwaway sandbox the example notebooks execute against
]
myst_enable_extensions = ["colon_fence", "deflist"]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}

# The example notebooks (docs/notebooks -> ../notebooks) are executed at build time against a local sandbox
# started by sume_docs_sandbox; SUME_DOCS_EXECUTE=off renders them as committed (without outputs).
nb_execution_mode = os.environ.get("SUME_DOCS_EXECUTE", "force")
nb_execution_raise_on_error = True
nb_execution_timeout = 300
nb_execution_in_temp = True  # downloads land in a temporary directory, not in the source tree
nb_execution_show_tb = True
# A saved widget is shown by its text/html snapshot (what GitHub and nbconvert show too), not by the widget
# manager from a CDN: the pages work offline and carry no widget state.
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_ipywidgets_js = {}
# myst-nb renders every mime type of an output while reading (choosing one per builder later), so an output that
# also carries application/json (`--json`, `--dry-run`) warns although its text/html is what is shown. An output
# with nothing this builder can show still fails the build (mystnb.mime_priority).
suppress_warnings = ["mystnb.unknown_mime_type"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
html_theme = "pydata_sphinx_theme"
html_title = "sume-notebook"
html_static_path = ["_static"]
html_theme_options = {"navigation_with_keys": True, "show_toc_level": 2}

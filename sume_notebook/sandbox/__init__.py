"""A local Sume-compatible server: the embedded default of the demo, the docs and the tests.

It implements every route of the Public API as API-CONTRACT.md reads it, with real media, credits,
limits and injectable faults. It imports nothing from the client: two independent readings of one
contract. Start it with `start_sandbox()` or `python -m sume_notebook.sandbox`.
"""

from ._app import create_app
from ._server import SandboxHandle, default_data_dir, start_sandbox

__all__ = ["SandboxHandle", "create_app", "default_data_dir", "start_sandbox"]

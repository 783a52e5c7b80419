"""The notebook suite: the magics in a real IPython shell (`ip`, from tests/conftest.py) against the shared sandbox."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def sandbox_limits() -> dict[str, Any]:
    """Room for 20 active generations: slow jobs of earlier tests must not hold the capacity a cell needs."""
    return {"max_active_generations": 20}

"""The leading and trailing throttle, and the progress estimate, on their own."""

from __future__ import annotations

import threading
import time

import pytest

from sume_notebook.notebook.widgets._progress import ESTIMATE_CEILING, estimate, next_fraction
from sume_notebook.notebook.widgets._throttle import Throttle


def test_first_render_runs_at_once_then_the_latest_one_at_the_end_of_the_interval() -> None:
    throttle = Throttle(interval=0.2)
    ran: list[str] = []
    finished = threading.Event()
    throttle.submit("w", lambda: ran.append("first"))
    assert ran == ["first"]
    for i in range(50):
        throttle.submit("w", lambda i=i: ran.append(f"update {i}"))
    throttle.submit("other", lambda: finished.set())
    assert ran == ["first"]
    assert finished.wait(2)
    assert ran == ["first", "update 49"]


def test_flush_runs_a_pending_render_now_and_only_once() -> None:
    throttle = Throttle(interval=0.3)
    ran: list[str] = []
    throttle.submit("w", lambda: ran.append("leading"))
    throttle.submit("w", lambda: ran.append("final"))
    throttle.flush("w")
    assert ran == ["leading", "final"]
    time.sleep(0.4)
    assert ran == ["leading", "final"]


def test_a_failing_render_is_logged_and_the_others_still_run(caplog: pytest.LogCaptureFixture) -> None:
    throttle = Throttle(interval=0.05)
    ran: list[str] = []
    throttle.submit("a", lambda: ran.append("a"))
    throttle.submit("b", lambda: 1 / 0)
    throttle.submit("c", lambda: ran.append("c"))
    throttle.flush()
    assert ran == ["a", "c"] and "widget render failed" in caplog.text


def test_the_estimate_never_claims_completion() -> None:
    assert estimate(0, "image_generation") == 0
    assert estimate(30, "image_generation") == pytest.approx(0.6, abs=0.01)
    assert estimate(10**9, "video_generation") <= ESTIMATE_CEILING < 1
    assert next_fraction(0.5, 1.0, 5, "image_generation", completed=False) < 1
    assert next_fraction(0.7, 0.2, 5, "image_generation", completed=False) == 0.7  # never backwards
    assert next_fraction(0.7, None, 5, "image_generation", completed=True) == 1.0

"""`CreditsBadge`: the sandbox's own numbers, read again on refresh."""

from __future__ import annotations

from sume_notebook import Sume
from sume_notebook.sandbox import SandboxHandle
from sume_notebook.widgets import CreditsBadge

WAIT = 30


def test_shows_remaining_credits_and_active_generations(sume: Sume, sb: SandboxHandle) -> None:
    sb.configure(credits=4321, max_active_generations=7)
    badge = CreditsBadge(sume)
    credits = badge.loaded.result(timeout=WAIT)
    assert credits.remaining_credits == 4321
    assert "4,321" in badge._summary.value and "0 of 7" in badge._summary.value
    assert repr(badge) == "Sume credits: 4,321 remaining, 0 of 7 generations active"
    sb.configure(credits=99)
    (_, refresh) = badge.children[0].children
    refresh.click()
    assert badge.loaded.result(timeout=WAIT).remaining_credits == 99
    assert ">99<" in badge._summary.value and "99" in badge._repr_mimebundle_()["text/html"]


def test_an_invalid_key_shows_what_to_do(sb: SandboxHandle) -> None:
    with Sume(api_key="sume_test_not_a_real_key", base_url=sb.url) as wrong:
        badge = CreditsBadge(wrong)
        assert badge.loaded.exception(timeout=WAIT) is not None
    assert "401" in badge._summary.value and "SUME_API_KEY" in badge._summary.value
    assert "not_a_real_key" not in badge._summary.value

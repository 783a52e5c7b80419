"""Rich HTML reprs of the client's objects: useful cards, with emails and ids masked and URLs cut."""

from __future__ import annotations

from typing import Any

from sume_notebook import Sume
from sume_notebook.sandbox import SandboxHandle
from tests.support import assert_nothing_secret


def test_every_client_object_renders_a_safe_card(
    sume: Sume, sb: SandboxHandle, sandbox_account: dict[str, Any]
) -> None:
    job = sume.images.generate("a lantern").wait()
    account = sume.me()
    credits = sume.credits()
    brand = sume.brand.current()
    asset = next(iter(sume.assets.search("hook", limit=1)))
    avatar = next(iter(sume.avatars.list()))
    page = next(iter(sume.jobs.list(limit=3).pages()))
    cards = {
        "account": account._repr_html_(), "credits": credits._repr_html_(), "brand": brand._repr_html_(),
        "job": job._repr_html_(), "result": job.result()._repr_html_(), "asset": asset._repr_html_(),
        "avatar": avatar._repr_html_(), "page": page._repr_html_(),
        "paginator": sume.assets.search("hook", limit=2)._repr_html_(),
    }
    assert_nothing_secret("".join(cards.values()), sb.api_key, sandbox_account)
    assert "completed" in cards["job"] and job.id[:8] in cards["job"] and job.id not in cards["job"]
    assert "image/png" in cards["result"] and "1024×1024" in cards["result"] and ".png?…" in cards["result"]
    assert f"{credits.remaining_credits:,.0f}" in cards["credits"]
    assert account.workspace_name in cards["account"] and "…@" in cards["account"]
    assert brand.name in cards["brand"] and brand.images[0].caption in cards["brand"]
    assert asset.segment_type in cards["asset"] and f"{asset.start_seconds:.1f}–" in cards["asset"]
    assert avatar.name in cards["avatar"]
    assert "3 items" in cards["page"] and "more pages follow" in cards["page"]
    assert "/assets" in cards["paginator"] and "to_pandas()" in cards["paginator"]


def test_ipython_picks_the_html_of_a_blocking_object(sume: Sume) -> None:
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(sume.credits())
    assert "remaining" in data["text/html"] and data["text/plain"].startswith("Sume credits")

"""`me()`, `credits()`, Brand DNA and avatars against the sandbox."""

from __future__ import annotations

import pytest

from sume_notebook import Account, AsyncSume, Avatar, Brand, Credits, Sume, SumeError
from sume_notebook.sandbox import SandboxHandle


async def test_me_masks_email_and_ids(client: AsyncSume) -> None:
    account = await client.me()
    assert isinstance(account, Account)
    assert account.email and "@" in account.email
    text = repr(account)
    assert account.email not in text
    assert account.workspace["id"] not in text and account.user["id"] not in text
    assert account.workspace_name in text


async def test_credits_report_capacity(client: AsyncSume) -> None:
    credits = await client.credits()
    assert isinstance(credits, Credits)
    assert credits.remaining_credits and credits.remaining_credits > 0
    assert credits.max_active_generations == 4
    assert credits.free_generation_slots is not None and 0 <= credits.free_generation_slots <= 4


async def test_brand_list_and_current(client: AsyncSume) -> None:
    brands = await client.brand.list().to_list()
    assert brands and all(isinstance(b, Brand) for b in brands)
    current = await client.brand.current()
    assert current.id in {b.id for b in brands}
    assert current.reference_urls and all(u.startswith("http") for u in current.reference_urls)
    frame = await client.brand.list().to_pandas()
    assert list(frame["id"]) == [b.id for b in brands]


async def test_avatars_list_get_and_capabilities(client: AsyncSume) -> None:
    avatars = await client.avatars.list().to_list()
    assert len(avatars) >= 8 and all(isinstance(a, Avatar) for a in avatars)
    one = await client.avatars.get(avatars[0].id)
    assert one.id == avatars[0].id and one.slug == avatars[0].slug
    assert any(a.can("face_swap") for a in avatars) and any(not a.can("ugc_ads") for a in avatars)
    frame = await client.avatars.list().to_pandas()
    assert str(frame["capabilities_face_swap"].dtype) == "bool"
    first = await client.avatars.list(limit=3).pages().__anext__()
    assert first.next_cursor is not None
    after = await client.avatars.list(limit=3, cursor=first.next_cursor).to_list()
    assert [a.id for a in [*first, *after]] == [a.id for a in avatars]


def test_blocking_facade_same_interface(sume: Sume, sb: SandboxHandle) -> None:
    assert sume.credits().max_active_generations == 4
    assert [a.id for a in sume.avatars.list(max_items=3)] == [a.id for a in list(sume.avatars.list())[:3]]
    assert sb.api_key not in repr(sume) and repr(sume).startswith("Sume(")


def test_key_and_base_url_from_environment(sb: SandboxHandle, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUME_API_KEY", sb.api_key)
    monkeypatch.setenv("SUME_BASE_URL", sb.url)
    with Sume() as sume:
        assert sume.base_url == sb.url
        assert sume.me().workspace_name


def test_missing_key_is_a_clear_error() -> None:
    with pytest.raises(SumeError, match="SUME_API_KEY"):
        AsyncSume()


def test_default_base_url_is_production() -> None:
    assert AsyncSume(api_key="sume_live_fake-placeholder", journal=False).base_url == "https://www.sume.so/api/v1"

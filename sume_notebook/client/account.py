"""`GET /me` and `GET /credits`: who the key is, and what it can still spend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._redaction import mask_email, register_secret
from ._models import Account, Credits

if TYPE_CHECKING:
    from ._client import AsyncSume

__all__ = ["fetch_credits", "fetch_me"]


async def fetch_me(client: AsyncSume) -> Account:
    account = Account.from_api((await client._get("/me")).data)
    # The account's email and ids (the key's own id too) must never be printed: teach the redactor their values.
    for part in (account.user or {}, account.workspace or {}, account.api_key or {}):
        register_secret(part.get("id"))
        register_secret(part.get("email"), mask_email(part.get("email")))
    return account


async def fetch_credits(client: AsyncSume) -> Credits:
    return Credits.from_api((await client._get("/credits")).data)

"""`GET /me` and `GET /credits`: who the key is, and what it can still spend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._redaction import register_secret
from ._models import Account, Credits

if TYPE_CHECKING:
    from ._client import AsyncSume

__all__ = ["fetch_credits", "fetch_me"]


async def fetch_me(client: AsyncSume) -> Account:
    account = Account.from_api((await client._get("/me")).data)
    # The account's email and ids must never be printed: teach the redactor their exact values.
    for part in (account.user or {}, account.workspace or {}):
        register_secret(part.get("id"))
        email = part.get("email")
        if email:
            register_secret(email, email[0] + "…@…")
    return account


async def fetch_credits(client: AsyncSume) -> Credits:
    return Credits.from_api((await client._get("/credits")).data)

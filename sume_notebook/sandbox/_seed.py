"""What a fresh sandbox holds: workspaces and their keys, users, Brand DNA profiles and avatars.

Keys are random per data directory (they are printed at start, never derived from the seed), the rest
is fixed so notebooks and docs show the same brands and avatars everywhere.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timezone

from . import _catalog as cat
from ._store import Store, now

# (workspace id, name, plan, monthly, bonus, key roles)
WORKSPACES = (
    ("ws_sandbox_main", "Sandbox Studio", "pro", 5000, 1000, ("primary", "restricted")),
    ("ws_sandbox_other", "Other Workspace", "starter", 500, 0, ("other",)),
    ("ws_sandbox_poor", "Nearly Empty", "free", 10, 0, ("poor",)),
)
USERS = {
    "ws_sandbox_main": ("usr_sandbox_ada", "ada@sandbox.sume.test", "Ada Lovelace"),
    "ws_sandbox_other": ("usr_sandbox_bob", "bob@sandbox.sume.test", "Bob Other"),
    "ws_sandbox_poor": ("usr_sandbox_cy", "cy@sandbox.sume.test", "Cy Budget"),
}

BRANDS = (
    {
        "id": "brand_lumen",
        "workspace_id": "ws_sandbox_main",
        "name": "Lumen Skincare",
        "description": "Clean, minimal skincare; soft daylight, white counters, dewy skin.",
        "images": [
            ("img_lumen_serum", "Lumen Serum bottle on a white bathroom counter"),
            ("img_lumen_cream", "Lumen Night Cream jar beside eucalyptus leaves"),
            ("img_lumen_model", "Model applying Lumen Serum in soft morning light"),
        ],
    },
    {
        "id": "brand_brewhaus",
        "workspace_id": "ws_sandbox_main",
        "name": "Brewhaus Coffee",
        "description": "Warm, crafted coffee; wood tables, steam, morning rituals.",
        "images": [
            ("img_brewhaus_bag", "Brewhaus Dark Roast bag on a walnut table"),
            ("img_brewhaus_pour", "Pour-over coffee with steam rising"),
        ],
    },
    {
        "id": "brand_stride",
        "workspace_id": "ws_sandbox_other",
        "name": "Stride Running",
        "description": "Bold sneakers on city streets at dusk.",
        "images": [("img_stride_shoe", "Stride Aero sneaker mid-stride on wet asphalt")],
    },
)

# (id, slug, name, visibility, owning workspace or None, talking_heads, ugc_ads, face_swap)
AVATARS = (
    ("avt_mia", "mia", "Mia", "public", None, True, True, True),
    ("avt_leo", "leo", "Leo", "public", None, True, False, True),
    ("avt_sora", "sora", "Sora", "public", None, True, True, False),
    ("avt_jin", "jin", "Jin", "public", None, False, True, True),
    ("avt_amara", "amara", "Amara", "public", None, True, True, True),
    ("avt_noah", "noah", "Noah", "public", None, False, False, True),
    ("avt_lumen_host", "lumen-host", "Lumen Host", "workspace", "ws_sandbox_main", True, True, False),
    ("avt_brew_barista", "brew-barista", "Brewhaus Barista", "workspace", "ws_sandbox_main", True, True, True),
    ("avt_stride_coach", "stride-coach", "Stride Coach", "workspace", "ws_sandbox_other", True, False, True),
)


def avatar_record(row: tuple) -> dict:
    avatar_id, slug, name, visibility, owner, talking, ugc, swap = row
    return {
        "id": avatar_id, "slug": slug, "name": name, "visibility": visibility, "workspace_id": owner,
        "capabilities": {"talking_heads": talking, "ugc_ads": ugc, "face_swap": swap},
    }


def avatar_by_id(avatar_id: str) -> dict | None:
    return next((avatar_record(row) for row in AVATARS if row[0] == avatar_id), None)


def visible_avatars(workspace_id: str) -> list[dict]:
    return [avatar_record(row) for row in AVATARS if row[4] in (None, workspace_id)]


def visible_brands(workspace_id: str) -> list[dict]:
    return [brand for brand in BRANDS if brand["workspace_id"] == workspace_id]


def seed_accounts(store: Store) -> None:
    """Create workspaces, users and keys once per data directory."""
    if store.meta("accounts_seeded"):
        return
    created = now()
    with store.transaction():
        for workspace_id, name, plan, monthly, bonus, roles in WORKSPACES:
            store.execute(
                "INSERT INTO workspaces VALUES (?, ?, ?, ?, ?, ?, ?)",
                (workspace_id, name, plan, monthly, bonus, monthly + bonus, cat.DEFAULT_MAX_ACTIVE_GENERATIONS),
            )
            user_id, email, user_name = USERS[workspace_id]
            store.execute("INSERT INTO users VALUES (?, ?, ?, ?)", (user_id, workspace_id, email, user_name))
            for role in roles:
                key = "sume_test_" + secrets.token_hex(20)
                store.execute(
                    "INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                    (key, "key_" + secrets.token_hex(6), role, f"Sandbox {role} key", workspace_id, user_id,
                     int(role == "restricted"), created),
                )
        store.set_meta("admin_token", "sbx_admin_" + secrets.token_hex(20))
        store.set_meta("media_secret", secrets.token_hex(32))
        store.set_meta("created_at", datetime.now(timezone.utc).isoformat())
        store.set_meta("accounts_seeded", "1")


def keys_by_role(store: Store) -> dict[str, str]:
    return {row["role"]: row["key"] for row in store.all("SELECT role, key FROM api_keys")}

"""Account routes: /me, /credits, Brand DNA and avatars."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from ._errors import APIError
from ._http import authenticate, paged, sandbox_of, url_for
from ._json_output import APIJSONResponse
from ._seed import visible_avatars, visible_brands
from ._store import iso


async def me(request: Request) -> APIJSONResponse:
    principal = authenticate(request)
    store = sandbox_of(request).store
    user = store.one("SELECT * FROM users WHERE id = ?", (principal.user_id,))
    workspace = store.one("SELECT * FROM workspaces WHERE id = ?", (principal.workspace_id,))
    key = store.one("SELECT * FROM api_keys WHERE key = ?", (principal.key,))
    return APIJSONResponse({
        "object": "account",
        "user": {"id": user["id"], "email": user["email"], "name": user["name"]},
        "workspace": {"id": workspace["id"], "name": workspace["name"]},
        "api_key": {"id": key["id"], "name": key["name"], "prefix": principal.key[:14],
                    "created_at": iso(key["created_at"]), "last_used_at": iso(key["last_used_at"])},
    })


async def credits(request: Request) -> APIJSONResponse:
    principal = authenticate(request)
    sandbox = sandbox_of(request)
    workspace = sandbox.store.one("SELECT * FROM workspaces WHERE id = ?", (principal.workspace_id,))
    return APIJSONResponse({
        "object": "credits",
        "plan": workspace["plan"],
        "monthly_credits": workspace["monthly_credits"],
        "bonus_credits": workspace["bonus_credits"],
        "remaining_credits": workspace["remaining_credits"],
        "active_generations": sandbox.jobs.active_count(principal.workspace_id),
        "max_active_generations": workspace["max_active"],
        "rate_limit": {"requests_per_second": sandbox.settings.rate_per_second,
                       "burst": sandbox.settings.rate_burst},
    })


def brand_json(request: Request, brand: dict) -> dict:
    return {
        "object": "brand", "id": brand["id"], "name": brand["name"], "description": brand["description"],
        "images": [{"id": image_id, "caption": caption,
                    "reference_url": url_for(request, f"/media/brands/{image_id}.png")}
                   for image_id, caption in brand["images"]],
    }


async def brand_list(request: Request) -> APIJSONResponse:
    principal = authenticate(request)
    return paged(request, [brand_json(request, b) for b in visible_brands(principal.workspace_id)])


async def brand_current(request: Request) -> APIJSONResponse:
    principal = authenticate(request)
    brands = visible_brands(principal.workspace_id)
    if not brands:
        raise APIError(404, "not_found", "This workspace has no Brand DNA profile yet.")
    return APIJSONResponse(brand_json(request, brands[0]))


def avatar_json(request: Request, avatar: dict) -> dict:
    return {
        "object": "avatar", "id": avatar["id"], "slug": avatar["slug"], "name": avatar["name"],
        "visibility": avatar["visibility"],
        "preview_image_url": url_for(request, f"/media/avatars/{avatar['id']}.jpg"),
        "preview_video_url": url_for(request, f"/media/avatars/{avatar['id']}.mp4"),
        "capabilities": avatar["capabilities"],
    }


async def avatar_list(request: Request) -> APIJSONResponse:
    principal = authenticate(request)
    return paged(request, [avatar_json(request, a) for a in visible_avatars(principal.workspace_id)])


async def avatar_get(request: Request) -> APIJSONResponse:
    principal = authenticate(request)
    wanted = request.path_params["avatar_id"]
    for avatar in visible_avatars(principal.workspace_id):
        if wanted in (avatar["id"], avatar["slug"]):
            return APIJSONResponse(avatar_json(request, avatar))
    raise APIError(404, "not_found", f"No avatar {wanted!r} in this workspace.")


routes = [
    Route("/me", me),
    Route("/credits", credits),
    Route("/brand", brand_list),
    Route("/brand/current", brand_current),
    Route("/avatars", avatar_list),
    Route("/avatars/{avatar_id}", avatar_get),
]

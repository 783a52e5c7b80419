"""`ads.create`: the seeds' script, format, avatar, locale and reference rules, and a real ad job."""

from __future__ import annotations

import pytest

from sume_notebook import AsyncSume, InvalidRequestError, PermissionDeniedError
from sume_notebook.sandbox import SandboxHandle


async def test_talking_head_ad(client: AsyncSume) -> None:
    avatar = next(a for a in await client.avatars.list().to_list() if a.can("talking_heads"))
    job = await client.ads.create("Meet the serum that works overnight.", avatar_id=avatar.id, locale="en", duration_seconds=5)
    assert job.type == "ad_video_generation"
    await job.wait()
    assert (await job.result()).outputs[0].kind == "video"


async def test_ugc_ad_by_slug_with_references(client: AsyncSume) -> None:
    avatar = next(a for a in await client.avatars.list().to_list() if a.can("ugc_ads"))
    brand = await client.brand.current()
    job = await client.ads.create(
        "I tried it for a week.", ad_format="ugc_ads", avatar_slug=avatar.slug, locale="ko",
        reference_image_urls=brand.reference_urls[:1],
    )
    assert (await job.wait()).status == "completed"


@pytest.mark.parametrize(
    ("kwargs", "fields"),
    [
        ({"script": "hi"}, {"script", "avatar_id"}),
        ({"script": "x" * 1801, "avatar_id": "avt_mia"}, {"script"}),
        ({"script": "Hello there", "ad_format": "ugc_ads"}, {"avatar_id"}),
        ({"script": "Hello there", "ad_format": "video", "locale": "fr"}, {"locale"}),
        ({"script": "Hello there", "ad_format": "carousel"}, {"ad_format"}),
        ({"script": "Hello there", "avatar_id": "avt_mia", "reference_video_urls": ["https://x.test/a.mp4"]}, {"reference_video_urls"}),
        ({"script": "Hello there", "ad_format": "video", "reference_image_urls": [f"https://x.test/{i}.png" for i in range(10)]}, {"reference_image_urls"}),
    ],
)
async def test_ad_rules(client: AsyncSume, sb: SandboxHandle, kwargs: dict, fields: set[str]) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        await client.ads.create(**kwargs)
    assert {f.field for f in caught.value.fields} == fields
    assert sb.stats()["requests"] == {}


async def test_video_format_needs_no_avatar_and_takes_reference_videos(client: AsyncSume) -> None:
    body = client.ads.prepare("Hello there", ad_format="video", reference_video_urls=["https://x.test/a.mp4"])
    assert body["ad_format"] == "video" and "avatar_id" not in body


async def test_restricted_key_is_forbidden(sb: SandboxHandle) -> None:
    async with AsyncSume(api_key=sb.keys["restricted"], base_url=sb.url) as restricted:
        with pytest.raises(PermissionDeniedError) as caught:
            await restricted.ads.create("Hello there", ad_format="video")
    assert caught.value.status == 403 and caught.value.request_id

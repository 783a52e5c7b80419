"""`images.generate` end to end, and its client-side validation."""

from __future__ import annotations

import pytest
from PIL import Image

from sume_notebook import AsyncSume, BadRequestError, InvalidRequestError, Job
from sume_notebook.sandbox import SandboxHandle
from tests.support import requests_to


async def test_generate_wait_result_download(client: AsyncSume, tmp_path) -> None:
    brand = await client.brand.current()
    job = await client.images.generate(
        "Clean skincare product photo on a white bathroom counter.",
        aspect_ratio="4:5", n=1, resolution="1k", quality="standard", reference_image_urls=brand.reference_urls[:2],
    )
    assert isinstance(job, Job) and job.id.startswith("job_") and job.type == "image_generation"
    assert job.request_id and job.request_id.startswith("req_")
    assert job.status == "queued" and not job.is_terminal
    seen: list[str] = []
    assert await job.wait(on_update=lambda j: seen.append(j.status)) is job
    assert job.status == "completed" and job.progress == 1.0 and seen[-1] == "completed"
    result = await job.result()
    [output] = result.outputs
    assert output.kind == "image" and output.content_type == "image/png" and output.width and output.height
    [path] = await result.download(tmp_path)
    assert path.name == f"clean-skincare-product-photo-on-a-white-{job.id[:12]}-0.png"
    assert job.prompt == "Clean skincare product photo on a white bathroom counter."
    assert job.request is not None and job.request["aspect_ratio"] == "4:5"
    with Image.open(path) as image:
        assert image.size == (output.width, output.height)
        assert abs(image.size[0] / image.size[1] - 4 / 5) < 0.01


async def test_every_bad_field_is_reported_at_once_and_nothing_is_sent(client: AsyncSume, sb: SandboxHandle) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        await client.images.generate(
            "", aspect_ratio="16:9", n=0, resolution=3, reference_image_urls=["http://example.com/a.png", 5]
        )
    fields = {f.field for f in caught.value.fields}
    assert fields == {"prompt", "aspect_ratio", "n", "resolution", "reference_image_urls[0]", "reference_image_urls[1]"}
    assert "nothing was sent" in str(caught.value)
    assert sb.stats()["requests"] == {}


async def test_text_bounds_read_as_english(client: AsyncSume) -> None:
    with pytest.raises(InvalidRequestError, match=r"prompt: must not be empty\."):
        await client.images.generate("   ")
    with pytest.raises(InvalidRequestError, match=r"script: must be 3 to 1,800 characters \(got 2\)"):
        await client.ads.create("hi", avatar_id="avt_mia")


async def test_unknown_options_are_errors(client: AsyncSume) -> None:
    with pytest.raises(TypeError):
        await client.images.generate("a cat", style="noir")  # type: ignore[call-arg]


async def test_resolution_and_quality_pass_through_to_the_service(client: AsyncSume, sb: SandboxHandle) -> None:
    """The seeds give no enum for these: the client sends them and the service decides."""
    with pytest.raises(BadRequestError) as caught:
        await client.images.generate("a cat", resolution="8k", quality="ultra")
    assert {f.field for f in caught.value.fields} >= {"resolution", "quality"}
    assert caught.value.request_id and caught.value.request_id in str(caught.value)
    assert requests_to(sb, "POST /api/v1/images/generations") == 1


async def test_prepare_builds_the_body_without_sending(client: AsyncSume, sb: SandboxHandle) -> None:
    body = client.images.prepare("a cat", aspect_ratio="1:1", n=1)
    assert body == {"prompt": "a cat", "aspect_ratio": "1:1", "image_count": 1}
    assert sb.stats()["requests"] == {}

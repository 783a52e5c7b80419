"""Property-based: any arguments to the client's create and search methods give `InvalidRequestError` (and no
request at all) or one well-formed request; never another exception from our code.

Random magic lines are covered by tests/notebook/test_fuzz.py; this drives the Python API the magics sit on.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sume_notebook import APIError, AsyncSume, InvalidRequestError, SumeError
from sume_notebook.sandbox import SandboxHandle
from tests.support import total_requests

EXAMPLES = 150
# Where the seeds are silent the client enforces nothing and the service decides (docs/sandbox.md, "Choices where
# the documents are silent": image resolution and quality, image_count up to 4, video aspect ratios, prompt length),
# and only the service knows what exists (uploads, avatars, cursors). So a request the client lets through may still
# be refused, but only as a well-formed request is: a 400 validation_error or a 404, never a server error.
ODD = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.binary(max_size=8), st.lists(st.text(max_size=10), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2), st.just(object()),
    st.datetimes(timezones=st.just(timezone.utc)),
)
PLAUSIBLE = {
    "prompt": st.sampled_from(["a lighthouse at dusk", "", " ", "x" * 5000]),
    "script": st.sampled_from(["Meet Lumen serum.", "", "y" * 3000]),
    "aspect_ratio": st.sampled_from(["1:1", "9:16", "16:9", "4:5", "3:2", "0:0", "wide"]),
    "n": st.integers(-2, 6),
    "resolution": st.sampled_from(["512", "1k", "2k", "480p", "720p", "1080p", "4k"]),
    "quality": st.sampled_from(["standard", "high", "ultra"]),
    "duration": st.sampled_from([0, 1, 4, 8, 15, 60, -3, 2.5]),
    "duration_seconds": st.sampled_from([0, 2, 5, 15, 30, 61, -1, 7.5]),
    "generate_audio": st.booleans(),
    "ad_format": st.sampled_from(["talking_heads", "ugc_ads", "video", "banner"]),
    "avatar_id": st.sampled_from(["avt_mia", "avt_nope", ""]),
    "avatar_slug": st.sampled_from(["mia", "lumen-host", ""]),
    "avatar_ids": st.lists(st.sampled_from(["avt_mia", "avt_mia", "avt_lumen_host", "", "x"]), max_size=4),
    "locale": st.sampled_from(["en", "en-US", "ko", "xx-YY-ZZ"]),
    "reference_image_urls": st.lists(st.sampled_from(["https://cdn.example/a.png", "http://cdn.example/a.png",
                                                      "ftp://x/y.png", "not a url"]), max_size=5),
    "reference_video_urls": st.lists(st.sampled_from(["https://cdn.example/a.mp4", "file:///etc/passwd"]),
                                     max_size=3),
    "trim_start_seconds": st.sampled_from([0, 1.5, -1, 100]),
    "trim_end_seconds": st.sampled_from([0, 2, 3.5, -2]),
    "query": st.sampled_from(["hook", "", "product demo", "\x00"]),
    "search_mode": st.sampled_from(["text", "semantic", "hybrid", "fuzzy"]),
    "source_type": st.sampled_from(["tiktok", "upload", "youtube", "nope"]),
    "segment_type": st.sampled_from(["hook", "product_demo", "cta", "zzz"]),
    "brand": st.sampled_from(["Lumen", ""]), "product": st.sampled_from(["Serum", ""]),
    "tag": st.sampled_from(["morning", ""]), "keyword": st.sampled_from(["serum", ""]),
    "cta_present": st.booleans(),
    "min_duration": st.sampled_from([0, 1, 5, -1, 1e9]), "max_duration": st.sampled_from([0, 3, 8, -2]),
    "created_after": st.sampled_from(["2024-01-01", "yesterday", datetime(2025, 1, 1, tzinfo=timezone.utc)]),
    "created_before": st.sampled_from(["2030-01-01T00:00:00Z", "2020-13-45"]),
    "sort": st.sampled_from(["newest", "oldest", "relevance", "duration", "random"]),
    "limit": st.integers(-5, 500), "cursor": st.sampled_from(["", "cur_nope"]), "max_items": st.integers(-1, 3),
}
PLAUSIBLE_SOURCES = ["https://cdn.example/src.mp4", "http://example.com/a.mp4", "", "x"]
METHODS: dict[str, tuple[str, str, tuple[str, ...]]] = {  # name: (resource, method, required positionals)
    "images.generate": ("images", "generate", ("prompt",)),
    "videos.generate": ("videos", "generate", ("prompt",)),
    "ads.create": ("ads", "create", ("script",)),
    "face_swap.create": ("face_swap", "create", ("source_video_url", "avatar_ids")),
    "assets.search": ("assets", "search", ()),
}
OPTIONS = {
    "images.generate": ("aspect_ratio", "n", "resolution", "quality", "reference_image_urls"),
    "videos.generate": ("aspect_ratio", "duration", "resolution", "generate_audio"),
    "ads.create": ("ad_format", "avatar_id", "avatar_slug", "locale", "duration_seconds", "reference_image_urls",
                   "reference_video_urls"),
    "face_swap.create": ("duration_seconds", "trim_start_seconds", "trim_end_seconds", "aspect_ratio"),
    "assets.search": ("query", "search_mode", "source_type", "segment_type", "brand", "product", "tag", "keyword",
                      "cta_present", "min_duration", "max_duration", "created_after", "created_before", "sort",
                      "limit", "cursor", "max_items"),
}


def arguments(method: str, plausible: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[tuple[list[Any], dict[str, Any]]]:
    """Half of the examples use plausible values only (so valid requests are explored too), half mix in odd ones."""
    def draw(odd: bool) -> st.SearchStrategy[tuple[list[Any], dict[str, Any]]]:
        def value(name: str) -> st.SearchStrategy[Any]:
            return st.one_of(plausible[name], plausible[name], ODD) if odd else plausible[name]

        positional = st.tuples(*(value(name) for name in METHODS[method][2])).map(list)
        keywords = st.fixed_dictionaries({}, optional={name: value(name) for name in OPTIONS[method]})
        return st.tuples(positional, keywords)

    return st.booleans().flatmap(draw)


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


async def call(client: AsyncSume, method: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    resource, name, _ = METHODS[method]
    outcome = getattr(getattr(client, resource), name)(*args, **kwargs)
    if method == "assets.search":
        async for _ in outcome:  # the first page is enough to send the request
            break
    else:
        await outcome


@pytest.fixture(scope="module")
def source_video_url(sb: SandboxHandle, sample_video: Path) -> str:
    """The media URL of a real face-swap source upload: the only kind of source the service takes."""
    from sume_notebook import Sume

    with Sume(api_key=sb.api_key, base_url=sb.url, journal=False) as client:
        return str(client.uploads.upload_file(sample_video, "face_swap_source_video").media_url)


@pytest.mark.parametrize("method", list(METHODS))
def test_random_arguments(
    method: str, sb: SandboxHandle, reset_sandbox: Callable[[], None], loop: asyncio.AbstractEventLoop,
    source_video_url: str,
) -> None:
    reset_sandbox()
    sb.configure(max_active_generations=10_000)
    client = AsyncSume(api_key=sb.api_key, base_url=sb.url, max_retries=0, journal=False)
    plausible = {**PLAUSIBLE, "source_video_url": st.sampled_from([source_video_url, source_video_url,
                                                                   *PLAUSIBLE_SOURCES])}
    refused_by_server: list[str] = []
    outcomes = {"refused": 0, "sent": 0}

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(drawn=arguments(method, plausible))
    def check(drawn: tuple[list[Any], dict[str, Any]]) -> None:
        args, kwargs = drawn
        before = total_requests(sb)
        try:
            loop.run_until_complete(call(client, method, args, kwargs))
        except InvalidRequestError as error:
            assert error.fields and "nothing was sent" in str(error)
            assert total_requests(sb) == before, f"an invalid request was sent: {args} {kwargs}"
            outcomes["refused"] += 1
            return
        except APIError as error:  # the client let it through; the service judged it (e.g. an unknown avatar)
            refused_by_server.append(f"{error.status} {error.code} {[str(f) for f in error.fields]}: "
                                     f"{str(args)[:100]} {str(kwargs)[:300]}")
        except SumeError as error:
            raise AssertionError(f"{type(error).__name__} instead of InvalidRequestError: {error}") from error
        except Exception as error:
            raise AssertionError(f"{type(error).__name__} from our code for {args} {kwargs}: {error}") from error
        sent = total_requests(sb) - before
        assert sent == 1, f"{sent} requests for one call"
        outcomes["sent"] += 1

    try:
        check()
    finally:
        loop.run_until_complete(client.close())
    assert all(r.startswith(("400 validation_error", "404 ")) for r in refused_by_server), refused_by_server[:5]
    if refused_by_server:
        print(f"{method}: {len(refused_by_server)} requests the service refused, e.g. {refused_by_server[0][:300]}")


def test_non_finite_numbers_are_refused_everywhere(
    sb: SandboxHandle, reset_sandbox: Callable[[], None], loop: asyncio.AbstractEventLoop
) -> None:
    reset_sandbox()
    client = AsyncSume(api_key=sb.api_key, base_url=sb.url, journal=False)
    cases = [("videos.generate", ["p"], {"duration": math.nan}), ("videos.generate", ["p"], {"duration": math.inf}),
             ("ads.create", ["s"], {"duration_seconds": math.nan}),
             ("assets.search", [], {"min_duration": math.nan}), ("images.generate", ["p"], {"n": math.inf})]
    try:
        for method, args, kwargs in cases:
            with pytest.raises(InvalidRequestError):
                loop.run_until_complete(call(client, method, args, kwargs))
    finally:
        loop.run_until_complete(client.close())
    assert total_requests(sb) == 0

"""The indexed search finds exactly what the old scan found, over HTTP, in a library of a few thousand scenes.

The old scan is kept here as the reference, not in the package: its documented matching rule (a query word
is a run of letters or digits, lowercased, a plural "s" dropped; a scene matches when its title,
description, transcript, tags or keywords hold any of the words) applied in Python to every scene the
API lists. For each query of a fixed set the search must return the same set of ids, in the order the API
defines: by the sort's value then id, or for relevance by score then id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from sume_notebook.sandbox import SandboxHandle, start_sandbox
from tests.sandbox.conftest import client_for
from tests.support import FAST

LIBRARY_SCENES = 5_000  # enough for labels both rarer and commoner than the search's threshold
_WORD = re.compile(r"[^\W_]+")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    with start_sandbox(data_dir=tmp_path_factory.mktemp("sandbox"), time_scale=FAST,
                       seed_scenes=LIBRARY_SCENES) as handle:
        handle.configure(rate_limit_per_second=0)
        yield handle


def every_page(api: httpx.Client, **query: str) -> list[dict]:
    """Follow next_cursor to the end, as a client does."""
    items: list[dict] = []
    cursor = None
    while True:
        page = api.get("/assets", params={**query, "limit": "100", **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        items += page.json()["data"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


@pytest.fixture(scope="module")
def catalogue(sandbox: SandboxHandle) -> list[dict]:
    """Every scene of the primary workspace, as the API lists it."""
    with client_for(sandbox) as api:
        scenes = every_page(api, sort="created_at_asc")
    assert len(scenes) == LIBRARY_SCENES == len({scene["id"] for scene in scenes})
    return scenes


def words(text: str) -> set[str]:
    return {w[:-1] if len(w) > 3 and w[-1] == "s" and w[-2] != "s" else w for w in _WORD.findall(text.lower())}


def scan_matches(scene: dict, q: str) -> bool:
    """The old scan's rule: any query word in any of the five text fields."""
    text = " ".join([scene["title"], scene["description"], scene["transcript"], *scene["tags"], *scene["keywords"]])
    return not words(q).isdisjoint(words(text))


def created(scene: dict) -> float:
    return datetime.fromisoformat(scene["created_at"].replace("Z", "+00:00")).timestamp()


ORDERS: dict[str, Callable[[dict], Any]] = {
    "created_at_desc": lambda s: (-created(s), s["id"]),
    "created_at_asc": lambda s: (created(s), s["id"]),
    "duration_desc": lambda s: (-s["duration_seconds"], s["id"]),
}

# (query parameters, the filters as a predicate over a listed scene)
QUERIES: list[tuple[dict[str, str], Callable[[dict], bool]]] = [
    ({"q": "serum"}, lambda s: True),
    ({"q": "Serums"}, lambda s: True),
    ({"q": "COLD brew"}, lambda s: True),
    ({"q": "cold-brew!"}, lambda s: True),
    ({"q": "café taste"}, lambda s: True),
    ({"q": "product demo hook"}, lambda s: True),
    ({"q": "zucchini"}, lambda s: True),
    ({"q": "30"}, lambda s: True),
    ({"q": "the"}, lambda s: True),
    ({"q": "social-proof"}, lambda s: True),
    ({"q": "won't"}, lambda s: True),
    ({"q": "a"}, lambda s: True),
    ({"q": "coffee", "brand": "brewbird", "sort": "created_at_desc"}, lambda s: "Brewbird" in s["brands"]),
    ({"q": "grip trail", "segment_type": "product_demo"}, lambda s: s["segment_type"] == "product_demo"),
    ({"q": "glow", "min_duration": "3", "max_duration": "8", "sort": "duration_desc"},
     lambda s: 3 <= s["duration_seconds"] <= 8),
    ({"q": "unboxing box", "cta_present": "false", "source_type": "upload", "sort": "created_at_asc"},
     lambda s: not s["cta_present"] and s["source_type"] == "upload"),
    ({"q": "hiit workout", "tag": "Fitness"}, lambda s: "fitness" in s["tags"]),
    # A common word in a time or duration order: the sort's index is walked, scenes without the word skipped.
    ({"q": "ugc", "sort": "created_at_desc"}, lambda s: True),
    ({"q": "the", "segment_type": "cta", "sort": "duration_desc"}, lambda s: s["segment_type"] == "cta"),
    ({"q": "battery", "keyword": "bluetooth", "product": "echo buds"},
     lambda s: "bluetooth" in s["keywords"] and "Echo Buds" in s["products"]),
    # Label filters alone: a common label walks the sort's index, a rare one starts from its scenes.
    ({"tag": "UGC"}, lambda s: "ugc" in s["tags"]),
    ({"brand": "Lumen", "sort": "duration_desc"}, lambda s: "Lumen" in s["brands"]),
    ({"keyword": "salmon", "segment_type": "hook", "sort": "created_at_asc"},
     lambda s: "salmon" in s["keywords"] and s["segment_type"] == "hook"),
    ({"tag": "ai-generated", "product": "Stride Trail Pro", "cta_present": "true"},
     lambda s: "ai-generated" in s["tags"] and "Stride Trail Pro" in s["products"] and s["cta_present"]),
]


@pytest.mark.parametrize(("query", "keep"), QUERIES, ids=[str(q) for q, _ in QUERIES])
def test_search_agrees_with_the_scan(
    sandbox: SandboxHandle, catalogue: list[dict], query: dict[str, str], keep: Callable[[dict], bool]
) -> None:
    expected = [s for s in catalogue if keep(s) and ("q" not in query or scan_matches(s, query["q"]))]
    with client_for(sandbox) as api:
        found = every_page(api, **query)
    assert {s["id"] for s in found} == {s["id"] for s in expected}
    assert len(found) == len({s["id"] for s in found})
    sort = query.get("sort", "relevance" if "q" in query else "created_at_desc")
    if sort == "relevance":
        keys = [(-s["search"]["score"], s["id"]) for s in found]
        assert keys == sorted(keys) and all(0 < s["search"]["score"] <= 1 for s in found)
    else:
        assert [s["id"] for s in found] == [s["id"] for s in sorted(expected, key=ORDERS[sort])]


def test_the_query_set_covers_common_rare_and_absent_words(catalogue: list[dict]) -> None:
    """The fixed set is only a check if its queries find something, not everything, and sometimes nothing."""
    counts = {q["q"]: sum(scan_matches(s, q["q"]) for s in catalogue) for q, _ in QUERIES if "q" in q}
    assert counts["zucchini"] == 0
    assert all(0 < n < len(catalogue) for q, n in counts.items() if q != "zucchini")
    assert counts["Serums"] == counts["serum"] and counts["cold-brew!"] == counts["COLD brew"]
    ugc = sum("ugc" in s["tags"] for s in catalogue)
    lumen = sum("Lumen" in s["brands"] for s in catalogue)
    assert lumen < 2_000 < ugc  # both ways of reading a label filter are taken

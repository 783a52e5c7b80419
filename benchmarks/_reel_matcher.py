"""One side of benchmark 8's library match, run in a fresh process: the sandbox runs on a thread of the
benchmark's process, and a client on another thread of it would share its interpreter lock and measure that.

`python -m benchmarks._reel_matcher ours|baseline URL ...` reads the reels' analyses back from the journal
(`SUME_NOTEBOOK_HOME`: nothing is created) and prints JSON: the seconds the match took and the bytes of the view.
Ours: `ReelSet.match_library` then `match_view()`. Baseline: one search per scene with plain httpx, one after the
other, with the same query and segment type, then each candidate's thumbnail inlined as the service sends it.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import time

import httpx

from sume_notebook import ReelSet, Sume

__all__ = ["PER_SCENE"]

PER_SCENE = 3


def _ours(sume: Sume, reels: ReelSet) -> int:
    reels.match_library(sume, per_scene=PER_SCENE)
    return len(reels.match_view()._repr_html_().encode())


def _baseline(reels: ReelSet) -> int:
    headers = {"Authorization": f"Bearer {os.environ['SUME_API_KEY']}"}
    thumbnails = []
    with httpx.Client(base_url=os.environ["SUME_BASE_URL"], headers=headers, timeout=60.0) as http:
        for analysis in reels:
            for scene in analysis.scenes:
                words = f"{scene['description']} {scene['transcript']} {scene['on_screen_text'] or ''}".split()
                params = {"q": " ".join(words)[:400], "search_mode": "text", "segment_type": scene["segment_type"],
                          "limit": PER_SCENE}
                found = http.get("/assets", params=params).raise_for_status().json()["data"]
                thumbnails += [asset["thumbnail_url"] for asset in found if asset.get("thumbnail_url")]
        return sum(len(base64.b64encode(http.get(u).raise_for_status().content)) for u in dict.fromkeys(thumbnails))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks._reel_matcher")
    parser.add_argument("side", choices=("ours", "baseline"))
    parser.add_argument("urls", nargs="+")
    args = parser.parse_args()
    import pandas  # noqa: F401  # imported before the clock starts, on both sides: the figure is the match's
    from PIL import Image  # noqa: F401

    with Sume() as sume:
        reels = sume.reference_analysis.analyze_many(args.urls)  # read back from the journal
        reels.frames()
        started = time.perf_counter()
        shown = _ours(sume, reels) if args.side == "ours" else _baseline(reels)
        seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "bytes": shown}))


if __name__ == "__main__":
    main()

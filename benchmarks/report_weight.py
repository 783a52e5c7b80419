"""Benchmark 9, report weight: the standalone HTML report of 24 sandbox images, in bytes.

Ours: `export_report(jobs, "report.html")` (stills redrawn to 512 px, JPEG data URIs) and, with `zip=True`, the zip
beside it (the report, the full files, manifest.csv). Baseline: the same page as a user would make it by hand,
each full-size PNG inlined as a base64 data URI (the only way a single HTML file shows images offline).
"""

from __future__ import annotations

import base64
import time

from sume_notebook import Sume, export_report

from ._sandbox import fresh_sandbox
from ._table import Row

__all__ = ["NUMBER", "run"]

NUMBER = 9
_COLOURS = ("red", "blue", "golden", "white", "black", "green")
_PLACES = ("snow", "forest", "city", "desert")


def run(images: int = 24, time_scale: float = 0.05) -> list[Row]:
    prompts = [f"a {colour} fox in the {place}" for place in _PLACES for colour in _COLOURS][:images]
    with fresh_sandbox(time_scale, max_active_generations=images) as bench, \
            Sume(api_key=bench.box.api_key, base_url=bench.box.url, journal=bench.workdir / "journal.sqlite3") as sume:
        jobs = sume.submit_many([{"prompt": prompt} for prompt in prompts])
        for job in jobs:
            job.wait()
        started = time.perf_counter()
        report = export_report(jobs, bench.workdir / "report.html", zip=True)
        seconds = time.perf_counter() - started
        ours, packed = report.stat().st_size, report.with_suffix(".zip").stat().st_size
        pngs = [sume.read_media(output.url, max_bytes=64 * 1024**2) for job in jobs for output in job.result().outputs]
    by_hand = sum(len(f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}">') for png in pngs)
    print(f"9 report weight: {images} images; report {ours:,} bytes, zip {packed:,} bytes, written in {seconds:.2f} s")
    print(f"  baseline  {by_hand:,} bytes: {len(pngs)} full-size PNGs of {sum(map(len, pngs)):,} bytes, base64-inlined")
    return [
        Row(f"9 report weight: .html bytes, {images} images", ours, by_hand),
        Row("9 report weight: .html bytes per image", ours / images, by_hand / images),
    ]

"""`ReelSet`: many Reference Analyses side by side, and `analyze_many`, which makes one.

A set is plain data (the analyses as the service returned them), so it can be kept, compared and exported without
a connection; only `match_library` asks the service again. `analyze_many` sends its creates through `submit_many`
(validated first, paced to the workspace's capacity, journalled), and picks up what the journal already holds: a
reel analysed before (same service, same key, same URL) is read back instead of paid for again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._redaction import redact, redact_url
from ._errors import FieldError, InvalidRequestError, NotFoundError, SumeError
from ._models import ReferenceAnalysis
from ._reel_measures import reel_measures, reel_name, scene_seconds, scene_segment_type

if TYPE_CHECKING:
    import pandas as pd

    from ._client import AsyncSume
    from ._job import Job
    from ._timeline import Timeline

__all__ = ["ReelSet", "analyze_many"]

logger = logging.getLogger("sume_notebook.client")
_GIVEN_UP = ("failed", "canceled", "expired")  # a journalled analysis in one of these is done again


@dataclass
class ReelSet:
    """Reference Analyses of many reels, in the order asked; `failed` holds the URLs whose analysis did not
    complete, with the reason. `frames()` for the data, `timeline()` to see them, `export()` for editors,
    `match_library()` for footage of our own that could fill each scene.

    `job_ids` says which job each analysis comes from (by URL), and `read_back` which of those jobs the journal
    already held (an earlier analysis of the same reel, read again at no cost)."""

    analyses: list[ReferenceAnalysis]
    failed: dict[str, str] = field(default_factory=dict)
    job_ids: dict[str, str] = field(default_factory=dict)
    read_back: set[str] = field(default_factory=set)
    matches: pd.DataFrame | None = field(default=None, repr=False, compare=False)  # the last `match_library`
    _thumbnails: dict[str, str] = field(default_factory=dict, repr=False, compare=False)  # asset id -> data URI

    def __post_init__(self) -> None:
        self.analyses = [a if isinstance(a, ReferenceAnalysis) else ReferenceAnalysis.from_api(a)
                         for a in self.analyses]

    def __len__(self) -> int:
        return len(self.analyses)

    def __iter__(self) -> Any:
        return iter(self.analyses)

    def __getitem__(self, key: int | str) -> ReferenceAnalysis:
        """A reel by position, by source URL, or by its name (`tiktok-735...`)."""
        if isinstance(key, int):
            return self.analyses[key]
        for analysis in self.analyses:
            if key in (analysis.source_url, self.name_of(analysis)):
                return analysis
        raise KeyError(key)

    @staticmethod
    def name_of(analysis: ReferenceAnalysis) -> str:
        """The reel's name in frames, file names and the timeline: its platform and id."""
        return reel_name(analysis.source_url or "", analysis.platform)

    def __repr__(self) -> str:
        names = ", ".join(self.name_of(a) for a in self.analyses[:4]) + (", …" if len(self) > 4 else "")
        failed = f", {len(self.failed)} failed" if self.failed else ""
        return f"ReelSet({len(self)} reels: {names}{failed})"

    def _repr_html_(self) -> str:
        return self.timeline()._repr_html_()

    # --- data ------------------------------------------------------------------------------------------------

    def frames(self) -> dict[str, pd.DataFrame]:
        """`reels` (one row per reel, with the derived measures), then `scenes`, `transcript` and any other list of
        records of the analyses, each concatenated across reels with `source_url` and `reel` first. Scenes gain
        `segment_type` (when the service gives none: hook, cta or other) and `duration_seconds`."""
        from ._frames import records_frame

        reels = records_frame([reel_measures(a.raw) for a in self.analyses])
        share = [c for c in reels.columns if str(c).startswith("share_")]
        reels[share] = reels[share].fillna(0.0)  # no scene of that type: none of the reel's time
        frames = {"reels": reels}
        names = ["scenes", "transcript"]
        for analysis in self.analyses:
            names += [n for n, v in analysis.raw.items() if n not in names and _is_records(v)]
        for name in names:
            rows = []
            for analysis in self.analyses:
                key = {"source_url": analysis.source_url, "reel": self.name_of(analysis)}
                for record in analysis.raw.get(name) or []:
                    if isinstance(record, Mapping):
                        extras = _scene_extras(record, analysis.raw) if name == "scenes" else {}
                        rows.append({**key, **record, **extras})
            frames[name] = records_frame(rows) if rows else records_frame([]).reindex(columns=["source_url", "reel"])
        return frames

    # --- views and files -------------------------------------------------------------------------------------

    def timeline(self, *, width: int = 960) -> Timeline:
        """The reels as lanes on one time axis: scenes coloured by segment type, hook and CTA marked, the transcript
        on hover; an SVG in text/html, so it stays in a saved notebook and renders on GitHub."""
        from ._timeline import Timeline

        return Timeline(self, width=width)

    def scene_text(self, reel: int, scene: int) -> str:
        """What the timeline shows on hover for one scene (by positions): reel, times, segment type, description,
        on-screen text and the line spoken."""
        from ._timeline import scene_caption

        analysis = self.analyses[reel]
        record = (analysis.scenes or [])[scene]
        return scene_caption(self.name_of(analysis), record, scene_segment_type(record, analysis.raw))

    def export(self, directory: str | Path, formats: Sequence[str] = ("csv", "parquet", "vtt", "otio", "edl"),
               *, fps: float = 30.0) -> list[Path]:
        """Write the reels for editors and subtitles into `directory`: frames as CSV and Parquet, transcripts as
        WebVTT, scenes as OpenTimelineIO and CMX 3600 EDL, one file per reel (named from its platform and id) plus
        one combined. Scene cuts are snapped to frames at `fps`. Returns the paths written."""
        from ._reel_exports import export_reels

        return export_reels(self, Path(directory), formats, fps)

    # --- footage of our own ----------------------------------------------------------------------------------

    def match_library(self, client: Any, per_scene: int = 3, *, max_concurrency: int | None = None,
                      full_urls: bool = False, **filters: Any) -> Any:
        """For each scene of each reel, the `per_scene` best scenes of the Asset Library: searched by the scene's
        description and transcript, filtered to its segment type (topped up without that filter when too few
        match), with `score`, `duration_fit` (1.0: same length) and `preview_url`. `filters` are those of
        `client.assets.search`. Searches and thumbnails go `max_concurrency` at a time.

        Returns the frame (URLs without their query unless `full_urls=True`) and keeps it for `match_view()`. With
        the blocking `Sume` it returns the frame; with `AsyncSume`, await it.
        """
        from ._footage_match import match_library

        async_client = getattr(client, "__wrapped__", client)
        work = match_library(async_client, self, per_scene, max_concurrency, full_urls, filters)
        spawn = getattr(client, "spawn", None)
        return spawn(work).result() if callable(spawn) else work

    def match_view(self, reel: int | str | None = None) -> Any:
        """The last `match_library` as rows: each reel scene beside thumbnails of its candidates (HTML that stays
        in a saved notebook); `reel` (a position, URL or name) shows that reel alone."""
        from ._footage_match import MatchView

        if self.matches is None:
            raise SumeError("No library match yet: run `reels.match_library(client)` first.")
        matches = self.matches
        if reel is not None:
            matches = matches[matches["reel"] == self.name_of(self[reel])]
        return MatchView(matches, self._thumbnails)


def _is_records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _scene_extras(scene: Mapping[str, Any], analysis: Mapping[str, Any]) -> dict[str, Any]:
    return {"segment_type": scene_segment_type(scene, analysis), "duration_seconds": scene_seconds(scene)}


# --- analyze_many -------------------------------------------------------------------------------------------


def _checked_urls(urls: Any) -> list[str]:
    if isinstance(urls, str) or not isinstance(urls, Iterable):
        raise InvalidRequestError([FieldError("urls", "must be a list of reel URLs (got one string: wrap it in [...])"
                                              if isinstance(urls, str) else "must be a list of reel URLs")])
    listed = list(urls)
    if not listed:
        raise InvalidRequestError([FieldError("urls", "must name at least one reel")])
    errors = [FieldError(f"urls[{i}]", "must be a string") for i, u in enumerate(listed) if not isinstance(u, str)]
    if errors:
        raise InvalidRequestError(errors)
    return list(dict.fromkeys(listed))  # the same reel twice is one analysis


def _journalled_job_ids(client: AsyncSume, urls: list[str]) -> dict[str, str]:
    """The latest journalled analysis job of each URL, unless it failed: its id, to read back instead of paying
    again. The journal keeps URLs without their query, so a reel is recognized by scheme, host and path."""
    found: dict[str, str] = {}
    wanted = {redact_url(url): url for url in urls}
    for row in client._recorder.jobs_of("analysis"):  # oldest first: a later one wins
        url = wanted.get(str((row["request"] or {}).get("url")))
        if url is not None and row["status"] not in _GIVEN_UP:
            found[url] = row["job_id"]
    return found


async def _attached(client: AsyncSume, job_id: str) -> Job | None:
    try:
        return await client.jobs.attach(job_id)
    except NotFoundError:  # gone from the service (another sandbox, an expired job): analyse again
        return None


async def analyze_many(client: AsyncSume, urls: Any, max_concurrency: int | None, *, new: bool,
                       timeout: float | None, on_update: Callable[[Job], Any] | None) -> ReelSet:
    from ._batch import checked_concurrency, run_bounded, submit_many

    checked_concurrency(max_concurrency)
    wanted = _checked_urls(urls)
    for i, url in enumerate(wanted):  # every URL checked before anything is read or sent
        try:
            client.reference_analysis.prepare(url)
        except InvalidRequestError as exc:
            raise InvalidRequestError([FieldError(f"urls[{i}]", f.message) for f in exc.fields]) from None
    jobs: dict[str, Job] = {}
    if not new:
        known = _journalled_job_ids(client, wanted)
        attached = await run_bounded([lambda j=j: _attached(client, j) for j in known.values()], max_concurrency)
        jobs = {url: job for url, job in zip(known, attached) if job is not None and job.status not in _GIVEN_UP}
    to_create = [url for url in wanted if url not in jobs]
    if to_create:
        logger.info("analysing %d reels (%d read back from the journal)", len(to_create), len(jobs))
        created = await submit_many(client, [{"kind": "analysis", "url": u} for u in to_create], max_concurrency,
                                    on_update)
        jobs.update(zip(to_create, created))
    outcomes = await asyncio.gather(*(_analysis_of(jobs[url], timeout, on_update) for url in wanted))
    analyses = [o for o in outcomes if isinstance(o, ReferenceAnalysis)]
    failed = {redact_url(url): o for url, o in zip(wanted, outcomes) if isinstance(o, str)}
    job_ids = {url: jobs[url].id for url, o in zip(wanted, outcomes) if isinstance(o, ReferenceAnalysis)}
    read_back = {job_ids[url] for url in job_ids if url not in to_create}
    return ReelSet(analyses, failed, job_ids, read_back)


async def _analysis_of(job: Job, timeout: float | None,
                       on_update: Callable[[Job], Any] | None) -> ReferenceAnalysis | str:
    """The job's analysis, or why there is none (one line, redacted)."""
    try:
        if not job.is_terminal:
            await job.wait(timeout, on_update)
        result = await job.result()
    except SumeError as exc:
        return redact(exc).split("\n", 1)[0]
    return result.analysis or ReferenceAnalysis.from_api(result.raw)

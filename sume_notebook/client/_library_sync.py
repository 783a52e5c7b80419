"""`assets.sync` and `reference_analysis.sync`: the library and its analyses mirrored into a local Parquet dataset.

Scenes are read oldest first (`sort=created_at_asc`). The first sync reads them all; later ones ask only for
scenes created at or after the newest one already mirrored (`created_after`, inclusive, so a scene sharing that
second is not missed; it is merged by id, so it is not doubled either). The API offers no `updated_after` and
no feed of deletions: `full=True` reads everything again and replaces each scene's row.

Every `checkpoint_rows` scenes the rows read so far are merged into their partitions and the state records how
far the run got (its filter and the cursor of the next page). A run that is killed loses at most those rows:
the next one continues from that cursor, or, if the service no longer accepts it, from the newest scene on disk.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._redaction import redact_url
from ._errors import BadRequestError, FieldError, InvalidRequestError
from ._frames import Columns, assets_frame, records_frame, redact_url_columns
from ._job import Job
from ._mirror import (
    dataset_rows,
    load_state,
    merge_into_partitions,
    remove_leftovers,
    require_pyarrow,
    save_state,
)
from ._models import ReferenceAnalysis, parse_time

if TYPE_CHECKING:
    import pandas as pd

    from ._client import AsyncSume

__all__ = ["SyncReport", "sync_analyses", "sync_scenes"]

SCENES = "scenes"
ANALYSIS_SCENES = "analyses/scenes"
TRANSCRIPTS = "analyses/transcripts"
CHECKPOINT_ROWS = 20_000
_PAGE = 100  # the API's largest page


@dataclass(frozen=True)
class SyncReport:
    """What one sync did: rows read from the service, rows now in the dataset, and the newest scene it holds."""

    directory: Path
    fetched: int
    rows: int
    newest: datetime | None
    full: bool
    seconds: float
    part: str = SCENES  # what was synced: `scenes`, or `analyses` (their scene and transcript rows)

    def __str__(self) -> str:
        if self.part != SCENES:
            return (f"{self.part} sync of {self.directory}: {self.fetched:,} rows written in {self.seconds:.1f} s, "
                    f"{self.rows:,} in all")
        kind = "full" if self.full else "incremental"
        newest = f", newest scene {self.newest:%Y-%m-%d %H:%M:%S} UTC" if self.newest else ""
        return (f"{kind} sync of {self.directory}: {self.fetched:,} rows read in {self.seconds:.1f} s, "
                f"{self.rows:,} in the dataset{newest}")


def _directory(directory: str | os.PathLike[str]) -> Path:
    if isinstance(directory, bool) or not isinstance(directory, (str, os.PathLike)) or not str(directory).strip():
        raise InvalidRequestError([FieldError("directory", "must be a folder path, e.g. 'library/'")])
    root = Path(directory).expanduser()
    if root.exists() and not root.is_dir():
        raise InvalidRequestError([FieldError("directory", f"{root} is a file; give a folder")])
    return root


def _scenes_frame(columns: Columns) -> pd.DataFrame:
    """The rows as `to_pandas()` types them, URLs without their tokens, search context left out, plus `month`."""
    frame = redact_url_columns(assets_frame(columns))
    frame = frame.drop(columns=[name for name in frame.columns if name == "search" or name.startswith("search_")])
    frame["month"] = frame["created_at"].dt.strftime("%Y-%m") if "created_at" in frame.columns else None
    return frame


def _later(first: str | None, second: datetime | None) -> str | None:
    """The later of an ISO time and a datetime, as ISO (the state's form)."""
    if second is None or second != second:  # NaT
        return first
    known = parse_time(first)
    newer = second if known is None or second > known else known
    return newer.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


async def sync_scenes(client: AsyncSume, directory: str | os.PathLike[str], *, full: bool = False,
                      checkpoint_rows: int = CHECKPOINT_ROWS) -> SyncReport:
    """Mirror the Asset Library into `directory` (see the module's docstring)."""
    root = _directory(directory)
    if isinstance(checkpoint_rows, bool) or not isinstance(checkpoint_rows, int) or checkpoint_rows < 1:
        raise InvalidRequestError([FieldError("checkpoint_rows", "must be a whole number >= 1")])
    require_pyarrow()
    started = time.perf_counter()
    state = load_state(root)
    scenes = dict(state.get(SCENES) or {})
    run = scenes.get("run")
    if run and bool(run.get("full")) == full:  # the last run was cut short: continue where it stopped
        created_after, cursor = run.get("created_after"), run.get("cursor")
    else:
        created_after, cursor = (None if full else scenes.get("newest")), None
    remove_leftovers(root)
    newest = scenes.get("newest")
    fetched = 0

    async def read(created_after: str | None, cursor: str | None) -> None:
        nonlocal newest, fetched
        listing = client.assets.list(sort="created_at_asc", created_after=created_after, limit=_PAGE, cursor=cursor)
        columns = Columns()
        async for raw, next_cursor in listing.raw_pages_ahead():
            columns.add(raw)
            fetched += len(raw)
            if columns.rows < checkpoint_rows and next_cursor:
                continue
            if columns.rows:
                frame = _scenes_frame(columns)
                merge_into_partitions(root / SCENES, frame, ("source_type", "month"), key="id")
                if "created_at" in frame.columns:
                    newest = _later(newest, frame["created_at"].max())
            columns = Columns()
            progress = {"full": full, "created_after": created_after, "cursor": next_cursor} if next_cursor else None
            save_state(root, {**state, SCENES: {**scenes, "newest": newest, "run": progress}})

    try:
        await read(created_after, cursor)
    except BadRequestError:
        if cursor is None:
            raise
        await read(newest, None)  # the service no longer knows the saved cursor: from the newest scene on disk
    rows = dataset_rows(root / SCENES)
    save_state(root, {**state, SCENES: {**scenes, "newest": newest, "run": None, "rows": rows,
                                        "synced_at": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")}})
    return SyncReport(root, fetched, rows, parse_time(newest), full, time.perf_counter() - started)


async def _analysis_of(client: AsyncSume, source: Any) -> ReferenceAnalysis:
    """A ReferenceAnalysis from itself, a job's result, or a Job or job id (waited for)."""
    if isinstance(source, ReferenceAnalysis):
        return source
    result = getattr(source, "analysis", None)
    if isinstance(result, ReferenceAnalysis):
        return result
    if isinstance(source, (str, Job)):
        result = await (await client.jobs.wait(source)).result()
    else:
        raise InvalidRequestError([FieldError("analyses", f"cannot read an analysis from {type(source).__name__}; "
                                              "give reference-analysis jobs, their ids or their results")])
    if not isinstance(result.analysis, ReferenceAnalysis):
        raise InvalidRequestError([FieldError("analyses", f"job {result.id} is not a reference analysis")])
    return result.analysis


def _analysis_rows(analyses: list[ReferenceAnalysis], part: str) -> pd.DataFrame:
    """One row per scene (or transcript segment) of every analysis, keyed by the analysed URL (without query)."""
    import pandas as pd

    frames = []
    for analysis in analyses:
        frame = records_frame(analysis.raw.get(part) or [])
        frame.insert(0, "source_url", redact_url(analysis.source_url))
        frame.insert(1, "platform", analysis.platform or None)
        frame.insert(2, "position", range(len(frame)))
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return redact_url_columns(frame)


async def sync_analyses(client: AsyncSume, directory: str | os.PathLike[str], analyses: Iterable[Any]) -> SyncReport:
    """Add Reference Analyses to the mirror: `analyses/scenes` and `analyses/transcripts`, partitioned by platform.

    An analysis of a URL already mirrored replaces that URL's rows (a shorter new analysis leaves no stale rows).
    """
    root = _directory(directory)
    if isinstance(analyses, (str, ReferenceAnalysis)) or not isinstance(analyses, Iterable):
        analyses = [analyses]
    require_pyarrow()
    started = time.perf_counter()
    read = [await _analysis_of(client, source) for source in analyses]
    state = load_state(root)
    remove_leftovers(root)
    fetched = 0
    for part, folder in (("scenes", ANALYSIS_SCENES), ("transcript", TRANSCRIPTS)):
        frame = _analysis_rows(read, part)
        if len(frame):
            frame["platform"] = frame["platform"].astype("string")
            merge_into_partitions(root / folder, frame, ("platform",), key="source_url", unique=False)
            fetched += len(frame)
    urls = sorted(set(state.get("analyses", {}).get("urls", [])) | {redact_url(a.source_url) for a in read})
    save_state(root, {**state, "analyses": {"urls": urls, "synced_at": datetime.now(timezone.utc).isoformat()}})
    rows = dataset_rows(root / ANALYSIS_SCENES) + dataset_rows(root / TRANSCRIPTS)
    return SyncReport(root, fetched, rows, None, False, time.perf_counter() - started, part="analyses")

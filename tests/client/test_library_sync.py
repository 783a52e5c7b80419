"""The local mirror: `assets.sync` and `reference_analysis.sync` write a Parquet dataset, `library()` queries it.

Against the session sandbox over a real socket; a killed sync is a real process killed with SIGKILL.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sume_notebook import AsyncSume, InvalidRequestError, Sume, library
from sume_notebook.sandbox import SandboxHandle
from tests.support import assert_nothing_secret

REEL = "https://www.tiktok.com/@brand/video/7301234567890?is_from_webapp=1&sender_device=pc"


def mirrored(directory: Path) -> pd.DataFrame:
    """Every scene row of the mirror, as DuckDB reads it, in id order."""
    frame = library(directory).sql("SELECT * EXCLUDE (month) FROM scenes ORDER BY id").df()
    return frame.reset_index(drop=True)


def scene_ids_on_service(sb: SandboxHandle) -> list[str]:
    with Sume(api_key=sb.api_key, base_url=sb.url) as sume:
        return sorted(sume.assets.list(limit=100).to_pandas()["id"])


async def test_sync_writes_typed_partitions_and_a_second_sync_reads_only_what_is_new(
    client: AsyncSume, sb: SandboxHandle, tmp_path: Path, sample_video: Path
) -> None:
    first = await client.assets.sync(tmp_path / "library", checkpoint_rows=150)
    ids = scene_ids_on_service(sb)
    assert first.rows == first.fetched == len(ids) and first.newest is not None
    parts = sorted(p.relative_to(tmp_path / "library" / "scenes").parts[:2]
                   for p in (tmp_path / "library" / "scenes").rglob("*.parquet"))
    assert parts and all(s.startswith("source_type=") and m.startswith("month=") for s, m in parts)
    schema = pq.read_schema(next((tmp_path / "library" / "scenes").rglob("*.parquet")))
    assert schema.field("created_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("duration_seconds").type == pa.float64() and schema.field("cta_present").type == pa.bool_()
    assert pa.types.is_list(schema.field("tags").type) and pa.types.is_dictionary(schema.field("segment_type").type)
    before = mirrored(tmp_path / "library")
    assert sorted(before["id"]) == ids

    again = await client.assets.sync(tmp_path / "library")
    assert again.fetched < 10  # only the scenes of the newest second, read again and merged by id
    pd.testing.assert_frame_equal(mirrored(tmp_path / "library"), before)

    await client.assets.upload(sample_video, title="Mirror me")
    requests_before = sb.stats()["requests"].get("GET /api/v1/assets", 0)
    grown = await client.assets.sync(tmp_path / "library")
    pages = sb.stats()["requests"]["GET /api/v1/assets"] - requests_before
    after = mirrored(tmp_path / "library")
    assert pages == 1 and grown.rows == len(after) > len(before)
    assert sorted(after["id"]) == scene_ids_on_service(sb)
    assert set(after.loc[after["source_video_title"] == "Mirror me", "source_type"]) == {"upload"}


def test_a_sync_killed_mid_run_is_completed_by_the_next_with_the_same_rows_as_one_clean_sync(
    env: SandboxHandle, sume: Sume, tmp_path: Path
) -> None:
    """Each page slowed to 0.4 s, a page per checkpoint: SIGKILL lands after some pages are on disk."""
    env.add_fault("GET /api/v1/assets", kind="latency", latency=0.4, count=1000)
    interrupted = tmp_path / "interrupted"
    script = ("import sys; from sume_notebook import Sume\n"
              "with Sume() as s: s.assets.sync(sys.argv[1], checkpoint_rows=1)")
    process = subprocess.Popen([sys.executable, "-c", script, str(interrupted)], cwd=Path(__file__).parents[2])
    state = interrupted / "_sume_sync.json"
    deadline = time.monotonic() + 60
    while not (state.exists() and json.loads(state.read_text())["scenes"]["run"]):
        assert process.poll() is None and time.monotonic() < deadline, "the sync ended before it could be killed"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    cut_short = json.loads(state.read_text())["scenes"]
    assert cut_short["run"]["cursor"] and library(interrupted).sql("SELECT count(*) FROM scenes").fetchall()[0][0] > 0
    env.reset()  # the fault off: the next run is a normal one

    resumed = sume.assets.sync(interrupted)
    clean = sume.assets.sync(tmp_path / "clean")
    assert resumed.rows == clean.rows == len(scene_ids_on_service(env))
    pd.testing.assert_frame_equal(mirrored(interrupted), mirrored(tmp_path / "clean"))
    assert json.loads(state.read_text())["scenes"]["run"] is None
    assert not [p for p in interrupted.rglob("*") if p.name.startswith(".")]  # no temporary file left behind


async def test_a_stale_cursor_falls_back_to_the_newest_scene_on_disk(client: AsyncSume, tmp_path: Path) -> None:
    await client.assets.sync(tmp_path / "library")
    state_path = tmp_path / "library" / "_sume_sync.json"
    state = json.loads(state_path.read_text())
    state["scenes"]["run"] = {"full": False, "created_after": state["scenes"]["newest"], "cursor": "not-a-cursor"}
    state_path.write_text(json.dumps(state))
    before = mirrored(tmp_path / "library")
    report = await client.assets.sync(tmp_path / "library")
    assert report.fetched >= 1
    pd.testing.assert_frame_equal(mirrored(tmp_path / "library"), before)


async def test_the_dataset_holds_no_token_or_secret(
    client: AsyncSume, sb: SandboxHandle, sandbox_account: dict[str, Any], tmp_path: Path
) -> None:
    await client.assets.sync(tmp_path / "library")
    job = await client.reference_analysis.create(REEL)
    await client.reference_analysis.sync(tmp_path / "library", [job])
    files = [p for p in (tmp_path / "library").rglob("*") if p.is_file()]
    assert any(p.suffix == ".parquet" for p in files) and any(p.name == "_sume_sync.json" for p in files)
    for path in files:
        raw = path.read_bytes()
        assert sb.api_key.encode() not in raw and b"token=" not in raw and b"signature=" not in raw, path
        if path.suffix != ".parquet":
            assert_nothing_secret(raw.decode(), sb.api_key, sandbox_account)
            continue
        parquet = pq.ParquetFile(path)  # the values decompressed, and every metadata the footer carries
        texts = [json.dumps(parquet.read().to_pylist(), default=str), str(parquet.metadata.metadata),
                 str(parquet.schema_arrow.metadata)]
        for text in texts:
            assert_nothing_secret(text, sb.api_key, sandbox_account)
            assert "sessionid" not in text and "is_from_webapp" not in text


async def test_analyses_are_rows_per_scene_and_segment_keyed_by_the_url(client: AsyncSume, tmp_path: Path) -> None:
    job = await client.reference_analysis.create(REEL)
    first = await client.reference_analysis.sync(tmp_path / "library", [job.id])
    analysis = (await client.jobs.result(job.id)).analysis
    assert analysis is not None
    con = library(tmp_path / "library")
    scenes = con.sql("SELECT * FROM analysis_scenes ORDER BY position").df()
    transcripts = con.sql("SELECT * FROM transcripts ORDER BY position").df()
    assert len(scenes) == len(analysis.scenes or []) and len(transcripts) == len(analysis.transcript or [])
    assert set(scenes["source_url"]) == {"https://www.tiktok.com/@brand/video/7301234567890?…"}
    assert set(scenes["platform"]) == {"tiktok"} and first.fetched == len(scenes) + len(transcripts)
    await client.reference_analysis.sync(tmp_path / "library", [analysis])  # the same URL again: replaced
    assert con.sql("SELECT count(*) FROM analysis_scenes").fetchall()[0][0] == len(scenes)


def test_library_views_are_queryable_and_empty_before_any_sync(tmp_path: Path) -> None:
    odd = tmp_path / "it's a library"
    con = library(odd)
    for view in ("scenes", "analysis_scenes", "transcripts"):
        assert con.sql(f"SELECT count(*) FROM {view}").fetchall() == [(0,)]
    assert "created_at" in con.sql("SELECT * FROM scenes").df().columns
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(InvalidRequestError, match="folder"):
        library(tmp_path / "a-file")


async def test_bad_arguments_are_refused_before_any_request(client: AsyncSume, sb: SandboxHandle,
                                                            tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    for directory, checkpoint in ((tmp_path / "a-file", 10), ("", 10), (tmp_path, 0)):
        with pytest.raises(InvalidRequestError):
            await client.assets.sync(directory, checkpoint_rows=checkpoint)  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError, match="reference-analysis"):
        await client.reference_analysis.sync(tmp_path / "library", [3.5])
    assert sb.stats()["requests"] == {}


def test_the_magic_syncs_and_library_reads_it_in_a_real_shell(ip: Any, tmp_path: Path) -> None:
    cell = ip.run("%sume assets sync mirror/")
    assert cell.error is None, cell.stderr
    assert "Done:" in cell.stdout and "sume_notebook.library(" in cell.stdout
    counted = ip.run("import sume_notebook\nsume_notebook.library('mirror').sql('SELECT count(*) FROM scenes').fetchall()[0][0]")
    assert counted.error is None and counted.result > 0
    again = ip.run("%sume assets sync mirror/ --full")
    assert again.error is None and "full sync" in again.stdout
    assert os.path.exists(tmp_path / "mirror" / "_sume_sync.json")

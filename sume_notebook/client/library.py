"""`library(DIR)`: the local mirror as a DuckDB connection with the views `scenes`, `analysis_scenes`, `transcripts`.

The views read the Parquet files in place (nothing is loaded until a query runs, and DuckDB reads only the
columns and partitions a query needs). A view whose folder holds no file yet is an empty view with the
contract's columns, so a notebook's queries run before the first sync too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ._errors import FieldError, InvalidRequestError
from ._library_sync import ANALYSIS_SCENES, SCENES, TRANSCRIPTS

if TYPE_CHECKING:
    import duckdb

__all__ = ["library"]

# The columns of an empty view (before any sync): the contract's fields, typed as the mirror types them.
_EMPTY = {
    "scenes": {"id": "VARCHAR", "source_type": "VARCHAR", "segment_type": "VARCHAR", "start_seconds": "DOUBLE",
               "end_seconds": "DOUBLE", "duration_seconds": "DOUBLE", "clip_url": "VARCHAR", "media_url": "VARCHAR",
               "thumbnail_url": "VARCHAR", "source_media_url": "VARCHAR", "source_video_id": "VARCHAR",
               "source_video_title": "VARCHAR", "brands": "VARCHAR[]", "products": "VARCHAR[]", "tags": "VARCHAR[]",
               "keywords": "VARCHAR[]", "cta_present": "BOOLEAN", "description": "VARCHAR", "transcript": "VARCHAR",
               "created_at": "TIMESTAMPTZ", "preview_url": "VARCHAR", "month": "VARCHAR"},
    "analysis_scenes": {"source_url": "VARCHAR", "platform": "VARCHAR", "position": "BIGINT", "index": "BIGINT",
                        "start_seconds": "DOUBLE", "end_seconds": "DOUBLE", "description": "VARCHAR",
                        "shot_type": "VARCHAR", "on_screen_text": "VARCHAR", "transcript": "VARCHAR",
                        "emotion": "VARCHAR"},
    "transcripts": {"source_url": "VARCHAR", "platform": "VARCHAR", "position": "BIGINT", "start_seconds": "DOUBLE",
                    "end_seconds": "DOUBLE", "speaker": "VARCHAR", "text": "VARCHAR"},
}
_FOLDERS = {"scenes": SCENES, "analysis_scenes": ANALYSIS_SCENES, "transcripts": TRANSCRIPTS}


def _literal(text: str) -> str:
    """A SQL string literal: the path is data, never SQL."""
    return "'" + text.replace("'", "''") + "'"


def library(directory: str | os.PathLike[str] = "library", *,
            connection: duckdb.DuckDBPyConnection | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection (a new in-memory one, or `connection`) with views over the mirror in `directory`.

    `library("library/").sql("SELECT segment_type, count(*) FROM scenes GROUP BY 1").df()`; with jupysql,
    `%sql con` and then `%%sql` cells query the same views.
    """
    if isinstance(directory, bool) or not isinstance(directory, (str, os.PathLike)) or not str(directory).strip():
        raise InvalidRequestError([FieldError("directory", "must be a folder path, e.g. 'library/'")])
    root = Path(directory).expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise InvalidRequestError([FieldError("directory", f"{root} is a file; give the folder a sync wrote")])
    try:
        import duckdb
    except ImportError:
        raise ImportError("library() queries the mirror with DuckDB: pip install 'sume-notebook[analytics]'") from None
    con = connection if connection is not None else duckdb.connect()
    for view, folder in _FOLDERS.items():
        base = root / folder
        if base.exists() and any(base.rglob("*.parquet")):
            pattern = _literal(str(base / "**" / "*.parquet"))
            source = f"read_parquet({pattern}, hive_partitioning = true, union_by_name = true)"
            con.execute(f"CREATE OR REPLACE VIEW {view} AS SELECT * FROM {source}")
        else:
            columns = ", ".join(f'CAST(NULL AS {kind}) AS "{name}"' for name, kind in _EMPTY[view].items())
            con.execute(f"CREATE OR REPLACE VIEW {view} AS SELECT {columns} WHERE false")
    return con

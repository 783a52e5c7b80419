"""A local Parquet dataset that only ever changes one whole file at a time, and the state of its last sync.

Layout (hive partitions, readable unchanged by pyarrow, DuckDB, Spark and Dask):
`DIR/scenes/source_type=generated/month=2026-11/part-0.parquet`, `DIR/analyses/scenes/...`,
`DIR/analyses/transcripts/...`, and `DIR/_sume_sync.json`, the state, written last.

Never half-written: a partition file is written beside itself under a dot-name that every reader skips, then
renamed over the old one (one atomic step); a row lives in exactly one partition, so whatever moment a run is
killed, every file on disk is whole and every row in it is a row the service sent. Rows are keyed (`id` for
scenes): merging a batch replaces the rows it holds again, so a repeated or resumed run adds no duplicates.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["STATE_FILE", "dataset_rows", "load_state", "merge_into_partitions", "remove_leftovers", "require_pyarrow",
           "save_state"]

STATE_FILE = "_sume_sync.json"
_PART = "part-0.parquet"
_TEMP_SUFFIX = ".tmp"
_NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"  # what Hive, Spark and pyarrow call a missing partition value
STATE_FORMAT = 1


def require_pyarrow() -> None:
    """A clear error before any request when the `analytics` extra is missing."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise ImportError("the local mirror writes Parquet with pyarrow: pip install 'sume-notebook[analytics]'") \
            from None


def load_state(root: Path) -> dict[str, Any]:
    """The state of the last sync into `root` ({} before the first)."""
    path = root / STATE_FILE
    if not path.exists():
        return {}
    state = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(state, dict) or state.get("format") != STATE_FORMAT:
        raise ValueError(f"{path} was not written by this version of sume-notebook's sync; sync into a new folder")
    return state


def save_state(root: Path, state: Mapping[str, Any]) -> None:
    """Write the state atomically (the dataset's files are all in place before it names them)."""
    root.mkdir(parents=True, exist_ok=True)
    _replace(root / STATE_FILE, json.dumps({"format": STATE_FORMAT, **state}, indent=2, sort_keys=True).encode())


def _replace(target: Path, data: bytes) -> None:
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}{_TEMP_SUFFIX}")
    with open(temporary, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, target)


def remove_leftovers(root: Path) -> None:
    """Temporary files of a run that was killed before its rename (readers never saw them)."""
    if root.exists():
        for leftover in root.rglob(f".*{_TEMP_SUFFIX}"):
            leftover.unlink(missing_ok=True)


def _partition_dir(base: Path, names: Sequence[str], values: Sequence[Any]) -> Path:
    for name, value in zip(names, values):
        text = _NULL_PARTITION if value is None or value != value else quote(str(value), safe="")
        base = base / f"{name}={text}"
    return base


def merge_into_partitions(base: Path, frame: pd.DataFrame, partition_by: Sequence[str], key: str,
                          unique: bool = True) -> int:
    """Upsert `frame`'s rows into the dataset at `base`, one partition file at a time; return rows written.

    Stored rows whose `key` the batch holds are replaced by the batch's rows of that key (with `unique`, one row
    per key: the batch's last). Rows are kept in `created_at`, key, `position` order.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if unique:
        frame = frame.drop_duplicates(subset=[key], keep="last")
    written = 0
    for values, group in frame.groupby(list(partition_by), dropna=False, observed=True, sort=True):
        directory = _partition_dir(base, partition_by, values if isinstance(values, tuple) else (values,))
        directory.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(group.drop(columns=list(partition_by)), preserve_index=False)
        table = _without_null_columns(table)
        target = directory / _PART
        if target.exists():
            stored = pq.read_table(target)
            kept = stored.filter(pc.invert(pc.is_in(stored[key], value_set=table[key].cast(stored[key].type))))
            table = pa.concat_tables([kept, table], promote_options="permissive")
        order = [(name, "ascending") for name in ("created_at", key, "position") if name in table.column_names]
        table = table.sort_by(order).replace_schema_metadata(None)  # no pandas metadata: the columns say it all
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression="zstd")
        _replace(target, sink.getvalue().to_pybytes())
        written += len(group)
    return written


def _without_null_columns(table: pa.Table) -> pa.Table:
    """Columns no row of this batch has a value for: left out, so no file types them as `null`."""
    import pyarrow as pa

    keep = [i for i, field in enumerate(table.schema) if not pa.types.is_null(field.type)]
    return table.select(keep)


def dataset_rows(base: Path) -> int:
    """Rows in every partition file under `base`, from the Parquet footers."""
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(path).metadata.num_rows for path in base.rglob(_PART)) if base.exists() else 0

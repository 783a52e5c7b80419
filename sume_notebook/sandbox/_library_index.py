"""How the Asset Library is stored so that a search reads one page, not every scene.

Each scene is a row of ``scenes`` (its JSON plus the columns a filter or a sort reads, under indexes that
serve the three sorts by time and duration), a row of the FTS5 table ``scene_text`` (the five searchable
fields, already split into search terms) and one row of ``scene_labels`` per brand, product, tag and keyword
(casefolded, for exact filters). ``_library_search`` turns a query into SQL over these tables.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ._library_catalogue import parse_iso
from ._store import Store, dumps, loads

# The fields a text search looks in, best first: the FTS5 columns, in this order.
TEXT_FIELDS = ("title", "tags", "keywords", "description", "transcript")
# The list fields a filter matches exactly (case aside): query parameter -> scene field.
LABEL_FIELDS = {"brand": "brands", "product": "products", "tag": "tags", "keyword": "keywords"}

# A search term is a run of letters or digits, lowercased, with a plural "s" dropped.
_WORD = re.compile(r"[^\W_]+")

# Contentless (`content=''`): the scene's JSON is in `scenes`, the index keeps only what bm25 reads.
# The terms are split here (`search_terms`) and joined by spaces, so the tokenizer only separates them again.
_SCHEMA = f"""
CREATE INDEX IF NOT EXISTS scenes_newest ON scenes (workspace_id, created DESC, id);
CREATE INDEX IF NOT EXISTS scenes_oldest ON scenes (workspace_id, created, id);
CREATE INDEX IF NOT EXISTS scenes_longest ON scenes (workspace_id, duration DESC, id);
CREATE TABLE IF NOT EXISTS scene_labels (
    field TEXT, value TEXT, seq INTEGER, PRIMARY KEY (field, value, seq)) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS scene_text USING fts5(
    {", ".join(TEXT_FIELDS)}, content='', detail=column, tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE IF NOT EXISTS scene_vocab USING fts5vocab(scene_text, 'row');
"""
# The columns a filter, a sort or relevance reads (`length`: the scene's number of search terms).
_COLUMNS = ("source_type", "segment_type", "cta_present", "duration", "created", "length")


def search_terms(text: str) -> list[str]:
    """Lowercase words with a plural ``s`` dropped, so "serums" finds "serum"; queries and scenes alike."""
    return [w[:-1] if len(w) > 3 and w[-1] == "s" and w[-2] != "s" else w for w in _WORD.findall(text.lower())]


def prepare_library(store: Store) -> None:
    """Create the indexes; a data directory from before them gets its columns and index built from its JSON."""
    existing = {row["name"] for row in store.all("PRAGMA table_info(scenes)")}
    missing = [column for column in _COLUMNS if column not in existing]
    with store.transaction():
        for column in missing:
            store.execute(f"ALTER TABLE scenes ADD COLUMN {column}")
    store.script(_SCHEMA)
    if missing:
        with store.transaction():
            scenes = [(row["seq"], loads(row["data"])) for row in store.all("SELECT seq, data FROM scenes")]
            store.executemany(f"UPDATE scenes SET {', '.join(c + ' = ?' for c in _COLUMNS)} WHERE seq = ?",
                              [(*_column_values(scene), seq) for seq, scene in scenes])
            _index_text_and_labels(store, scenes)


def add_scenes(store: Store, workspace_id: str, scenes: Sequence[Mapping[str, Any]]) -> int:
    """Insert scenes not yet in the library in one transaction, indexed; returns how many were new."""
    with store.transaction():
        last = store.one("SELECT coalesce(max(seq), 0) AS seq FROM scenes")["seq"]
        store.executemany(
            f"INSERT OR IGNORE INTO scenes (id, workspace_id, source_id, data, {', '.join(_COLUMNS)})"
            f" VALUES (?, ?, ?, ?, {', '.join('?' * len(_COLUMNS))})",
            ((s["id"], workspace_id, s["source_video_id"], dumps(s), *_column_values(s)) for s in scenes),
        )
        by_id = {scene["id"]: scene for scene in scenes}
        added = [(row["seq"], by_id[row["id"]]) for row in store.all("SELECT seq, id FROM scenes WHERE seq > ?",
                                                                       (last,))]
        _index_text_and_labels(store, added)
    return len(added)


def _column_values(scene: Mapping[str, Any]) -> tuple[Any, ...]:
    return (scene["source_type"], scene["segment_type"], int(bool(scene["cta_present"])),
            float(scene["duration_seconds"]), parse_iso(scene["created_at"]).timestamp(),
            sum(len(terms) for terms in _field_terms(scene)))


def _field_terms(scene: Mapping[str, Any]) -> list[list[str]]:
    return [search_terms(_text(scene.get(field))) for field in TEXT_FIELDS]


def _index_text_and_labels(store: Store, scenes: Sequence[tuple[int, Mapping[str, Any]]]) -> None:
    """Index the scenes' text and labels, and count them into the statistics relevance reads."""
    texts = [(seq, *(" ".join(terms) for terms in _field_terms(scene))) for seq, scene in scenes]
    store.executemany(f"INSERT INTO scene_text (rowid, {', '.join(TEXT_FIELDS)}) VALUES (?, ?, ?, ?, ?, ?)", texts)
    length = sum(len(text.split()) for _, *fields in texts for text in fields)
    store.set_meta("text_scenes", str(int(store.meta("text_scenes") or 0) + len(texts)))
    store.set_meta("text_terms", str(int(store.meta("text_terms") or 0) + length))
    store.executemany(
        "INSERT OR IGNORE INTO scene_labels (field, value, seq) VALUES (?, ?, ?)",
        ((field, value.casefold(), seq) for seq, scene in scenes
         for field in LABEL_FIELDS.values() for value in scene.get(field) or ()),
    )


def _text(value: Any) -> str:
    return " ".join(value) if isinstance(value, list) else value or ""

"""How the Asset Library is stored so that a search reads one page, not every scene.

Each scene is a row of ``scenes`` (its JSON plus the columns a filter or a sort reads, under indexes that
serve the sorts by time and duration and the segment filter), an entry in the posting list of each word its
five searchable fields hold (``term_postings``: the word's scenes and its BM25F weight in each, see
``_library_relevance`` and ``_library_postings``), and one row of ``scene_labels`` per brand, product, tag
and keyword (casefolded, for exact filters). ``_library_search`` turns a query into reads of these tables.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ._library_catalogue import parse_iso
from ._library_postings import add_postings
from ._library_relevance import term_impacts
from ._store import Store, dumps, loads

# The fields a text search looks in, best first (the order of `_library_relevance.FIELD_WEIGHTS`).
TEXT_FIELDS = ("title", "tags", "keywords", "description", "transcript")
# The list fields a filter matches exactly (case aside): query parameter -> scene field.
LABEL_FIELDS = {"brand": "brands", "product": "products", "tag": "tags", "keyword": "keywords"}

# A search term is a run of letters or digits, lowercased, with a plural "s" dropped.
_WORD = re.compile(r"[^\W_]+")

_SCHEMA = """
CREATE INDEX IF NOT EXISTS scenes_newest ON scenes (workspace_id, created DESC, id);
CREATE INDEX IF NOT EXISTS scenes_oldest ON scenes (workspace_id, created, id);
CREATE INDEX IF NOT EXISTS scenes_longest ON scenes (workspace_id, duration DESC, id);
CREATE INDEX IF NOT EXISTS scenes_by_segment ON scenes (workspace_id, segment_type, created DESC, id);
CREATE TABLE IF NOT EXISTS scene_labels (
    field TEXT, value TEXT, seq INTEGER, PRIMARY KEY (field, value, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS term_postings (
    term TEXT PRIMARY KEY, scenes INTEGER NOT NULL, seqs BLOB NOT NULL, impacts BLOB NOT NULL);
"""
# The FTS5 index a data directory from before the posting lists kept; dropped once they are built.
_OLD_TEXT_INDEX = "DROP TABLE IF EXISTS scene_vocab; DROP TABLE IF EXISTS scene_text;"
# The meta key recording that `term_postings` holds every scene.
_POSTINGS_BUILT = "text_postings"
# The columns a filter or a sort reads.
_COLUMNS = ("source_type", "segment_type", "cta_present", "duration", "created")


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
    if store.meta(_POSTINGS_BUILT):
        return
    store.script(_OLD_TEXT_INDEX)
    with store.transaction():
        scenes = [(row["seq"], loads(row["data"])) for row in store.all("SELECT seq, data FROM scenes")]
        if missing:
            store.executemany(f"UPDATE scenes SET {', '.join(c + ' = ?' for c in _COLUMNS)} WHERE seq = ?",
                              [(*_column_values(scene), seq) for seq, scene in scenes])
        store.execute("DELETE FROM term_postings")
        store.execute("DELETE FROM meta WHERE key IN ('text_scenes', 'text_terms')")
        _index_text_and_labels(store, scenes)
        store.set_meta(_POSTINGS_BUILT, "1")


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
            float(scene["duration_seconds"]), parse_iso(scene["created_at"]).timestamp())


def _index_text_and_labels(store: Store, scenes: Sequence[tuple[int, Mapping[str, Any]]]) -> None:
    """Index the scenes' words and labels, and count them into the statistics relevance reads."""
    postings: dict[str, tuple[list[int], list[int]]] = {}
    for seq, scene in sorted(scenes, key=lambda pair: pair[0]):
        for term, impact in term_impacts([search_terms(_text(scene.get(field))) for field in TEXT_FIELDS]).items():
            seqs, impacts = postings.setdefault(term, ([], []))
            seqs.append(seq)
            impacts.append(impact)
    add_postings(store, postings)
    store.set_meta("text_scenes", str(int(store.meta("text_scenes") or 0) + len(scenes)))
    store.executemany(
        "INSERT OR IGNORE INTO scene_labels (field, value, seq) VALUES (?, ?, ?)",
        ((field, value.casefold(), seq) for seq, scene in scenes
         for field in LABEL_FIELDS.values() for value in scene.get(field) or ()),
    )


def _text(value: Any) -> str:
    return " ".join(value) if isinstance(value, list) else value or ""

"""Relevance of a scene to a text query: BM25F over the FTS5 index, with statistics a cursor can carry.

FTS5 finds, for each word of the query and each text field, the scenes that hold it; SQL then sums
BM25's saturating term weight over the words, a word counting more in a title than in a transcript,
less in a long scene than in a short one, and more the rarer it is in the library.

Why not FTS5's built-in ``bm25()``: its statistics (how many scenes hold a word, how long scenes are on
average) move whenever scenes are added, so a scene's score would change between two pages and a keyset
cursor would skip or repeat scenes; and it gives a word that most scenes hold no weight at all, so in a
small library a title match would no longer outrank a mention in a transcript. Here the statistics are
read once, for the first page, and travel inside the cursor to the next ones (see ``_library_search``);
idf is the always-positive form Lucene uses.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ._library_index import TEXT_FIELDS
from ._store import Store

K1, B = 1.2, 0.75  # BM25's usual term saturation and length normalisation
# How much a word counts in each field (BM25F field weights), in the order of TEXT_FIELDS.
FIELD_WEIGHTS = (3.0, 2.0, 2.0, 1.5, 1.0)
# BM25 is unbounded; score = bm25 / (bm25 + HALF_SCORE) maps it into (0, 1), 0.5 at bm25 = HALF_SCORE.
HALF_SCORE = 3.0


@dataclass(frozen=True)
class Statistics:
    """What BM25 reads from the whole library: each query word's idf and the average scene length."""

    idf: tuple[float, ...]
    average_length: float

    def is_valid_for(self, terms: Sequence[str]) -> bool:
        return len(self.idf) == len(terms) and all(math.isfinite(v) and v > 0 for v in self.idf) and \
            math.isfinite(self.average_length) and self.average_length > 0


def read_statistics(store: Store, terms: Sequence[str]) -> Statistics:
    """The library's statistics for these query words now."""
    scenes = int(store.meta("text_scenes") or 0)
    length = int(store.meta("text_terms") or 0)
    placeholders = ", ".join("?" * len(terms))
    held = {row["term"]: row["doc"]
            for row in store.all(f"SELECT term, doc FROM scene_vocab WHERE term IN ({placeholders})", terms)}
    idf = tuple(math.log(1 + (scenes - n + 0.5) / (n + 0.5)) for n in (held.get(t, 0) for t in terms))
    return Statistics(idf, length / scenes if scenes and length else 1.0)


def scored_matches(terms: Sequence[str], statistics: Statistics) -> tuple[str, list[str], str]:
    """How to score the scenes holding at least one of the words: a subquery ``found`` of one row per such
    scene (its ``seq`` and, per word, the summed weight of the fields holding it), the subquery's MATCH
    arguments, and the score as an SQL expression of ``found`` and the scene's row ``s``.

    Each word is quoted: the user's text is data for FTS5, never its query syntax. The statistics are
    finite numbers (read here or checked in the cursor), written into the SQL as literals.
    """
    found = " UNION ALL ".join(
        f"SELECT rowid AS seq, {number} AS term, {weight!r} AS weight FROM scene_text WHERE scene_text MATCH ?"
        for number in range(len(terms)) for weight in FIELD_WEIGHTS
    )
    per_term = ", ".join(f"total(CASE term WHEN {number} THEN weight END) AS f{number}"
                         for number in range(len(terms)))
    sql = f"SELECT seq, {per_term} FROM ({found}) GROUP BY seq"
    matches = [f'{{{field}}} : "{term}"' for term in terms for field in TEXT_FIELDS]
    # BM25 with its constants folded: idf * f * (k1 + 1) / (f + k1 * (1 - b + b * length / average)).
    norm = f"{K1 * (1 - B)!r} + {K1 * B / statistics.average_length!r} * s.length"
    bm25 = " + ".join(f"{idf * (K1 + 1)!r} * found.f{number} / (found.f{number} + {norm})"
                      for number, idf in enumerate(statistics.idf))
    score = f"max(round(1.0 - {HALF_SCORE!r} / ({HALF_SCORE!r} + {bm25}), 4), 0.0001)"
    return sql, matches, score

"""Each word's posting list as two arrays, and a query's scores computed from them at array speed.

A common word is held by a large share of a big library (one scene in eight of 200,000 for "hook"), and a
relevance page must rank every scene holding a query word before it can name the best twenty. Rows of an
SQL index cost about a microsecond each to read and sum; a posting list stored as one array (the rows of
the scenes holding the word, ascending, and the word's impact in each) is read in one go and summed with
numpy in a few nanoseconds per scene, so a page over 200,000 scenes costs about what it costs over 2,000.
SQLite still decides which of the best-scored scenes a page may show (workspace, filters), reading only
those few.

The lists only grow at their end: a scene is indexed once, with a row number above every indexed one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from ._store import Store, dumps

_ARRAY = np.dtype("<i4")  # scene rows and impacts (below 2**31 both)


def add_postings(store: Store, postings: Mapping[str, tuple[Sequence[int], Sequence[int]]]) -> None:
    """Append new scenes' rows and impacts to each word's lists (rows ascending, above those stored)."""
    for term, (seqs, impacts) in postings.items():
        stored = store.one("SELECT seqs, impacts FROM term_postings WHERE term = ?", (term,))
        new_seqs, new_impacts = np.asarray(seqs, _ARRAY).tobytes(), np.asarray(impacts, _ARRAY).tobytes()
        if stored is None:
            store.execute("INSERT INTO term_postings (term, scenes, seqs, impacts) VALUES (?, ?, ?, ?)",
                          (term, len(seqs), new_seqs, new_impacts))
        else:
            store.execute("UPDATE term_postings SET scenes = scenes + ?, seqs = ?, impacts = ? WHERE term = ?",
                          (len(seqs), stored["seqs"] + new_seqs, stored["impacts"] + new_impacts, term))


def scenes_holding(store: Store, terms: Sequence[str]) -> dict[str, int]:
    """How many scenes hold each of these words (the words no scene holds are left out)."""
    marks = ", ".join("?" * len(terms))
    return {row["term"]: row["scenes"]
            for row in store.all(f"SELECT term, scenes FROM term_postings WHERE term IN ({marks})", terms)}


@dataclass(frozen=True)
class Scores:
    """One query's integer BM25 of every scene, by row (0: the scene holds no query word; float64, whose
    integers are exact below 2**53, far above any score), and the rows its posting lists name."""

    totals: np.ndarray
    listed: np.ndarray

    def of(self, seq: int) -> int:
        return int(self.totals[seq]) if seq < len(self.totals) else 0

    def matched(self) -> np.ndarray:
        """The rows of the scenes holding a query word, ascending."""
        held = np.zeros(len(self.totals), bool)
        held[self.listed] = True  # marking and reading a boolean array is several times quicker than testing totals
        return np.flatnonzero(held)


def query_scores(store: Store, weights: Mapping[str, int]) -> Scores:
    """Each scene's sum over the query words of the word's weight (its idf) times the scene's impact."""
    marks = ", ".join("?" * len(weights))
    rows = store.all(f"SELECT term, seqs, impacts FROM term_postings WHERE term IN ({marks})", list(weights))
    if not rows:
        return Scores(np.zeros(0), np.zeros(0, np.int64))
    seqs = np.concatenate([np.frombuffer(row["seqs"], _ARRAY) for row in rows])
    products = np.concatenate([weights[row["term"]] * np.frombuffer(row["impacts"], _ARRAY).astype(np.float64)
                               for row in rows])
    return Scores(np.bincount(seqs, weights=products), seqs)


class Match(NamedTuple):
    """A scene a text query finds: its row, its id and its integer BM25."""

    seq: int
    id: str
    bm25: int


def best_matches(store: Store, scores: Scores, where: Sequence[str], args: Sequence[Any],
                 after: tuple[int, str] | None, count: int) -> list[Match]:
    """The first `count` matches, best BM25 first and ties by id, among the scenes passing `where` (SQL
    conditions on the scene `s`) that come after the match `after` (`(bm25, id)` of a cursor) if given.

    Only the best-scored matches are looked up: every scene scoring at least the `wanted`-th best score,
    ties included, so those that pass are exactly the first ones; `wanted` grows while too few pass.
    `scores` is used up: the scenes before the cursor lose their score.
    """
    totals = scores.totals
    if after is not None:
        # The scenes scoring above the cursor's match were shown already (a tie with it is settled by id below).
        # Dropped in place: a second array of the library's size costs more than all the rest of the page.
        totals[totals > after[0]] = 0.0
    wanted = count
    while True:
        candidates = _best_rows(totals, wanted)
        rows = store.all(f"SELECT s.seq, s.id FROM json_each(?) AS j CROSS JOIN scenes AS s ON s.seq = j.value"
                         f" WHERE {' AND '.join(where)}", [dumps(candidates.tolist()), *args])
        found = sorted((match for match in (Match(row["seq"], row["id"], scores.of(row["seq"])) for row in rows)
                        if after is None or (-match.bm25, match.id) > (-after[0], after[1])),
                       key=lambda match: (-match.bm25, match.id))
        if len(found) >= count or len(candidates) == np.count_nonzero(totals):
            return found[:count]
        wanted *= 4


# `_best_rows` first bounds the cutoff from every this-many-th scene, so that the exact cutoff is then found
# among a few hundred scores rather than all the matches.
_SAMPLE_STRIDE = 16


def _best_rows(totals: np.ndarray, wanted: int) -> np.ndarray:
    """The rows of every scene scoring at least the `wanted`-th best score (above 0), ties included; all of them
    when fewer score above 0.

    The `wanted`-th best score of any part of the scenes is at most that of all of them, so the part's bounds the
    cutoff from below: the scenes at or above it hold the answer, and the exact cutoff is chosen among them.
    """
    sample = totals[::_SAMPLE_STRIDE]
    sample = sample[sample > 0]  # (numpy's selection slows down a hundredfold on a sea of equal zeros)
    bound = 1.0
    if len(sample) >= wanted:
        bound = max(bound, np.partition(sample, len(sample) - wanted)[len(sample) - wanted])
    rows = np.flatnonzero(totals >= bound)
    if len(rows) > wanted:
        values = totals[rows]
        rows = rows[values >= np.partition(values, len(values) - wanted)[len(values) - wanted]]
    return rows

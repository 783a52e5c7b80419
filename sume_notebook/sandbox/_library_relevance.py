"""Relevance of a scene to a text query: BM25F with each word's weight in each scene fixed when it is indexed.

A scene's weight for a word (its *impact*) is BM25's saturating term weight: more when the word is in the
title than in the transcript (field weights summed over the fields holding it), less in a long scene than
in a short one. It is computed once, when the scene is indexed, and stored as an integer with the
word's posting list (``_library_postings``), so a query's scores are sums of stored integers.

So that a stored weight stays true, length is normalised against a constant
reference length rather than the library's moving average (scenes added later never change a stored
impact). What does move as scenes are added, each word's rarity (idf), is read once for a query's first
page and travels in its cursor, so a scene's score never changes between two pages of one search.

Scores are exact integer sums (idf and impact are both scaled integers), so equal scores are truly equal and a
cursor compares them exactly; the API shows them mapped into (0, 1), in the same order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ._library_postings import scenes_holding
from ._store import Store

K1, B = 1.2, 0.75  # BM25's usual term saturation and length normalisation
# How much a word counts in each field (BM25F field weights), in the order of `_library_index.TEXT_FIELDS`.
FIELD_WEIGHTS = (3.0, 2.0, 2.0, 1.5, 1.0)
# Length normalisation's reference: a scene of this many search terms is "of average length". About the
# seeded library's average (title, tags, keywords, a line of description and of transcript).
REFERENCE_LENGTH = 40
# Impacts and idfs are stored and summed as integers in these units, so every way of adding them agrees.
IMPACT_UNIT, IDF_UNIT = 10_000, 1_000
# Above the idf of a word in no scene of a library of a billion (about 21,000): a cursor's idf beyond it is forged.
_MOST_IDF = 100 * IDF_UNIT
# BM25 is unbounded; the API's score is bm25 / (bm25 + HALF_SCORE), 0.5 at bm25 = HALF_SCORE.
HALF_SCORE = 3.0


def term_impacts(field_terms: Sequence[Sequence[str]]) -> dict[str, int]:
    """Each word's impact in a scene whose text fields (in `TEXT_FIELDS` order) hold these search terms."""
    weights: dict[str, float] = {}
    for weight, terms in zip(FIELD_WEIGHTS, field_terms):
        for term in set(terms):
            weights[term] = weights.get(term, 0.0) + weight
    length = sum(len(terms) for terms in field_terms)
    norm = K1 * (1 - B + B * length / REFERENCE_LENGTH)
    return {term: max(1, round(IMPACT_UNIT * (K1 + 1) * f / (f + norm))) for term, f in weights.items()}


@dataclass(frozen=True)
class Statistics:
    """What a query's scores read from the whole library: each query word's idf, in `IDF_UNIT`s."""

    idf: tuple[int, ...]

    def is_valid_for(self, terms: Sequence[str]) -> bool:
        return len(self.idf) == len(terms) and all(type(v) is int and 0 < v <= _MOST_IDF for v in self.idf)


def read_statistics(store: Store, terms: Sequence[str]) -> Statistics:
    """The library's statistics for these query words now: Lucene's always-positive idf of each."""
    scenes = int(store.meta("text_scenes") or 0)
    held = scenes_holding(store, terms)
    return Statistics(tuple(max(1, round(IDF_UNIT * math.log(1 + (scenes - n + 0.5) / (n + 0.5))))
                            for n in (held.get(term, 0) for term in terms)))


def score(bm25: int) -> float:
    """The API's score of a scene whose integer BM25 is `bm25` (> 0 for every match): in (0, 1), and higher
    for a higher `bm25` (distinct sums stay distinct scores, so the API's order reads off its scores)."""
    value = bm25 / (IMPACT_UNIT * IDF_UNIT)
    return value / (value + HALF_SCORE)

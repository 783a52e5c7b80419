"""What a person thinks of a job: a rating, a star (the shortlist), tags and a note, kept in the journal.

Generating is cheap next to choosing: the choice has to outlive the kernel and join `history()`, so it is stored in
the journal beside the job, keyed like jobs by (service, job id). Every change is checked first (a short error says
what to pass) and applied inside one write transaction, so two kernels tagging the same job both keep their tag.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from ._errors import FieldError, InvalidRequestError
from .reprs import Card, Rendered, review_card

__all__ = ["KEEP", "MAX_NOTE_CHARS", "MAX_TAG_CHARS", "Review", "change_review", "checked_note", "checked_rating",
           "checked_starred", "checked_tags", "read_review"]

MAX_TAG_CHARS = 40
MAX_NOTE_CHARS = 2_000


class _Keep:
    """The default of a review field left as it is (None cannot be: it clears a rating)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


@dataclass(frozen=True)
class Review(Rendered):
    """A job's rating (1 to 5, or None), star (on the shortlist), tags (in the order added) and note."""

    rating: int | None = None
    starred: bool = False
    tags: tuple[str, ...] = ()
    note: str = ""

    def card(self) -> Card:
        """This review as a person reads it (its HTML, its IPython text and the magics' card)."""
        return review_card(self)


def _refuse(field: str, message: str) -> InvalidRequestError:
    return InvalidRequestError([FieldError(field, message)])


def checked_rating(stars: Any) -> int | None:
    if stars is None:
        return None
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise _refuse("rating", f"must be a whole number of stars from 1 to 5, or None to clear it (got {stars!r})")
    return stars


def checked_starred(starred: Any) -> bool:
    if not isinstance(starred, bool):
        raise _refuse("starred", f"must be True or False (got {starred!r})")
    return starred


def checked_tags(tags: Iterable[Any]) -> tuple[str, ...]:
    if isinstance(tags, str):
        tags = (tags,)
    cleaned = []
    for tag in tags:
        text = tag.strip() if isinstance(tag, str) else None
        if not text or len(text) > MAX_TAG_CHARS or "," in text:
            raise _refuse("tag", f"must be a word or short phrase of 1 to {MAX_TAG_CHARS} characters without commas "
                                 f"(got {tag!r})")
        cleaned.append(text)
    return tuple(dict.fromkeys(cleaned))


def checked_note(text: Any) -> str:
    if text is None:
        return ""
    if not isinstance(text, str) or len(text) > MAX_NOTE_CHARS:
        got = f"{len(text)} characters" if isinstance(text, str) else type(text).__name__
        raise _refuse("note", f"must be text of at most {MAX_NOTE_CHARS:,} characters, empty to clear it (got {got})")
    return text.strip()


def read_review(db: sqlite3.Connection, base_url: str, job_id: str) -> Review:
    row = db.execute("SELECT rating, starred, tags, note FROM reviews WHERE base_url=? AND job_id=?",
                     (base_url, job_id)).fetchone()
    if row is None:
        return Review()
    return Review(row[0], bool(row[1]), tuple(t for t in (row[2] or "").split(",") if t), row[3] or "")


def change_review(db: sqlite3.Connection, base_url: str, job_id: str, *, rating: Any = KEEP, starred: Any = KEEP,
                  tags: Any = KEEP, add_tags: Iterable[str] = (), remove_tags: Iterable[str] = (),
                  note: Any = KEEP) -> Review:
    """Apply checked changes to a job's review inside the caller's write transaction; return the new review."""
    review = read_review(db, base_url, job_id)
    if rating is not KEEP:
        review = replace(review, rating=rating)
    if starred is not KEEP:
        review = replace(review, starred=bool(starred))
    if tags is not KEEP:
        review = replace(review, tags=tuple(tags))
    removed = set(remove_tags)
    review = replace(review, tags=tuple(t for t in dict.fromkeys((*review.tags, *add_tags)) if t not in removed))
    if note is not KEEP:
        review = replace(review, note=note)
    db.execute(
        "INSERT INTO reviews (base_url, job_id, rating, starred, tags, note, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (base_url, job_id) DO UPDATE SET rating=excluded.rating, starred=excluded.starred,"
        " tags=excluded.tags, note=excluded.note, updated_at=excluded.updated_at",
        (base_url, job_id, review.rating, int(review.starred), ",".join(review.tags), review.note, time.time()),
    )
    return review

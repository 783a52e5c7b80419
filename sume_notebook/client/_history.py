"""What the journal shows a person: this notebook's `history()`, and the `pending()` work to pick up.

The journal is one file for every notebook of the user, so `history()` shows the rows of the notebook (or script)
it runs in unless asked for `all`; its first columns are the ones a person reads (what was asked, what kind, how
it ended, how long it took, when), then what the person thought of it (rating, starred, tags, note) and what it
cost (`credits`: what the service reserved, else an estimate, flagged in `credits_estimated`); the rest follows for
analysis. `tags` holds a list per row, so a tag matches whole (`df[df.tags.map(lambda t: "hero" in t)]`,
`df.explode("tags")` to count them); `history(tag="hero")` does the first.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from ._endpoints import endpoint_for
from ._errors import FieldError, InvalidRequestError
from ._journal import JournalEntry, default_journal
from ._origin import current_origin
from ._prices import estimate_credits
from ._reviews import checked_rating, checked_tags

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["history", "history_frame", "pending", "pending_frame"]

READING_ORDER = ("prompt", "kind", "status", "duration", "created")
_INTERNAL = ("sent_at", "body_exact")
_RELATIVE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_NEXT_STEP = {
    "accepted": "%sume jobs attach {id}",
    "unresolved": "%sume pending --resolve (asks the service again with the same idempotency key)",
    "expired": "sent over 24 h ago: look for it in %sume jobs list",
    "sending": "its process still waits for the answer",
}


def since_epoch(since: datetime | str) -> float:
    """`since` as a POSIX time: a datetime, an ISO date or date-time (local time unless it says), or an age such as
    `90s`, `30m`, `1h`, `2d`, `1w`."""
    if isinstance(since, datetime):
        return since.timestamp()  # a naive datetime is local time, as everywhere in Python
    match = _RELATIVE.match(since)
    if match:
        amount, unit = match.groups()
        return (datetime.now(timezone.utc) - timedelta(**{_UNITS[unit]: float(amount)})).timestamp()
    try:
        return datetime.fromisoformat(since.strip()).timestamp()
    except ValueError:
        raise InvalidRequestError([FieldError(
            "since", f"must be an ISO date or date-time (2026-11-30, 2026-11-30T09:00) or an age like 1h, 2d (got {since!r})"
        )]) from None


def _kind_of(row: Mapping[str, Any]) -> str | None:
    endpoint = endpoint_for(row["kind"]) or endpoint_for(row["type"])
    return endpoint.kind if endpoint is not None else row["kind"]


def _prompt_of(row: Mapping[str, Any]) -> str | None:
    """What was asked: the prompt or script, else the URL the work is about (an analysis, a face swap)."""
    request = row["request"]
    endpoint = endpoint_for(row["kind"])
    field = endpoint.text_field if endpoint is not None else None
    if field and isinstance(request.get(field), str):
        return request[field]
    return next((v for v in request.values() if isinstance(v, str) and v.startswith(("http://", "https://"))), None)


def _credits(row: Mapping[str, Any], siblings: int) -> tuple[float | None, bool]:
    """What the job cost: the service's `required_credits` (its share among the jobs of one create), else the
    default price table's estimate; nothing for a create that started no job."""
    if row["job_id"] is None:
        return None, False
    if row["credits"] is not None:
        return row["credits"], False
    kind = _kind_of(row)
    if kind is None or endpoint_for(kind) is None:  # a job attached by id of a kind without a price (an upload)
        return None, False
    return estimate_credits(kind, row["request"]) / max(1, siblings), True


def _readable(row: dict[str, Any], siblings: int) -> dict[str, Any]:
    finished = row["finished_at"]
    status = row["status"] or ("unresolved" if row["request_state"] == "sent" else row["request_state"])
    credits, estimated = _credits(row, siblings)
    first = {
        "prompt": _prompt_of(row), "kind": _kind_of(row), "status": status,
        "duration": finished - row["created_at"] if finished is not None else None,
        "created": datetime.fromtimestamp(row["created_at"]).astimezone().replace(microsecond=0),
        "rating": row["rating"], "starred": row["starred"], "tags": row["tags"], "note": row["note"],
        "credits": credits, "credits_estimated": estimated,
    }
    rest = {k: v for k, v in row.items() if k not in (*first, *_INTERNAL)}
    for name in ("created_at", "updated_at", "finished_at"):
        rest[name] = datetime.fromtimestamp(rest[name], timezone.utc).isoformat() if rest[name] is not None else None
    return first | rest


def _reviewed(row: Mapping[str, Any], starred: bool | None, tag: str | None, min_rating: int | None) -> bool:
    return ((starred is None or row["starred"] == starred) and (tag is None or tag in row["tags"])
            and (min_rating is None or (row["rating"] is not None and row["rating"] >= min_rating)))


def history_frame(rows: list[dict[str, Any]], origin: str | None = None, since: datetime | str | None = None,
                  kind: str | None = None, status: str | None = None, *, starred: bool | None = None,
                  tag: str | None = None, min_rating: int | None = None) -> pd.DataFrame:
    """Journal rows (`Journal.entries()`) as a DataFrame: filtered, readable columns first."""
    import pandas as pd

    from ._frames import records_frame

    wanted = None
    if kind is not None:
        wanted = endpoint_for(kind)
        if wanted is None:
            raise InvalidRequestError([FieldError("kind", f"unknown kind {kind!r}")])
    after = since_epoch(since) if since is not None else None
    tag = checked_tags([tag])[0] if tag is not None else None
    min_rating = checked_rating(min_rating)
    siblings = Counter(row["idempotency_key"] for row in rows if row["job_id"] is not None)
    readable = [
        _readable(row, siblings[row["idempotency_key"]] if row["idempotency_key"] else 1) for row in rows
        if (origin is None or row["origin"] == origin)
        and (after is None or row["created_at"] >= after)
        and (wanted is None or _kind_of(row) == wanted.kind)
        and _reviewed(row, starred, tag, min_rating)
    ]
    if status is not None:
        readable = [row for row in readable if row["status"] == status]
    frame = records_frame(readable)
    if readable:  # typed whatever the values: no rating yet is still a rating column
        frame["rating"] = frame["rating"].astype("Int8")
        frame["starred"] = frame["starred"].astype(bool)
        frame["note"] = frame["note"].astype("string")
        frame["credits"] = pd.to_numeric(frame["credits"]).astype(float)
        frame["credits_estimated"] = frame["credits_estimated"].astype(bool)
    return frame


def history(all: bool = False, since: datetime | str | None = None, kind: str | None = None,  # noqa: A002
            status: str | None = None, *, starred: bool | None = None, tag: str | None = None,
            min_rating: int | None = None) -> pd.DataFrame:
    """The journalled jobs (and job-less creates) of this notebook or script, as a DataFrame; `all=True` for every
    notebook's. `since`: a datetime, an ISO date/time or an age (`1h`, `2d`); `kind`: image, video, ad, ...;
    `status`: a job status (`completed`, `failed`, ...) or a create's (`rejected`, `ambiguous`, `unresolved`);
    `starred=True` the shortlist (False: the rest), `tag` the jobs with that tag, `min_rating` those rated at least
    that many stars.
    Columns: prompt, kind, status, duration (s), created (local time, to the second), rating (nullable Int8),
    starred, tags (a list), note, credits (the service's `required_credits`, else an estimate: `credits_estimated`),
    then the rest."""
    return default_journal().history(None if all else current_origin(), since, kind, status, starred=starred,
                                     tag=tag, min_rating=min_rating)


def pending() -> list[JournalEntry]:
    """Work to pick up: jobs not yet seen to finish (`entry.id` for `client.jobs.attach`) and creates whose answer
    never arrived (`entry.state == "unresolved"`, for `client.jobs.resolve()`), of every notebook, oldest first."""
    return default_journal().pending()


def pending_frame() -> pd.DataFrame:
    """`pending()` as a DataFrame, one row per job or unresolved create (without the idempotency keys), with the
    next step for each."""
    from ._frames import records_frame

    rows = []
    for entry in pending():
        row = {name: getattr(entry, name) for name in ("id", "state", "kind", "type", "status", "request",
                                                         "created_at", "updated_at", "base_url")}
        row["next_step"] = _NEXT_STEP[entry.state].format(id=entry.id)
        rows.append(row)
    return records_frame(rows)

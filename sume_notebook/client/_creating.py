"""What every create endpoint shares: a resource bound to its client, and reading the accepted job(s) from the answer."""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from ._errors import AmbiguousCreateError
from ._job import Job

if TYPE_CHECKING:
    from ._client import AsyncSume, Response
    from ._endpoints import Endpoint

__all__ = ["Resource", "Created", "accepted", "creates", "creates_all"]

P = ParamSpec("P")
R = TypeVar("R", bound="Resource")
T = TypeVar("T")


@dataclass(frozen=True)
class Created:
    """An accepted create: its job(s), primary first, and the answer's body. `replayed`: the service answered
    from its idempotency store (`Idempotent-Replayed: true`), so this create started nothing new."""

    jobs: list[Job]
    body: Mapping[str, Any]
    replayed: bool = False

    @property
    def required_credits(self) -> float | None:
        """The credits the service reserved for this create, as its answer says (None when it does not)."""
        value = self.body.get("required_credits")
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


class Resource:
    """An endpoint group bound to its client (`client.images`, `client.jobs`, ...)."""

    def __init__(self, client: AsyncSume) -> None:
        self._client = client


def accepted(client: AsyncSume, response: Response, endpoint: Endpoint, idempotency_key: str) -> Created:
    """The job(s) of a 202 answer, primary first. The id is read from `job.id`, `job_id` or `id`; a face swap's
    jobs from `jobs[]`. An answer without any id is ambiguous: the work was accepted but cannot be tracked."""
    body = response.data if isinstance(response.data, Mapping) else {}
    top = {k: v for k, v in body.items() if k not in ("object", "job", "jobs")}
    nested = body.get("job") if isinstance(body.get("job"), Mapping) else {}
    primary = nested.get("id") or body.get("job_id") or body.get("id")
    items = [j for j in body.get("jobs") or [] if isinstance(j, Mapping) and j.get("id")]
    if items:
        primary = primary or items[0]["id"]
        items.sort(key=lambda j: j["id"] != primary)
        found = [{**j} for j in items]
    elif primary:
        found = [{**top, **nested, "id": primary}]
    else:
        raise AmbiguousCreateError(idempotency_key, "the service accepted the request but named no job id")
    jobs = [Job(client, data, request_id=response.request_id, job_type=endpoint.job_type) for data in found]
    return Created(jobs, body, response.headers.get("idempotent-replayed", "").lower() == "true")


def _create_method(
    kind: str, pick: Callable[[Created], T]
) -> Callable[[Callable[Concatenate[R, P], dict[str, Any]]], Callable[Concatenate[R, P], Coroutine[Any, Any, T]]]:
    def decorate(prepare: Callable[Concatenate[R, P], dict[str, Any]]) -> Callable[Concatenate[R, P], Coroutine[Any, Any, T]]:
        @functools.wraps(prepare)
        async def create(self: R, *args: P.args, **kwargs: P.kwargs) -> T:
            return pick(await self._client._create(kind, prepare(self, *args, **kwargs)))

        create.__doc__ = f"Create {kind} work; return as soon as the service accepts it.\n\n{prepare.__doc__ or ''}"
        return create

    return decorate


def creates(
    kind: str,
) -> Callable[[Callable[Concatenate[R, P], dict[str, Any]]], Callable[Concatenate[R, P], Coroutine[Any, Any, Job]]]:
    """Turn a resource's `prepare(...)` (validate, build the body) into its create method returning the `Job`.

    The create takes exactly `prepare`'s arguments, so each operation's signature is written once; `kind` names its
    row in the table of kinds (`_endpoints.KINDS`), where its route and job type are.
    """
    return _create_method(kind, lambda created: created.jobs[0])


def creates_all(
    kind: str,
) -> Callable[[Callable[Concatenate[R, P], dict[str, Any]]], Callable[Concatenate[R, P], Coroutine[Any, Any, list[Job]]]]:
    """Like `creates`, for endpoints that start several jobs at once: returns them all, the primary first."""
    return _create_method(kind, lambda created: created.jobs)

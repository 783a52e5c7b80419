"""The one table of job kinds: what each create endpoint is called, where it lives, what it starts, and how its
request is prepared.

Everything that names a kind reads it here: the client (which builds a resource per row), the create methods
(`creates("image")`), `submit_many`, the journal, the wait deadlines, and the notebook layer's commands and widgets
(through `sume_notebook.client.KINDS` and `prepare_request`). A new create endpoint is a row here plus its own
resource module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._creating import Resource
from ._errors import FieldError, InvalidRequestError
from .ads import Ads
from .assets import Assets
from .face_swap import FaceSwap
from .images import Images
from .reference_analysis import ReferenceAnalyses
from .videos import Videos

__all__ = ["ASSET_UPLOAD", "KINDS", "Endpoint", "endpoint_for", "prepare_request", "wait_seconds"]

# Wait deadlines from the seeds' CLI: 600 s for images, 1800 s for video work and for analyses (the seeds say they
# can take longer than images).
_SHORT_WAIT = 600.0
_LONG_WAIT = 1800.0


@dataclass(frozen=True)
class Endpoint:
    """A create route and the kind of work it starts.

    `kind` is the short name users type (`%sume_generate face-swap`, `submit_many(kind=...)`); `aliases` are the
    other spellings accepted for it (the job type, the plural, the CLI resource). The client holds an instance of
    `resource_class` as `client.<resource>`, whose `method` creates the work and whose `prepare()` validates the
    request. `text_field` is the body field a prompt cell fills (`prompt`, an ad's `script`), None for kinds
    without one. `starts_many`: one create starts several jobs (a face swap starts one per avatar), so it returns a
    list and is not paced by `submit_many`.
    """

    kind: str
    path: str
    job_type: str
    resource: str
    resource_class: type[Resource]
    method: str
    aliases: tuple[str, ...] = ()
    wait_seconds: float = _LONG_WAIT
    text_field: str | None = None
    starts_many: bool = False


KINDS: dict[str, Endpoint] = {
    endpoint.kind: endpoint
    for endpoint in (
        Endpoint("image", "/images/generations", "image_generation", "images", Images, "generate",
                 aliases=("images", "image_generation"), wait_seconds=_SHORT_WAIT, text_field="prompt"),
        Endpoint("video", "/videos/generations", "video_generation", "videos", Videos, "generate",
                 aliases=("videos", "video_generation"), text_field="prompt"),
        Endpoint("ad", "/ads/videos", "ad_video_generation", "ads", Ads, "create",
                 aliases=("ads", "ad_video_generation"), text_field="script"),
        Endpoint("face-swap", "/face-swap", "face_swap", "face_swap", FaceSwap, "create",
                 aliases=("face_swap",), starts_many=True),
        Endpoint("analysis", "/reference-analysis", "reference_analysis", "reference_analysis", ReferenceAnalyses,
                 "create", aliases=("reference_analysis", "reference-analysis")),
    )
}
# Not a generation (free, no `%sume_generate` kind), but journalled like every create.
ASSET_UPLOAD = Endpoint("asset-upload", "/assets", "asset_upload", "assets", Assets, "upload", aliases=("asset_upload",))

_BY_NAME = {name: endpoint for endpoint in (*KINDS.values(), ASSET_UPLOAD)
            for name in (endpoint.kind, *endpoint.aliases)}
_BY_JOB_TYPE = {endpoint.job_type: endpoint for endpoint in KINDS.values()}


def endpoint_for(name: str | None) -> Endpoint | None:
    """The endpoint of a kind, by its name or an alias; None for an unknown name."""
    return _BY_NAME.get(name or "")


def wait_seconds(job_type: str | None) -> float:
    """How long `wait()` waits by default for a job of this type."""
    endpoint = _BY_JOB_TYPE.get(job_type or "")
    return endpoint.wait_seconds if endpoint is not None else _LONG_WAIT


def prepare_request(kind: str, **arguments: Any) -> dict[str, Any]:
    """The validated request body of a create, without a client: `prepare()` reads only its arguments, so a dry run
    needs no key and sends nothing. Raises `InvalidRequestError` naming every bad field."""
    endpoint = KINDS.get(kind)
    if endpoint is None:
        raise InvalidRequestError([FieldError("kind", f"must be one of {', '.join(KINDS)} (got {kind!r})")])
    unbound = endpoint.resource_class(None)  # type: ignore[arg-type]  # prepare() never reaches the client
    return unbound.prepare(**arguments)  # type: ignore[attr-defined, no-any-return]

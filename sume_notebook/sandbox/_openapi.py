"""/api/openapi.json: the sandbox's routes described from the same field tables that validate them.

Every operation lists each status it can answer: its success, and every error the contract's envelope carries
(400 for bad input, 401 without a valid key, 402/403 where credits or scope apply, 404 for a missing id, 409 for
state conflicts, 413 for oversized bodies, 429 for rate limits, 500 for an unexpected failure). A client or a
fuzzer can then tell an answer the API promises from one it does not.
"""

from __future__ import annotations

from ._validation import ASSET_QUERY, JOBS_QUERY, LIST_QUERY, RULES, SEARCH_QUERY, Field

ALWAYS = (401, 429, 500)  # any authenticated route: a bad key, the rate limit, an unexpected failure
BODY = (400, 413)  # any route with a JSON body: invalid, or larger than 1 MiB
CREATE = (*BODY, 402, 409)  # creates reserve credits and honour Idempotency-Key

# (method, path, summary, body rules name or None, query parameters, success status, error statuses)
ROUTES: tuple[tuple[str, str, str, str | None, tuple[Field, ...], int, tuple[int, ...]], ...] = (
    ("get", "/me", "Authenticated user, workspace and API key metadata.", None, (), 200, ()),
    ("get", "/credits", "Plan, credits and active generation capacity.", None, (), 200, ()),
    ("get", "/brand", "Brand DNA profiles visible to the workspace.", None, LIST_QUERY, 200, (400,)),
    ("get", "/brand/current", "The current Brand DNA profile.", None, (), 200, (404,)),
    ("get", "/avatars", "Public and workspace avatars.", None, LIST_QUERY, 200, (400,)),
    ("get", "/avatars/{avatarId}", "One avatar.", None, (), 200, (404,)),
    ("get", "/jobs", "List jobs.", None, JOBS_QUERY, 200, (400,)),
    ("get", "/jobs/{jobId}", "A job's status.", None, (), 200, (404,)),
    ("get", "/jobs/{jobId}/result", "A completed job with its result.", None, (), 200, (404, 409)),
    ("post", "/images/generations", "Create an image generation job.", "image_generation", (), 202, CREATE),
    ("post", "/videos/generations", "Create a video generation job.", "video_generation", (), 202, CREATE),
    ("post", "/ads/videos", "Create an AI ad video job.", "ad_video_generation", (), 202, (*CREATE, 403)),
    ("post", "/face-swap", "Create Face Swap jobs, one per avatar.", "face_swap", (), 202, (*CREATE, 403)),
    ("post", "/reference-analysis", "Analyse a public TikTok or Instagram Reel.", "reference_analysis", (), 202,
     CREATE),
    ("post", "/uploads/presign", "Create a temporary signed upload URL.", "presign", (), 200, BODY),
    ("post", "/assets", "Finalize an uploaded video into the Asset Library.", "finalize", (), 202,
     (*BODY, 404, 409)),
    ("get", "/assets", "Search or list scene assets.", None, SEARCH_QUERY, 200, (400,)),
    ("get", "/assets/{assetId}", "One scene asset.", None, ASSET_QUERY, 200, (400, 404)),
)

STATUS_TEXT = {400: "Invalid request or validation error", 401: "Missing or invalid API key",
               402: "Insufficient credits", 403: "The key may not do this", 404: "Not found in this workspace",
               409: "Conflict with the current state", 413: "Payload too large",
               429: "Rate limited or too many active generations", 500: "Internal error"}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["type", "code", "message", "request_id"],
        "properties": {
            "type": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"},
            "request_id": {"type": "string"},
            "fields": {"type": "array", "items": {
                "type": "object", "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}},
        },
    }},
}
LIST_SCHEMA = {
    "type": "object",
    "required": ["object", "data", "has_more", "next_cursor"],
    "properties": {"object": {"const": "list"}, "data": {"type": "array", "items": {"type": "object"}},
                   "has_more": {"type": "boolean"}, "next_cursor": {"type": ["string", "null"]}},
}
JSON_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}


def _schema(field: Field) -> dict:
    if field.kind in ("strings", "urls"):
        schema: dict = {"type": "array", "items": {"type": "string"}}
        if field.max_items is not None:
            schema["maxItems"] = field.max_items
        if field.min_items is not None:
            schema["minItems"] = field.min_items
    else:
        schema = {"type": [JSON_TYPES[field.kind], "null"] if field.nullable else JSON_TYPES[field.kind]}
    bounds = {"enum": list(field.choices) or None, "minimum": field.minimum, "maximum": field.maximum,
              "minLength": field.min_length, "maxLength": field.max_length, "format": field.format, "description": field.description or None}
    schema.update({key: value for key, value in bounds.items() if value is not None})
    return schema


def _body(rules_name: str) -> dict:
    fields = RULES[rules_name].fields
    schema = {"type": "object", "additionalProperties": False,
              "properties": {field.name: _schema(field) for field in fields},
              "required": [field.name for field in fields if field.required]}
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _responses(path: str, success: int, errors: tuple[int, ...]) -> dict:
    is_list = path in ("/brand", "/avatars", "/jobs", "/assets")
    body = LIST_SCHEMA if is_list and success == 200 else {"type": "object"}
    responses = {str(success): {"description": "OK" if success == 200 else "Accepted",
                                "content": {"application/json": {"schema": body}}}}
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for status in sorted({*errors, *ALWAYS}):
        responses[str(status)] = {"description": STATUS_TEXT[status], **error}
    return responses


def openapi_document(server_url: str) -> dict:
    paths: dict = {}
    for method, path, summary, rules_name, query, success, errors in ROUTES:
        operation: dict = {"summary": summary, "security": [{"bearer": []}, {"apiKey": []}],
                           "responses": _responses(path, success, errors)}
        parameters = [{"name": name[1:-1], "in": "path", "required": True, "schema": {"type": "string"}}
                      for name in path.split("/") if name.startswith("{")]
        parameters += [{"name": field.name, "in": "query", "schema": _schema(field)} for field in query]
        if parameters:
            operation["parameters"] = parameters
        if rules_name:
            operation["requestBody"] = _body(rules_name)
        paths.setdefault(path, {})[method] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Sume Public API (local sandbox)", "version": "v1"},
        "servers": [{"url": server_url}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
            },
            "schemas": {"Error": ERROR_SCHEMA},
        },
        "paths": paths,
    }

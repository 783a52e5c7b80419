"""/api/openapi.json: the sandbox's routes described from the same field tables that validate them."""

from __future__ import annotations

from ._validation import RULES, Field

# (method, path, summary, body rules name or None, query parameters)
ROUTES = (
    ("get", "/me", "Authenticated user, workspace and API key metadata.", None, ()),
    ("get", "/credits", "Plan, credits and active generation capacity.", None, ()),
    ("get", "/brand", "Brand DNA profiles visible to the workspace.", None, ("limit", "cursor")),
    ("get", "/brand/current", "The current Brand DNA profile.", None, ()),
    ("get", "/avatars", "Public and workspace avatars.", None, ("limit", "cursor")),
    ("get", "/avatars/{avatarId}", "One avatar.", None, ()),
    ("get", "/jobs", "List jobs.", None, ("limit", "cursor", "type", "status")),
    ("get", "/jobs/{jobId}", "A job's status.", None, ()),
    ("get", "/jobs/{jobId}/result", "A completed job with its result.", None, ()),
    ("post", "/images/generations", "Create an image generation job.", "image_generation", ()),
    ("post", "/videos/generations", "Create a video generation job.", "video_generation", ()),
    ("post", "/ads/videos", "Create an AI ad video job.", "ad_video_generation", ()),
    ("post", "/face-swap", "Create Face Swap jobs, one per avatar.", "face_swap", ()),
    ("post", "/reference-analysis", "Analyse a public TikTok or Instagram Reel.", "reference_analysis", ()),
    ("post", "/uploads/presign", "Create a temporary signed upload URL.", "presign", ()),
    ("post", "/assets", "Finalize an uploaded video into the Asset Library.", "finalize", ()),
    ("get", "/assets", "Search or list scene assets.", None,
     ("q", "search_mode", "source_type", "segment_type", "brand", "product", "tag", "keyword", "cta_present",
      "min_duration", "max_duration", "created_after", "created_before", "sort", "limit", "cursor")),
    ("get", "/assets/{assetId}", "One scene asset.", None, ("query", "search_mode", "search_score")),
)

JSON_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}


def _schema(field: Field) -> dict:
    if field.kind in ("strings", "urls"):
        schema: dict = {"type": "array", "items": {"type": "string"}}
        if field.max_items is not None:
            schema["maxItems"] = field.max_items
        if field.min_items is not None:
            schema["minItems"] = field.min_items
    else:
        schema = {"type": JSON_TYPES[field.kind]}
    bounds = {"enum": list(field.choices) or None, "minimum": field.minimum, "maximum": field.maximum,
              "minLength": field.min_length, "maxLength": field.max_length,
              "description": field.description or None, "nullable": field.nullable or None}
    schema.update({key: value for key, value in bounds.items() if value is not None})
    return schema


def _body(rules_name: str) -> dict:
    fields = RULES[rules_name].fields
    schema = {"type": "object", "additionalProperties": False,
              "properties": {field.name: _schema(field) for field in fields},
              "required": [field.name for field in fields if field.required]}
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def openapi_document(server_url: str) -> dict:
    paths: dict = {}
    for method, path, summary, rules_name, query in ROUTES:
        operation: dict = {"summary": summary, "security": [{"bearer": []}, {"apiKey": []}],
                           "responses": {"200": {"description": "OK"}, "202": {"description": "Accepted"}}}
        parameters = [{"name": name[1:-1], "in": "path", "required": True, "schema": {"type": "string"}}
                      for name in path.split("/") if name.startswith("{")]
        parameters += [{"name": name, "in": "query", "schema": {"type": "string"}} for name in query]
        if parameters:
            operation["parameters"] = parameters
        if rules_name:
            operation["requestBody"] = _body(rules_name)
        paths.setdefault(path, {})[method] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Sume Public API (local sandbox)", "version": "v1"},
        "servers": [{"url": server_url}],
        "components": {"securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
        }},
        "paths": paths,
    }

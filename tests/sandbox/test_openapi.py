"""The OpenAPI document as a client generator or a fuzzer reads it: every status an operation can answer, with the
error envelope's schema, and every parameter with its type, enum and range; and a 405 says what is allowed."""

from __future__ import annotations

import httpx
import pytest

from sume_notebook.sandbox import SandboxHandle


@pytest.fixture(scope="module")
def document(sandbox: SandboxHandle) -> dict:
    return httpx.get(sandbox.origin + "/api/openapi.json").json()


def parameter(document: dict, path: str, name: str) -> dict:
    return next(p for p in document["paths"][path]["get"]["parameters"] if p["name"] == name)["schema"]


def test_every_operation_declares_its_errors_with_the_envelope(document: dict) -> None:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            statuses = set(operation["responses"])
            assert {"401", "429", "500"} <= statuses, (method, path)
            assert any(status.startswith("2") for status in statuses)
            for status in statuses - {"200", "202"}:
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)
    assert {"400", "402", "403", "409", "413"} <= set(document["paths"]["/ads/videos"]["post"]["responses"])
    assert "409" in document["paths"]["/jobs/{jobId}/result"]["get"]["responses"]
    error = document["components"]["schemas"]["Error"]["properties"]["error"]
    assert set(error["required"]) == {"type", "code", "message", "request_id"}


def test_query_parameters_carry_their_types_enums_and_ranges(document: dict) -> None:
    assert parameter(document, "/jobs", "limit") == {"type": "integer", "minimum": 1, "maximum": 100,
                                                     "description": "Page size; 20 when absent."}
    assert "completed" in parameter(document, "/jobs", "status")["enum"]
    assert "image_generation" in parameter(document, "/jobs", "type")["enum"]
    assert parameter(document, "/assets", "min_duration")["type"] == "number"
    assert parameter(document, "/assets", "min_duration")["minimum"] == 0
    assert parameter(document, "/assets", "cta_present")["enum"] == ["true", "false"]
    assert parameter(document, "/assets", "sort")["enum"][0] == "relevance"
    assert parameter(document, "/assets", "created_after")["format"] == "date-time"
    assert parameter(document, "/assets/{assetId}", "search_score")["type"] == "number"


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("DELETE", "/api/v1/jobs", "GET, HEAD"),
    ("PUT", "/api/v1/assets", "GET, HEAD, POST"),  # two routes share the path: both methods are allowed
    ("GET", "/api/v1/images/generations", "POST"),
])
def test_a_405_names_the_allowed_methods(sandbox: SandboxHandle, method: str, path: str, allowed: str) -> None:
    response = httpx.request(method, sandbox.origin + path,
                             headers={"Authorization": f"Bearer {sandbox.api_key}"})
    assert response.status_code == 405
    assert response.headers["allow"] == allowed
    assert response.json()["error"]["code"] == "method_not_allowed"

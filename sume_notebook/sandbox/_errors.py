"""API errors as the contract shapes them: one exception type, one JSON body, the request id in both."""

from __future__ import annotations

from ._json_output import APIJSONResponse

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "insufficient_credits",
    403: "permission_error",
    404: "not_found_error",
    409: "conflict_error",
    413: "payload_too_large",
    429: "rate_limit_error",
}

# A sensible code and message for each status, used when a fault injects a bare status.
DEFAULT_CODES = {
    400: ("invalid_request", "The request is invalid."),
    401: ("invalid_api_key", "The API key is missing or invalid."),
    402: ("insufficient_credits", "Not enough credits for this job."),
    403: ("forbidden", "This API key cannot use this resource or action."),
    404: ("not_found", "Not found in this workspace."),
    409: ("conflict", "The request conflicts with the current state."),
    413: ("payload_too_large", "The media is too large."),
    429: ("rate_limited", "Too many requests; retry after the given delay."),
    500: ("internal_error", "Internal error."),
    502: ("upstream_error", "An upstream service failed."),
    503: ("provider_unavailable", "The generation provider is unavailable."),
}


class APIError(Exception):
    """Raised anywhere in a handler; the app turns it into the contract's error body."""

    def __init__(
        self,
        status: int,
        code: str | None = None,
        message: str | None = None,
        *,
        fields: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        default_code, default_message = DEFAULT_CODES.get(status, ("error", "Request failed."))
        self.status = status
        self.code = code or default_code
        self.message = message or default_message
        self.fields = fields
        self.headers = headers or {}
        super().__init__(f"{status} {self.code}: {self.message}")


def validation_error(fields: list[dict[str, str]]) -> APIError:
    names = ", ".join(item["field"] for item in fields)
    return APIError(400, "validation_error", f"Invalid fields: {names}.", fields=fields)


def error_body(error: APIError, request_id: str) -> dict:
    body = {
        "type": ERROR_TYPES.get(error.status, "api_error"),
        "code": error.code,
        "message": error.message,
        "request_id": request_id,
    }
    if error.fields:
        body["fields"] = error.fields
    return {"error": body}


def error_response(error: APIError, request_id: str) -> APIJSONResponse:
    headers = {"X-Request-Id": request_id, **error.headers}
    return APIJSONResponse(error_body(error, request_id), status_code=error.status, headers=headers)

"""Error answers in the OpenAPI document: every one has the shape ``{"error": {...}}``.

Clients (and schema-driven tests) read the document to know which statuses an operation may
answer and what the body then looks like; FastAPI only knows about its own 422.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field


class ErrorDetail(BaseModel):
    code: str = Field(description="A stable machine code to branch on, e.g. booth_not_found.")
    message: str = Field(description="For people: what went wrong and what to do next.")
    details: Any = Field(
        default=None,
        description="More about the error, when there is more: for validation_error a list "
        "of {loc, msg, type}, one per invalid field.",
    )


class ErrorResponse(BaseModel):
    error: ErrorDetail


_MEANINGS = {
    400: "The request could not be read (e.g. a body that is not JSON).",
    401: "not_authenticated or invalid_token: send a valid bearer token.",
    403: "Visible to you, but this action is not yours to take.",
    404: "Missing, or not yours to see (the two are deliberately the same).",
    409: "Conflicts with the current state (a status that does not allow it, a duplicate).",
    413: "file_too_large",
    415: "unsupported_media_type",
    422: "Invalid input: validation_error (details per field) or a rule's own code.",
    429: "Too many requests: wait the seconds the Retry-After header gives, then retry.",
}

# What any catalog operation may answer besides its success.
COMMON_ERRORS = (400, 401, 403, 404, 409, 422)


def error_responses(
    *statuses: int, described: Mapping[int, str] | None = None
) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a router or route: the error envelope for each status, with the
    default meaning or the one given in ``described`` (e.g. the codes it may carry)."""
    described = described or {}
    return {
        status: {"model": ErrorResponse, "description": described.get(status, _MEANINGS[status])}
        for status in dict.fromkeys((*statuses, *described))
    }

"""One error hierarchy, rendered one way: ``{"error": {"code", "message", "details"}}``.

Domain services raise these; adapters (API, pages, realtime) decide how to show them.
The ``code`` is a stable machine string clients can branch on; the message is for people.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    status_code = 400
    code = "bad_request"
    message = "The request could not be processed."

    def __init__(
        self, message: str | None = None, *, code: str | None = None, details: Any = None
    ) -> None:
        self.message = message or type(self).message
        if code is not None:
            self.code = code
        self.details = details
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class NotAuthenticated(AppError):
    status_code = 401
    code = "not_authenticated"
    message = "Sign in first: send a valid bearer token or session cookie."


class PermissionDenied(AppError):
    status_code = 403
    code = "forbidden"
    message = "You are not allowed to do this."


class NotFound(AppError):
    """Missing, or not yours: the two are deliberately indistinguishable."""

    status_code = 404
    code = "not_found"
    message = "Not found."


class Conflict(AppError):
    status_code = 409
    code = "conflict"
    message = "This conflicts with the current state."


class InvalidInput(AppError):
    status_code = 422
    code = "validation_error"
    message = "Some fields are invalid."


class ServiceUnavailable(AppError):
    status_code = 503
    code = "service_unavailable"
    message = "A service TradeHall depends on is not reachable right now; try again shortly."


class TooManyRequests(AppError):
    status_code = 429
    code = "too_many_requests"
    message = "Too many requests; try again later."

    def __init__(self, message: str | None = None, *, retry_after: int, code: str | None = None):
        super().__init__(message, code=code, details={"retry_after": retry_after})
        self.retry_after = retry_after

"""Render every error the same way: JSON for the API, an HTML page for browsers."""

from __future__ import annotations

from typing import Any

import structlog
from asyncpg.exceptions import DataError as PostgresDataError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError, DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.errors import AppError, TooManyRequests

log = structlog.get_logger(__name__)

_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def _wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return False
    return "text/html" in request.headers.get("accept", "")


def _error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


async def _respond(
    request: Request,
    status_code: int,
    code: str,
    message: str,
    details: Any = None,
    headers: dict[str, str] | None = None,
) -> Response:
    if _wants_html(request):
        from app.web.pages import render_error

        return render_error(request, status_code, code, message, headers=headers)
    return JSONResponse(
        _error_body(code, message, details), status_code=status_code, headers=headers
    )


def _clean_validation_errors(errors: Any) -> list[dict[str, Any]]:
    cleaned = []
    for error in errors:
        item = {
            "loc": list(error.get("loc", ())),
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        cleaned.append(item)
    return cleaned


def _allowed_methods(request: Request) -> str:
    """Every method the path answers to. Starlette's 405 names only the first route it tried,
    and FastAPI has one route per method, so ``Allow`` would miss the others."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match is Match.PARTIAL:
            methods.update(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))


def _is_bad_value(exc: DBAPIError) -> bool:
    """A data exception (SQLSTATE class 22) anywhere in the driver's exception chain."""
    if isinstance(exc, DataError):
        return True
    seen: BaseException | None = exc.orig
    while seen is not None:
        if isinstance(seen, PostgresDataError | OverflowError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def app_error(request: Request, exc: AppError) -> Response:
        headers = None
        if isinstance(exc, TooManyRequests):
            headers = {"Retry-After": str(exc.retry_after)}
        return await _respond(
            request, exc.status_code, exc.code, exc.message, exc.details, headers
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        details = _clean_validation_errors(exc.errors())
        fields = ", ".join(".".join(str(p) for p in d["loc"][1:]) or "body" for d in details)
        return await _respond(
            request,
            422,
            "validation_error",
            f"Some fields are invalid: {fields}." if fields else "The request is invalid.",
            details,
        )

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> Response:
        if not _is_bad_value(exc):
            return await unexpected_error(request, exc)
        # The database refused a value the schemas let through (an id beyond its integer
        # range, a NUL character in text on PostgreSQL): the input is at fault, not us.
        log.info("database_refused_value", error=type(exc.orig).__name__)
        return await _respond(
            request, 422, "invalid_value", "A value is out of range or contains characters "
            "that cannot be stored."
        )

    @app.exception_handler(OverflowError)
    async def overflow_error(request: Request, _exc: OverflowError) -> Response:
        # SQLite's driver raises this itself for integers beyond 64 bits.
        log.info("database_refused_value", error="OverflowError")
        return await _respond(
            request, 422, "invalid_value", "A value is out of range or contains characters "
            "that cannot be stored."
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else "Request failed."
        headers = dict(exc.headers) if exc.headers else None
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": _allowed_methods(request)}
        return await _respond(request, exc.status_code, code, message, headers=headers)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled_error", exc_info=exc)
        return await _respond(
            request, 500, "internal_error", "Something went wrong on our side; it was logged."
        )

"""Pure ASGI middleware (no per-request task overhead): request ids and security headers."""

from __future__ import annotations

import time
import uuid

import structlog
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger("tradehall.http")

WEBSOCKET_SEND_KEY = "tradehall.websocket_send"
"""Scope key holding the server's own ASGI ``send`` of a websocket (see ``raw_send``)."""

# Swagger UI and ReDoc load their assets from a CDN, so the strict page policy would blank them.
_CSP_EXEMPT_PREFIXES = ("/docs", "/redoc")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob: https:; media-src 'self' blob: https:; "
    "connect-src 'self' ws: wss:; style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class RequestContextMiddleware:
    """Give every request an id (kept from X-Request-ID if sane), bind it to log lines."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else (
            uuid.uuid4().hex
        )
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        if scope["type"] == "websocket":
            # A socket's frames go straight through: no wrapper on its hot send path. The
            # server's send is also kept in the scope, because the framework's layers below
            # (exception middleware, WebSocket state checks) each add a coroutine per frame,
            # which the realtime fan-out pays once per recipient.
            scope[WEBSOCKET_SEND_KEY] = send
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status_code = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
                MutableHeaders(scope=message).append("X-Request-ID", request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status_code,
                ms=round((time.perf_counter() - started) * 1000, 1),
            )


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
                headers.setdefault(
                    "Permissions-Policy", "camera=(self), microphone=(self), geolocation=()"
                )
                headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                if not path.startswith(_CSP_EXEMPT_PREFIXES):
                    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                if self.hsts:
                    headers.setdefault(
                        "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
                    )
            await send(message)

        await self.app(scope, receive, send_with_headers)


def raw_send(scope: Scope) -> Send | None:
    """The server's ASGI ``send`` of a websocket scope, before any framework wrapper."""
    send: Send | None = scope.get(WEBSOCKET_SEND_KEY)
    return send

"""Dependencies shared by the API routers: settings, the unit of work, who is calling."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as accounts
from app.accounts.principal import Principal
from app.config import Settings
from app.db import session_scope
from app.errors import NotAuthenticated, PermissionDenied
from app.kit.csrf import csrf_valid
from app.kit.ratelimit import Counter

SESSION_COOKIE = "th_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# Dependencies are coroutines even when they do no I/O: FastAPI runs a plain `def`
# dependency in a worker thread, a hop that cost ~0.25 ms per request here.
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_counter(request: Request) -> Counter:
    counter: Counter = request.app.state.counter
    return counter


SettingsDep = Annotated[Settings, Depends(get_settings)]
CounterDep = Annotated[Counter, Depends(get_counter)]
# scope="function": the commit runs before the response is sent (see app.db.session_scope).
SessionDep = Annotated[AsyncSession, Depends(session_scope, scope="function")]


def client_address(request: Request) -> str:
    # Behind a proxy, uvicorn's --proxy-headers/--forwarded-allow-ips set request.client.
    return request.client.host if request.client else "unknown"


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


async def optional_principal(
    request: Request, session: SessionDep, settings: SettingsDep
) -> Principal | None:
    """The caller, from a bearer token or else the browser session cookie.

    A cookie-authenticated call that changes state must carry the CSRF token in a header:
    browsers attach cookies to cross-site requests, but cannot make a page read our token.
    """
    principal: Principal | None = None
    token = bearer_token(request)
    if token is not None:
        principal = await accounts.resolve_principal(session, token, kind="api")
        if principal is None:
            raise NotAuthenticated("The bearer token is invalid, expired or revoked.",
                                   code="invalid_token")
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            principal = await accounts.resolve_principal(session, cookie, kind="session")
            if principal is not None and request.method not in SAFE_METHODS and not csrf_valid(
                settings.secret_key, cookie, request.headers.get(CSRF_HEADER)
            ):
                raise PermissionDenied(
                    f"Cookie-authenticated requests that change data need the {CSRF_HEADER} "
                    "header.",
                    code="csrf_failed",
                )
    return principal


async def current_principal(
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    if principal is None:
        raise NotAuthenticated()
    return principal


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
CurrentPrincipal = Annotated[Principal, Depends(current_principal)]

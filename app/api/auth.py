from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from app.accounts import service as accounts
from app.accounts.schemas import LoginRequest, MeRead, RegisterRequest, TokenResponse, UserRead
from app.api.deps import (
    CounterDep,
    CurrentPrincipal,
    SessionDep,
    SettingsDep,
    client_address,
)
from app.organizations.schemas import OrganizationRead

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/register", status_code=status.HTTP_201_CREATED)
async def register(data: RegisterRequest, session: SessionDep) -> MeRead:
    """Create an account and its organization; the new user owns the organization. Public."""
    user, organization, membership = await accounts.register(session, data)
    return MeRead(
        user=UserRead.model_validate(user),
        organization=OrganizationRead.model_validate(organization),
        role=membership.role,  # type: ignore[arg-type]
    )


@router.post("/login")
async def login(
    data: LoginRequest,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    counter: CounterDep,
) -> TokenResponse:
    """Exchange email and password for a bearer token. Public; throttled (429 + Retry-After)."""
    user = await accounts.authenticate(
        session,
        settings,
        counter,
        email=str(data.email),
        password=data.password,
        client_address=client_address(request),
    )
    secret, token = await accounts.issue_token(
        session, settings, user, kind="api", name=request.headers.get("user-agent", "")
    )
    return TokenResponse(access_token=secret, expires_at=token.expires_at)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(principal: CurrentPrincipal, session: SessionDep) -> Response:
    """Revoke the token (or session) this request was made with."""
    await accounts.revoke_current(session, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

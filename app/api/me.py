from __future__ import annotations

from fastapi import APIRouter, Response, status

from app.accounts import service as accounts
from app.accounts.principal import Principal
from app.accounts.schemas import MeRead, MeUpdate, TokenRead, UserRead
from app.api.deps import CurrentPrincipal, SessionDep
from app.organizations import service as organizations
from app.organizations.schemas import OrganizationRead

router = APIRouter(prefix="/me", tags=["me"])


async def _me(session: SessionDep, principal: Principal) -> MeRead:
    organization = (
        await organizations.get_profile(session, principal.organization_id)
        if principal.organization_id is not None
        else None
    )
    return MeRead(
        user=UserRead.model_validate(principal.user),
        organization=OrganizationRead.model_validate(organization) if organization else None,
        role=principal.membership.role if principal.membership else None,  # type: ignore[arg-type]
    )


@router.get("")
async def get_me(principal: CurrentPrincipal, session: SessionDep) -> MeRead:
    return await _me(session, principal)


@router.patch("")
async def update_me(data: MeUpdate, principal: CurrentPrincipal, session: SessionDep) -> MeRead:
    await accounts.update_me(session, principal, data)
    return await _me(session, principal)


@router.get("/tokens")
async def list_tokens(principal: CurrentPrincipal, session: SessionDep) -> list[TokenRead]:
    """Your live bearer tokens and browser sessions."""
    return [TokenRead.model_validate(t) for t in await accounts.list_tokens(session, principal)]


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_token(token_id: int, principal: CurrentPrincipal, session: SessionDep) -> Response:
    await accounts.revoke_token(session, principal, token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

from __future__ import annotations

from fastapi import APIRouter, status

from app.api.deps import CurrentPrincipal, SessionDep, SettingsDep
from app.kit.pagination import Page, PageDep, cursor_id, id_page
from app.organizations import service as organizations
from app.organizations.schemas import (
    InvitationCreate,
    InvitationRead,
    MemberRead,
    OrganizationRead,
    OrganizationSettingsRead,
    OrganizationUpdate,
)

router = APIRouter(prefix="/organizations", tags=["organizations"])


@router.get("")
async def list_organizations(
    principal: CurrentPrincipal,
    session: SessionDep,
    page: PageDep,
) -> Page[OrganizationSettingsRead]:
    """Every organization (platform admins only)."""
    rows = await organizations.list_all(
        session, principal, limit=page.limit + 1, after_id=cursor_id(page.cursor)
    )
    return id_page(rows, page.limit, OrganizationSettingsRead.model_validate)


@router.get("/{organization_id}")
async def get_organization(
    organization_id: int, _viewer: CurrentPrincipal, session: SessionDep
) -> OrganizationRead:
    """The public profile, visible to any signed-in user."""
    return OrganizationRead.model_validate(
        await organizations.get_profile(session, organization_id)
    )


@router.get("/{organization_id}/settings")
async def get_organization_settings(
    organization_id: int, principal: CurrentPrincipal, session: SessionDep
) -> OrganizationSettingsRead:
    """Private settings: members only (404 for anyone else)."""
    return OrganizationSettingsRead.model_validate(
        await organizations.get_settings(session, principal, organization_id)
    )


@router.patch("/{organization_id}")
async def update_organization(
    organization_id: int,
    data: OrganizationUpdate,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> OrganizationSettingsRead:
    """Owners only (403 for members, 404 for other organizations)."""
    return OrganizationSettingsRead.model_validate(
        await organizations.update_organization(session, principal, organization_id, data)
    )


@router.get("/{organization_id}/members")
async def list_members(
    organization_id: int, principal: CurrentPrincipal, session: SessionDep
) -> list[MemberRead]:
    return await organizations.list_members(session, principal, organization_id)


@router.post("/{organization_id}/invitations", status_code=status.HTTP_201_CREATED)
async def create_invitation(
    organization_id: int,
    data: InvitationCreate,
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
) -> InvitationRead:
    """Owners invite a colleague by email; the link goes to the email outbox, never here."""
    invitation, _secret = await organizations.invite(
        session, settings, principal, organization_id, data
    )
    return InvitationRead.model_validate(invitation)


@router.get("/{organization_id}/invitations")
async def list_invitations(
    organization_id: int, principal: CurrentPrincipal, session: SessionDep
) -> list[InvitationRead]:
    """Open (unused, unexpired, not withdrawn) invitations. Owners only."""
    return [
        InvitationRead.model_validate(i)
        for i in await organizations.list_invitations(session, principal, organization_id)
    ]


@router.delete("/{organization_id}/invitations/{invitation_id}")
async def revoke_invitation(
    organization_id: int, invitation_id: int, principal: CurrentPrincipal, session: SessionDep
) -> InvitationRead:
    return InvitationRead.model_validate(
        await organizations.revoke_invitation(session, principal, organization_id, invitation_id)
    )

"""Rules for organizations, their members and invitations.

Visibility: any signed-in user sees an organization's public profile; its private settings,
member list and invitations are visible to its members (and platform admins) only, and to
everyone else they do not exist (404). Changing settings and inviting are for owners (403 for
a member, who can see the thing but not change it).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import repository as accounts_repository
from app.accounts.principal import Principal
from app.audit import service as audit
from app.config import Settings
from app.errors import Conflict, NotFound, PermissionDenied
from app.kit.passwords import hash_password
from app.kit.tokens import hash_secret, new_secret
from app.models import Invitation, Membership, Organization, User
from app.models.base import utcnow
from app.organizations import repository
from app.organizations.schemas import (
    InvitationAccept,
    InvitationCreate,
    MemberRead,
    OrganizationCreate,
    OrganizationUpdate,
)
from app.outbox import service as outbox


class OrganizationNotFound(NotFound):
    code = "organization_not_found"
    message = "No such organization."


class OwnerRequired(PermissionDenied):
    code = "owner_required"
    message = "Only an owner of this organization can do this."


class InvitationNotFound(NotFound):
    code = "invitation_not_found"
    message = "This invitation link is not valid. Ask the person who invited you for a new one."


class InvitationUsed(Conflict):
    code = "invitation_used"
    message = "This invitation has already been used. Sign in, or ask for a new invitation."


class InvitationExpired(Conflict):
    code = "invitation_expired"
    message = "This invitation has expired. Ask the person who invited you for a new one."


class InvitationRevoked(Conflict):
    code = "invitation_revoked"
    message = "This invitation was withdrawn. Ask the organization's owner for a new one."


class EmailTaken(Conflict):
    code = "email_taken"
    message = "An account with this email already exists. Sign in instead."


async def create_organization(
    session: AsyncSession, data: OrganizationCreate, owner: User
) -> tuple[Organization, Membership]:
    organization = Organization(
        name=data.name,
        kind=data.kind,
        country=data.country,
        languages=list(data.languages),
        # Where the founder is, until an owner says otherwise: better than UTC for a Fuqing firm.
        time_zone=owner.time_zone,
    )
    session.add(organization)
    await session.flush()
    membership = Membership(user_id=owner.id, organization_id=organization.id, role="owner")
    session.add(membership)
    await session.flush()
    return organization, membership


async def get_profile(session: AsyncSession, organization_id: int) -> Organization:
    organization = await repository.get(session, organization_id)
    if organization is None:
        raise OrganizationNotFound()
    return organization


async def get_settings(
    session: AsyncSession, viewer: Principal, organization_id: int
) -> Organization:
    if not (viewer.is_admin or viewer.is_member_of(organization_id)):
        raise OrganizationNotFound()
    return await get_profile(session, organization_id)


async def _owned(session: AsyncSession, viewer: Principal, organization_id: int) -> Organization:
    organization = await get_settings(session, viewer, organization_id)
    if not (viewer.is_admin or viewer.is_owner_of(organization_id)):
        raise OwnerRequired()
    return organization


async def update_organization(
    session: AsyncSession, viewer: Principal, organization_id: int, data: OrganizationUpdate
) -> Organization:
    organization = await _owned(session, viewer, organization_id)
    changes = data.model_dump(exclude_unset=True, mode="json")
    for field, value in changes.items():
        if value is None and field in {"name", "country", "languages", "description", "time_zone"}:
            continue  # required columns: null means "leave as is"
        setattr(organization, field, value)
    await session.flush()
    await audit.record(
        session,
        actor_user_id=viewer.user_id,
        organization_id=organization.id,
        action="organization.updated",
        subject_type="organization",
        subject_id=organization.id,
        details={"fields": sorted(changes)},
    )
    return organization


async def owner_emails(session: AsyncSession, organization_id: int) -> list[str]:
    """Where to write to an organization about its business (booth decisions...): the
    addresses of its active owners, oldest account first."""
    return await repository.active_owner_emails(session, organization_id)


async def list_members(
    session: AsyncSession, viewer: Principal, organization_id: int
) -> list[MemberRead]:
    await get_settings(session, viewer, organization_id)
    return [
        MemberRead(
            user_id=user.id,
            full_name=user.full_name,
            email=user.email,
            role=membership.role,  # type: ignore[arg-type]
            joined_at=membership.created_at,
        )
        for membership, user in await repository.list_members(session, organization_id)
    ]


async def invite(
    session: AsyncSession,
    settings: Settings,
    viewer: Principal,
    organization_id: int,
    data: InvitationCreate,
) -> tuple[Invitation, str]:
    """An owner invites a colleague; the link is single-use and expires. Returns the secret."""
    organization = await _owned(session, viewer, organization_id)
    email = str(data.email).lower()
    if await accounts_repository.get_user_by_email(session, email) is not None:
        raise EmailTaken("This person already has a TradeHall account; each account belongs "
                         "to one organization.")
    secret = new_secret()
    invitation = Invitation(
        organization_id=organization.id,
        email=email,
        role=data.role,
        token_hash=hash_secret(secret),
        invited_by_id=viewer.user_id,
        expires_at=utcnow() + timedelta(hours=settings.invitation_ttl_hours),
    )
    session.add(invitation)
    await session.flush()
    link = f"{settings.base_url.rstrip('/')}/invitations/accept?token={secret}"
    await outbox.queue_email(
        session,
        to=email,
        subject=f"{viewer.user.full_name} invited you to {organization.name} on TradeHall",
        body=(
            f"{viewer.user.full_name} invited you to join {organization.name} on TradeHall.\n\n"
            f"Accept the invitation: {link}\n\n"
            f"The link works once and expires in {settings.invitation_ttl_hours} hours.\n\n"
            f"{viewer.user.full_name} 邀请您加入 TradeHall 上的 {organization.name}。\n"
            f"接受邀请：\n{link}\n"
        ),
    )
    await audit.record(
        session,
        actor_user_id=viewer.user_id,
        organization_id=organization.id,
        action="invitation.created",
        subject_type="invitation",
        subject_id=invitation.id,
        details={"email": email, "role": data.role},
    )
    return invitation, secret


async def list_invitations(
    session: AsyncSession, viewer: Principal, organization_id: int
) -> list[Invitation]:
    await _owned(session, viewer, organization_id)
    return await repository.list_open_invitations(session, organization_id, utcnow())


async def revoke_invitation(
    session: AsyncSession, viewer: Principal, organization_id: int, invitation_id: int
) -> Invitation:
    await _owned(session, viewer, organization_id)
    invitation = await repository.get_invitation(session, organization_id, invitation_id)
    if invitation is None:
        raise InvitationNotFound("No such invitation.")
    if invitation.accepted_at is not None:
        raise InvitationUsed("This invitation has already been accepted.")
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        await session.flush()
    return invitation


async def preview_invitation(session: AsyncSession, token: str) -> tuple[Invitation, Organization]:
    """The invitation behind a link, if it can still be accepted."""
    found = await repository.get_invitation_by_hash(session, hash_secret(token))
    if found is None:
        raise InvitationNotFound()
    invitation, organization = found
    if invitation.accepted_at is not None:
        raise InvitationUsed()
    if invitation.revoked_at is not None:
        raise InvitationRevoked()
    if invitation.expires_at <= utcnow():
        raise InvitationExpired()
    return invitation, organization


async def accept_invitation(session: AsyncSession, data: InvitationAccept) -> User:
    """Create the invited person's account in the organization; the link works once."""
    invitation, organization = await preview_invitation(session, data.token)
    if await accounts_repository.get_user_by_email(session, invitation.email) is not None:
        raise EmailTaken()
    user = User(
        email=invitation.email,
        password_hash=await hash_password(data.password),
        full_name=data.full_name,
        locale=data.locale,
        time_zone=data.time_zone,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:  # the same email registered concurrently
        raise EmailTaken() from exc
    # The conditional update is the real single-use guard: of two concurrent accepts, only
    # one matches "accepted_at IS NULL"; the other's transaction is rolled back whole.
    if not await repository.claim_invitation(session, invitation.id, user.id, utcnow()):
        raise InvitationUsed()
    session.add(Membership(user_id=user.id, organization_id=organization.id, role=invitation.role))
    await session.flush()
    await audit.record(
        session,
        actor_user_id=user.id,
        organization_id=organization.id,
        action="invitation.accepted",
        subject_type="invitation",
        subject_id=invitation.id,
    )
    return user


async def list_all(
    session: AsyncSession, viewer: Principal, *, limit: int, after_id: int | None
) -> list[Organization]:
    if not viewer.is_admin:
        raise PermissionDenied("Only platform admins can list every organization.",
                               code="admin_required")
    return await repository.list_all(session, limit=limit, after_id=after_id)

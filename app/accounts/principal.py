"""Who is acting: the authenticated user and the organization they act for."""

from __future__ import annotations

from dataclasses import dataclass

from app.models import AuthToken, Membership, User


@dataclass(frozen=True)
class Principal:
    user: User
    membership: Membership | None
    token: AuthToken

    @property
    def user_id(self) -> int:
        return self.user.id

    @property
    def organization_id(self) -> int | None:
        return self.membership.organization_id if self.membership else None

    @property
    def is_admin(self) -> bool:
        return self.user.is_platform_admin

    def is_member_of(self, organization_id: int) -> bool:
        return self.organization_id == organization_id

    def is_owner_of(self, organization_id: int) -> bool:
        return (
            self.membership is not None
            and self.membership.organization_id == organization_id
            and self.membership.role == "owner"
        )

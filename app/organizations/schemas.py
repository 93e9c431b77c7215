from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl

from app.kit.validation import (
    CountryCode,
    InputModel,
    LanguageList,
    Name,
    Password,
    TimeZoneName,
    UiLocale,
)

OrganizationKind = Literal["supplier", "buyer", "organizer"]
Role = Literal["owner", "member"]


class OrganizationCreate(InputModel):
    name: Name
    kind: OrganizationKind
    country: CountryCode
    languages: LanguageList = Field(default_factory=list)


class OrganizationUpdate(InputModel):
    name: Name | None = None
    country: CountryCode | None = None
    languages: LanguageList | None = None
    description: str | None = Field(default=None, max_length=5000)
    website: HttpUrl | None = None
    contact_email: EmailStr | None = None
    phone: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=1000)
    time_zone: TimeZoneName | None = None


class OrganizationRead(BaseModel):
    """The public profile: what any signed-in user may see of an organization."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: OrganizationKind
    country: str
    languages: list[str]
    description: str
    website: str | None
    created_at: datetime


class OrganizationSettingsRead(OrganizationRead):
    """Private settings: members and platform admins only."""

    contact_email: str | None
    phone: str | None
    address: str | None
    time_zone: str


class MemberRead(BaseModel):
    user_id: int
    full_name: str
    email: str
    role: Role
    joined_at: datetime


class InvitationCreate(InputModel):
    email: EmailStr
    role: Role = "member"


class InvitationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organization_id: int
    email: str
    role: Role
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None


class InvitationAccept(InputModel):
    token: str = Field(min_length=10, max_length=200)
    full_name: Name
    password: Password
    locale: UiLocale = "en"
    time_zone: TimeZoneName = "UTC"

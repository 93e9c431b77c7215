from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from app.kit.validation import InputModel, Name, Password, TimeZoneName, UiLocale
from app.organizations.schemas import OrganizationCreate, OrganizationRead, Role


class RegisterRequest(InputModel):
    email: EmailStr
    password: Password
    full_name: Name
    organization: OrganizationCreate
    locale: UiLocale = "en"
    time_zone: TimeZoneName = "UTC"


class LoginRequest(InputModel):
    email: EmailStr
    # No length rule on login: an old password must still be accepted for checking.
    password: str = Field(min_length=1, max_length=128)


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_at: datetime


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    full_name: str
    locale: str
    time_zone: str
    is_platform_admin: bool
    created_at: datetime


class MeRead(BaseModel):
    user: UserRead
    organization: OrganizationRead | None
    role: Role | None


class MeUpdate(InputModel):
    full_name: Name | None = None
    locale: UiLocale | None = None
    time_zone: TimeZoneName | None = None


class TokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: Literal["api", "session"]
    name: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None

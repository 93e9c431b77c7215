"""Rules for accounts: registration, sign-in with throttling, sessions and API tokens."""

from __future__ import annotations

from datetime import timedelta

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import repository
from app.accounts.principal import Principal
from app.accounts.schemas import MeUpdate, RegisterRequest
from app.config import Settings
from app.errors import AppError, Conflict, NotFound, TooManyRequests
from app.kit.passwords import hash_password, verify_password
from app.kit.ratelimit import Counter
from app.kit.tokens import hash_secret, new_secret
from app.models import AuthToken, Membership, Organization, User
from app.models.base import utcnow
from app.organizations import service as organizations

log = structlog.get_logger(__name__)

API_TOKEN_PREFIX = "th_"  # noqa: S105 - a visible prefix so leaked tokens are recognisable


class InvalidCredentials(AppError):
    status_code = 401
    code = "invalid_credentials"
    # The same words for an unknown email and a wrong password: no account enumeration.
    message = "The email or password is not correct."


class EmailTaken(Conflict):
    code = "email_taken"
    message = "An account with this email already exists. Sign in instead."


class TooManyLoginAttempts(TooManyRequests):
    code = "too_many_login_attempts"


class TokenNotFound(NotFound):
    code = "token_not_found"
    message = "No such token."


async def register(
    session: AsyncSession, data: RegisterRequest
) -> tuple[User, Organization, Membership]:
    """Create a user and their organization, the user as its owner."""
    email = str(data.email).lower()
    if await repository.get_user_by_email(session, email) is not None:
        raise EmailTaken()
    user = User(
        email=email,
        password_hash=await hash_password(data.password),
        full_name=data.full_name,
        locale=data.locale,
        time_zone=data.time_zone,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:  # registered concurrently between the check and the insert
        raise EmailTaken() from exc
    organization, membership = await organizations.create_organization(
        session, data.organization, owner=user
    )
    return user, organization, membership


async def authenticate(
    session: AsyncSession,
    settings: Settings,
    counter: Counter,
    *,
    email: str,
    password: str,
    client_address: str,
) -> User:
    """Check a password, with failures throttled per account and per client address.

    Once an account (or address) reaches its failure budget within the window, further
    attempts are refused with 429 and Retry-After *before* the password is checked, so a
    correct guess inside the lockout does not get through either.
    """
    email = email.lower()
    window = settings.login_failure_window_seconds
    account_key = f"login:account:{hash_secret(email)}"
    address_key = f"login:address:{client_address}"
    for key, limit in (
        (account_key, settings.login_max_failures_per_account),
        (address_key, settings.login_max_failures_per_address),
    ):
        state = await counter.get(key, window)
        if state.count >= limit:
            raise TooManyLoginAttempts(
                f"Too many failed sign-in attempts. Try again in {state.retry_after} seconds.",
                retry_after=state.retry_after,
            )

    user = await repository.get_user_by_email(session, email)
    valid = await verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.is_active:
        await counter.hit(account_key, window)
        await counter.hit(address_key, window)
        log.info("login_failed", reason="bad_credentials")
        raise InvalidCredentials()
    await counter.reset(account_key)
    return user


async def issue_token(
    session: AsyncSession, settings: Settings, user: User, *, kind: str, name: str = ""
) -> tuple[str, AuthToken]:
    """A new bearer token or browser session. The secret is returned once and never stored."""
    if kind == "api":
        secret = new_secret(API_TOKEN_PREFIX)
        ttl = timedelta(days=settings.api_token_ttl_days)
    else:
        secret = new_secret()
        ttl = timedelta(hours=settings.session_ttl_hours)
    token = AuthToken(
        user_id=user.id,
        kind=kind,
        token_hash=hash_secret(secret),
        name=name[:100],
        expires_at=utcnow() + ttl,
    )
    session.add(token)
    await session.flush()
    return secret, token


async def resolve_principal(session: AsyncSession, secret: str, *, kind: str) -> Principal | None:
    now = utcnow()
    found = await repository.get_live_token(session, hash_secret(secret), kind, now)
    if found is None:
        return None
    token, user = found
    # Touch last_used_at at most once a minute: avoids a write on every request.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
    membership = await repository.get_membership(session, user.id)
    principal = Principal(user=user, membership=membership, token=token)
    # Every later log line of this request (API, page or socket) says who acted.
    structlog.contextvars.bind_contextvars(
        user_id=principal.user_id, org_id=principal.organization_id
    )
    return principal


async def revoke_current(session: AsyncSession, principal: Principal) -> None:
    await repository.revoke_token(session, principal.token.id, principal.user_id, utcnow())


async def list_tokens(session: AsyncSession, principal: Principal) -> list[AuthToken]:
    return await repository.list_live_tokens(session, principal.user_id, utcnow())


async def revoke_token(session: AsyncSession, principal: Principal, token_id: int) -> None:
    if not await repository.revoke_token(session, token_id, principal.user_id, utcnow()):
        raise TokenNotFound()


async def update_me(session: AsyncSession, principal: Principal, data: MeUpdate) -> User:
    user = principal.user
    for field, value in data.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(user, field, value)
    await session.flush()
    return user


async def create_admin(
    session: AsyncSession, *, email: str, password: str, full_name: str
) -> tuple[User, bool]:
    """Create a platform admin, or promote the existing account. Returns (user, created)."""
    user = await repository.get_user_by_email(session, email)
    if user is not None:
        user.is_platform_admin = True
        user.password_hash = await hash_password(password)
        await session.flush()
        return user, False
    user = User(
        email=email.lower(),
        password_hash=await hash_password(password),
        full_name=full_name,
        is_platform_admin=True,
    )
    session.add(user)
    await session.flush()
    return user, True

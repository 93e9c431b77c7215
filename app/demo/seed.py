"""``tradehall demo``: fill an empty database with an expo a person can click through.

The seed is a list of steps (``STEPS``). Each step is idempotent on its own: it looks every
thing up by its natural key (a user's email, an organization's kind and name) and inserts only
what is missing, so running the demo again, or on a half-seeded database, never duplicates
anything and never overwrites what a person changed while trying the demo. Steps share a
``SeedContext`` holding the rows seeded so far by natural key, so a later step (events, booths,
products) finds "Fuqing Municipal Bureau of Commerce" without querying for it again.

All steps run in one transaction: the demo database is either fully seeded or untouched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import repository as accounts_repository
from app.config import Settings
from app.db import create_engine, create_sessionmaker
from app.demo.data import (
    ADMIN,
    BUYERS,
    ORGANIZATIONS,
    ORGANIZER,
    SUPPLIERS,
    OrganizationSeed,
    PersonSeed,
)
from app.kit.passwords import hash_password
from app.models import Membership, Organization, User

# Public on purpose: printed on the console at start-up so anyone trying the demo can sign in.
DEMO_PASSWORD = "tradehall-demo"  # noqa: S105

USERS = "users"
ORGANIZATIONS_COUNTED = "organizations"
MEMBERSHIPS = "memberships"


class DemoRefused(RuntimeError):
    """The demo seed was asked to run where well-known passwords must never exist."""


@dataclass(frozen=True, slots=True)
class DemoLogin:
    role: str  # a label for people, e.g. "Supplier (member)"
    email: str
    organization: str | None = None


@dataclass
class DemoSummary:
    """What a seed run did: counts per kind of thing, and the logins worth showing."""

    created: Counter[str] = field(default_factory=Counter)
    already_present: Counter[str] = field(default_factory=Counter)
    logins: list[DemoLogin] = field(default_factory=list)
    # Things found in a state the seed cannot fix without overwriting someone's data.
    warnings: list[str] = field(default_factory=list)

    @property
    def created_anything(self) -> bool:
        return any(self.created.values())


@dataclass
class SeedContext:
    """Shared by the steps of one run: the session, the summary and what is seeded so far."""

    session: AsyncSession
    summary: DemoSummary = field(default_factory=DemoSummary)
    organizations: dict[str, Organization] = field(default_factory=dict)  # by name
    users: dict[str, User] = field(default_factory=dict)  # by email
    _password_hash: str | None = None

    async def password_hash(self) -> str:
        # Argon2id costs ~50 ms per hash by design, and every demo user has the same password:
        # hash it once and share the hash (each argon2 hash embeds its own salt, so a shared
        # hash verifies for all of them). Forty-odd hashes would add seconds to every start,
        # and a run that finds everything present does not hash at all.
        if self._password_hash is None:
            self._password_hash = await hash_password(DEMO_PASSWORD)
        return self._password_hash

    def count(self, thing: str, *, created: bool) -> None:
        (self.summary.created if created else self.summary.already_present)[thing] += 1


SeedStep = Callable[[SeedContext], Awaitable[None]]


# --- queries (natural-key lookups; the seed only ever adds rows) -----------------------------


async def _find_organization(
    session: AsyncSession, seed: OrganizationSeed
) -> Organization | None:
    # Organization names are not unique in the schema; the demo's names are, per kind. If a
    # person registered a company with the same name, the oldest one is taken as the demo's.
    return await session.scalar(
        select(Organization)
        .where(Organization.kind == seed.kind, Organization.name == seed.name)
        .order_by(Organization.id)
        .limit(1)
    )


# --- building blocks ------------------------------------------------------------------------


async def ensure_user(ctx: SeedContext, person: PersonSeed, *, is_admin: bool = False) -> User:
    """The user with this email; created with the demo password if missing, else untouched."""
    user = await accounts_repository.get_user_by_email(ctx.session, person.email)
    if user is None:
        user = User(
            email=person.email.lower(),
            password_hash=await ctx.password_hash(),
            full_name=person.full_name,
            locale=person.locale,
            time_zone=person.time_zone,
            is_platform_admin=is_admin,
        )
        ctx.session.add(user)
        await ctx.session.flush()
        ctx.count(USERS, created=True)
    else:
        ctx.count(USERS, created=False)
        if is_admin and not user.is_platform_admin:
            ctx.summary.warnings.append(
                f"{user.email} exists but is not a platform admin; left as is "
                "(promote it with: tradehall create-admin --email ...)."
            )
    ctx.users[user.email] = user
    return user


async def ensure_organization(ctx: SeedContext, seed: OrganizationSeed) -> Organization:
    """The organization with this kind and name; created with its full profile if missing."""
    organization = await _find_organization(ctx.session, seed)
    if organization is None:
        organization = Organization(
            name=seed.name,
            kind=seed.kind,
            country=seed.country,
            languages=list(seed.languages),
            description=seed.description,
            website=seed.website,
            contact_email=seed.contact_email,
            phone=seed.phone,
            address=seed.address,
            time_zone=seed.time_zone,
        )
        ctx.session.add(organization)
        await ctx.session.flush()
        ctx.count(ORGANIZATIONS_COUNTED, created=True)
    else:
        ctx.count(ORGANIZATIONS_COUNTED, created=False)
    ctx.organizations[seed.name] = organization
    return organization


async def ensure_membership(
    ctx: SeedContext, user: User, organization: Organization, role: str
) -> None:
    """Put the user in the organization, unless they already belong to one.

    A user belongs to at most one organization (memberships.user_id is unique), so a user who
    was moved elsewhere is reported, not moved back.
    """
    membership = await accounts_repository.get_membership(ctx.session, user.id)
    if membership is None:
        ctx.session.add(Membership(user_id=user.id, organization_id=organization.id, role=role))
        await ctx.session.flush()
        ctx.count(MEMBERSHIPS, created=True)
        return
    ctx.count(MEMBERSHIPS, created=False)
    if membership.organization_id != organization.id:
        ctx.summary.warnings.append(
            f"{user.email} belongs to another organization than {organization.name}; left as is."
        )


# --- steps ----------------------------------------------------------------------------------


async def seed_admin(ctx: SeedContext) -> None:
    """The platform admin: a user in no organization."""
    await ensure_user(ctx, ADMIN, is_admin=True)


async def seed_organizations(ctx: SeedContext) -> None:
    """The organizer, the suppliers and the buyers, each with its owner and member users."""
    for seed in ORGANIZATIONS:
        organization = await ensure_organization(ctx, seed)
        for member in seed.members:
            user = await ensure_user(ctx, member.person)
            await ensure_membership(ctx, user, organization, member.role)


# Later issues append their steps (events and halls, booths, products, ...). Order matters:
# a step may rely on what the steps before it put in the context.
STEPS: tuple[SeedStep, ...] = (seed_admin, seed_organizations)


def demo_logins() -> list[DemoLogin]:
    """A handful of accounts covering every role, to print at start-up."""
    logins = [
        DemoLogin("Platform admin", ADMIN.email),
        DemoLogin("Organizer", ORGANIZER.owner.email, ORGANIZER.name),
    ]
    logins += [DemoLogin("Supplier", s.owner.email, s.name) for s in SUPPLIERS[:3]]
    supplier, member = next(
        (s, m.person) for s in SUPPLIERS for m in s.members if m.role == "member"
    )
    logins.append(DemoLogin("Supplier (member)", member.email, supplier.name))
    logins += [DemoLogin("Buyer", b.owner.email, b.name) for b in BUYERS[:3]]
    return logins


async def seed_demo(settings: Settings, steps: Sequence[SeedStep] = STEPS) -> DemoSummary:
    """Seed the demo data into the settings' database, in one transaction; idempotent.

    Refuses production mode: the demo accounts, a platform admin among them, share a password
    that is printed on the console for anyone to read.
    """
    if not settings.is_dev:
        raise DemoRefused(
            "tradehall demo only runs in development mode (TRADEHALL_ENVIRONMENT=dev): its "
            "accounts, a platform admin among them, share a published password."
        )
    engine = create_engine(settings.effective_database_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            ctx = SeedContext(session=session, summary=DemoSummary(logins=demo_logins()))
            for step in steps:
                await step(ctx)
    finally:
        await engine.dispose()
    return ctx.summary


def _describe(counts: Counter[str]) -> str:
    return ", ".join(f"{n} {thing}" for thing, n in counts.items() if n) or "nothing"


def _outcome(summary: DemoSummary) -> str:
    present = _describe(summary.already_present)
    if not summary.created_anything:
        return f"Demo data already present ({present}); nothing new created."
    created = f"Demo data created: {_describe(summary.created)}"
    if any(summary.already_present.values()):
        return f"{created}; already present: {present}."
    return f"{created}."


def print_logins(summary: DemoSummary, url: str) -> None:
    """Tell the person at the console where to go and how to sign in."""
    width = max(len(login.role) for login in summary.logins) if summary.logins else 0
    lines = [
        "",
        f"TradeHall demo expo: {url}",
        f"Every demo account's password: {DEMO_PASSWORD}",
        "",
        *(
            f"  {login.role:<{width}}  {login.email}"
            + (f"  ({login.organization})" if login.organization else "")
            for login in summary.logins
        ),
        "",
        _outcome(summary),
        *(f"Note: {warning}" for warning in summary.warnings),
        "",
    ]
    print("\n".join(lines))  # noqa: T201 - this is console output for a person

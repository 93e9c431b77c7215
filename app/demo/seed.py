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
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import repository as accounts_repository
from app.catalog import service as catalog
from app.catalog.schemas import ProductCreate
from app.config import Settings
from app.db import create_engine, create_sessionmaker
from app.demo import catalog_data
from app.demo.catalog_data import BOOTHS, HALLS, BoothSeed
from app.demo.data import (
    ADMIN,
    BUYERS,
    ORGANIZATIONS,
    ORGANIZER,
    SUPPLIERS,
    OrganizationSeed,
    PersonSeed,
)
from app.demo.deals import seed_bank_details, seed_negotiations
from app.demo.livestreams import seed_livestreams
from app.demo.matchmaking import seed_matchmaking, seed_matchmaking_buyers
from app.kit.passwords import hash_password
from app.models import (
    Booth,
    BoothCertification,
    Event,
    Hall,
    Membership,
    Organization,
    Product,
    User,
)
from app.models.base import utcnow

# Public on purpose: printed on the console at start-up so anyone trying the demo can sign in.
DEMO_PASSWORD = "tradehall-demo"  # noqa: S105

USERS = "users"
ORGANIZATIONS_COUNTED = "organizations"
MEMBERSHIPS = "memberships"
EVENTS = "events"
HALLS_COUNTED = "halls"
BOOTHS_COUNTED = "booths"
CERTIFICATIONS = "certifications"
PRODUCTS = "products"


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
    # Where to look first in what was seeded, one line each.
    tour: list[str] = field(default_factory=list)

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
    event: Event | None = None  # the demo expo
    halls: dict[str, Hall] = field(default_factory=dict)  # the expo's, by name
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


async def ensure_organizations(ctx: SeedContext, seeds: Sequence[OrganizationSeed]) -> None:
    """Each organization with its owner and member users."""
    for seed in seeds:
        organization = await ensure_organization(ctx, seed)
        for member in seed.members:
            user = await ensure_user(ctx, member.person)
            await ensure_membership(ctx, user, organization, member.role)


async def seed_organizations(ctx: SeedContext) -> None:
    """The organizer, the suppliers and the buyers, each with its owner and member users."""
    await ensure_organizations(ctx, ORGANIZATIONS)


# --- the expo: event, halls, booths, products -------------------------------------------------


def _supplier_name(web_name: str) -> str:
    """The demo supplier whose website is ``https://<web_name>.example.com``."""
    for seed in SUPPLIERS:
        if seed.website == f"https://{web_name}.example.com":
            return seed.name
    raise LookupError(f"no demo supplier {web_name!r} in app.demo.data")


async def seed_expo(ctx: SeedContext) -> None:
    """The Fuqing Seafood Online Expo, live: it opened a few days before the first seed.

    Its natural key is (organizer, title); an existing expo keeps its dates and status.
    """
    organizer = ctx.organizations[ORGANIZER.name]
    event = await ctx.session.scalar(
        select(Event)
        .where(Event.organizer_id == organizer.id, Event.title == catalog_data.EXPO_TITLE)
        .order_by(Event.id)
        .limit(1)
    )
    created = event is None
    if event is None:
        zone = ZoneInfo(catalog_data.EXPO_TIME_ZONE)
        first_day = datetime.now(zone).date() - timedelta(days=catalog_data.EXPO_STARTED_DAYS_AGO)
        last_day = first_day + timedelta(days=catalog_data.EXPO_DAYS)
        event = Event(
            organizer_id=organizer.id,
            title=catalog_data.EXPO_TITLE,
            title_zh=catalog_data.EXPO_TITLE_ZH,
            theme=catalog_data.EXPO_THEME,
            description=catalog_data.EXPO_DESCRIPTION,
            description_zh=catalog_data.EXPO_DESCRIPTION_ZH,
            time_zone=catalog_data.EXPO_TIME_ZONE,
            starts_at=datetime.combine(first_day, time(9), zone),
            ends_at=datetime.combine(last_day, time(18), zone),
            status="live",
        )
        ctx.session.add(event)
        await ctx.session.flush()
    ctx.count(EVENTS, created=created)
    ctx.event = event


async def seed_halls(ctx: SeedContext) -> None:
    """The expo's six halls, in lobby order; a hall is found by its English name."""
    assert ctx.event is not None  # noqa: S101 - seed_expo runs first
    existing = {
        hall.name: hall
        for hall in await ctx.session.scalars(select(Hall).where(Hall.event_id == ctx.event.id))
    }
    for position, seed in enumerate(HALLS):
        hall = existing.get(seed.name)
        if hall is None:
            hall = Hall(event_id=ctx.event.id, name=seed.name, name_zh=seed.name_zh,
                        description=seed.description, position=position)
            ctx.session.add(hall)
            await ctx.session.flush()
        ctx.count(HALLS_COUNTED, created=seed.name not in existing)
        ctx.halls[seed.name] = hall


def _certificates(booth: Booth, seed: BoothSeed, no: int, today: date) -> list[BoothCertification]:
    # Valid for 6 to 30 months from the seed day, different per company and scheme.
    return [
        BoothCertification(
            booth_id=booth.id,
            scheme=scheme,
            number=catalog_data.certificate_number(scheme, no),
            issuer=catalog_data.CERTIFICATE_ISSUERS.get(scheme, ""),
            expires_on=today + timedelta(days=30 * (6 + (no * 7 + index * 5) % 24)),
        )
        for index, scheme in enumerate(seed.certifications)
    ]


def _about(description: str) -> str:
    """An organization's description without its leading "Name (中文名) ": the booth's title
    already says who it is."""
    _name, found, about = description.partition(") ")
    return about[:1].upper() + about[1:] if found and about else description


async def seed_booths(ctx: SeedContext) -> None:
    """An approved booth for every demo supplier, with its profile and certificates.

    An existing booth (found by event and supplier) is left exactly as it is.
    """
    event = ctx.event
    assert event is not None  # noqa: S101 - seed_expo runs first
    decided_by = ctx.users.get(ORGANIZER.owner.email)
    today = utcnow().date()
    for no, seed in enumerate(BOOTHS, start=1):
        supplier = ctx.organizations[_supplier_name(seed.supplier)]
        booth = await ctx.session.scalar(
            select(Booth).where(Booth.event_id == event.id, Booth.supplier_id == supplier.id)
        )
        if booth is not None:
            ctx.count(BOOTHS_COUNTED, created=False)
            held = await ctx.session.scalar(
                select(func.count(BoothCertification.id))
                .where(BoothCertification.booth_id == booth.id)
            )
            ctx.summary.already_present[CERTIFICATIONS] += int(held or 0)
            continue
        booth = Booth(
            event_id=event.id,
            hall_id=ctx.halls[seed.hall].id,
            supplier_id=supplier.id,
            status="approved",
            decided_at=utcnow(),
            decided_by_id=decided_by.id if decided_by is not None else None,
            description=_about(supplier.description),
            description_zh=seed.description_zh,
            export_markets=list(seed.markets),
            founded_year=seed.founded,
            staff_count=seed.staff,
            annual_output_tonnes=Decimal(seed.output_t) if seed.output_t else None,
            cold_storage_tonnes=(
                Decimal(seed.cold_storage_t) if seed.cold_storage_t is not None else None
            ),
        )
        ctx.session.add(booth)
        await ctx.session.flush()
        ctx.count(BOOTHS_COUNTED, created=True)
        certificates = _certificates(booth, seed, no, today)
        ctx.session.add_all(certificates)
        await ctx.session.flush()
        ctx.summary.created[CERTIFICATIONS] += len(certificates)


async def seed_products(ctx: SeedContext) -> None:
    """Each supplier's catalog (catalog_data.products_of), through the catalog service.

    The service normalises each product and keeps ``price_from`` with its tiers, exactly as
    for a product created through the API. A product is found by its supplier and name,
    deleted ones included: a demo product a person deleted stays deleted.
    """
    for seed in BOOTHS:
        supplier = ctx.organizations[_supplier_name(seed.supplier)]
        present = set(
            await ctx.session.scalars(
                select(Product.name).where(Product.supplier_id == supplier.id)
            )
        )
        for body in catalog_data.products_of(seed):
            if body["name"] in present:
                ctx.count(PRODUCTS, created=False)
                continue
            data = await catalog.validated(
                ctx.session, supplier.id, ProductCreate.model_validate(body)
            )
            await catalog.write_new(ctx.session, supplier.id, data)
            ctx.count(PRODUCTS, created=True)


# Later issues append their steps. Order matters: a step may rely on what the steps before it
# put in the context.
STEPS: tuple[SeedStep, ...] = (
    seed_admin,
    seed_organizations,
    seed_expo,
    seed_halls,
    seed_booths,
    seed_products,
    seed_bank_details,
    seed_negotiations,
    seed_matchmaking_buyers,
    seed_matchmaking,
    seed_livestreams,
)


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
        *summary.tour,
        _outcome(summary),
        *(f"Note: {warning}" for warning in summary.warnings),
        "",
    ]
    print("\n".join(lines))  # noqa: T201 - this is console output for a person

"""``tradehall demo``: what the seed puts in the database, that it can run again, and that the
logins it prints let a person in."""

from __future__ import annotations

import re

import httpx
import pytest
from babel.core import get_global
from sqlalchemy import delete, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.schemas import MeUpdate
from app.config import Settings
from app.demo.catalog_data import BOOTHS, products_of
from app.demo.data import ADMIN, BUYERS, ORGANIZATIONS, ORGANIZER, SUPPLIERS
from app.demo.matchmaking_data import MORE_BUYERS
from app.demo.seed import (
    DEMO_PASSWORD,
    DemoRefused,
    DemoSummary,
    demo_logins,
    print_logins,
    seed_demo,
)
from app.kit.passwords import hash_password
from app.models import (
    BankDetails,
    Booth,
    BoothCertification,
    Event,
    Hall,
    Livestream,
    MatchmakingParticipant,
    MatchmakingSession,
    Meeting,
    MeetingRequest,
    Membership,
    Negotiation,
    Offer,
    Order,
    Organization,
    Product,
    User,
)
from app.organizations.schemas import OrganizationCreate, OrganizationUpdate

DEMO_URL = "http://127.0.0.1:8765"


async def row_counts(db: AsyncSession) -> dict[str, int]:
    counts = {
        "users": await db.scalar(select(func.count()).select_from(User)),
        "organizations": await db.scalar(select(func.count()).select_from(Organization)),
        "memberships": await db.scalar(select(func.count()).select_from(Membership)),
        "events": await db.scalar(select(func.count()).select_from(Event)),
        "halls": await db.scalar(select(func.count()).select_from(Hall)),
        "booths": await db.scalar(select(func.count()).select_from(Booth)),
        "certifications": await db.scalar(select(func.count()).select_from(BoothCertification)),
        "products": await db.scalar(select(func.count()).select_from(Product)),
        "negotiations": await db.scalar(select(func.count()).select_from(Negotiation)),
        "offers": await db.scalar(select(func.count()).select_from(Offer)),
        "orders": await db.scalar(select(func.count()).select_from(Order)),
        "bank details": await db.scalar(select(func.count()).select_from(BankDetails)),
        "matchmaking sessions": await db.scalar(
            select(func.count()).select_from(MatchmakingSession)),
        "matchmaking participants": await db.scalar(
            select(func.count()).select_from(MatchmakingParticipant)),
        "meeting requests": await db.scalar(select(func.count()).select_from(MeetingRequest)),
        "meetings": await db.scalar(select(func.count()).select_from(Meeting)),
        "livestreams": await db.scalar(select(func.count()).select_from(Livestream)),
    }
    await db.rollback()  # end the read, so the next look sees what was written since
    return {name: int(n or 0) for name, n in counts.items()}


async def memberships_by_email(db: AsyncSession) -> dict[str, tuple[str, str, str]]:
    rows = await db.execute(
        select(User.email, Organization.name, Organization.kind, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .join(Organization, Organization.id == Membership.organization_id)
    )
    result = {email: (name, kind, role) for email, name, kind, role in rows}
    await db.rollback()
    return result


def expected_memberships() -> dict[str, tuple[str, str, str]]:
    return {
        member.person.email: (seed.name, seed.kind, member.role)
        for seed in (*ORGANIZATIONS, *MORE_BUYERS)
        for member in seed.members
    }


# --- the data itself ------------------------------------------------------------------------


def test_demo_data_is_what_the_api_would_accept() -> None:
    for seed in ORGANIZATIONS:
        OrganizationCreate(
            name=seed.name, kind=seed.kind, country=seed.country, languages=list(seed.languages)
        )
        OrganizationUpdate.model_validate(
            {
                "description": seed.description,
                "website": seed.website,
                "contact_email": seed.contact_email,
                "phone": seed.phone,
                "address": seed.address,
                "time_zone": seed.time_zone,
            }
        )
        for member in seed.members:
            MeUpdate(
                full_name=member.person.full_name,
                locale=member.person.locale,
                time_zone=member.person.time_zone,
            )
    MeUpdate(full_name=ADMIN.full_name, locale=ADMIN.locale, time_zone=ADMIN.time_zone)


def test_demo_data_stays_on_reserved_example_domains() -> None:
    emails = [ADMIN.email] + [m.person.email for s in ORGANIZATIONS for m in s.members]
    assert len(emails) == len(set(emails))
    for email in emails:
        assert email == email.lower()
        assert email.endswith("@demo.tradehall.example")
    for seed in ORGANIZATIONS:
        assert re.fullmatch(r"https://[a-z0-9-]+\.example\.com", seed.website), seed.website
        assert seed.contact_email.endswith(".example.com"), seed.contact_email
        assert seed.members[0].role == "owner"
    names = [(s.kind, s.name) for s in ORGANIZATIONS]
    assert len(names) == len(set(names))


def test_the_organizer_is_the_fuqing_commerce_bureau() -> None:
    assert ORGANIZER.kind == "organizer"
    assert ORGANIZER.languages == ("zh", "en")
    assert ORGANIZER.time_zone == "Asia/Shanghai"
    assert "Fuqing, Fujian" in ORGANIZER.address
    assert "福清市商务局" in ORGANIZER.description


def test_suppliers_are_bilingual_fuqing_companies() -> None:
    for seed in SUPPLIERS:
        assert seed.country == "CN"
        assert {"zh", "en"} <= set(seed.languages)
        assert re.search(r"[\u4e00-\u9fff]", seed.description), seed.name  # the Chinese name
        assert "Fuqing" in seed.address


def test_buyers_live_in_their_own_countries_time_zones() -> None:
    territory_zones = get_global("territory_zones")
    for seed in BUYERS:
        assert seed.time_zone in territory_zones[seed.country], seed.name
        assert seed.owner.time_zone == seed.time_zone
        assert "en" in seed.languages


# --- seeding --------------------------------------------------------------------------------


async def test_seed_creates_organizer_suppliers_buyers_and_one_admin(
    settings: Settings, db: AsyncSession
) -> None:
    await seed_demo(settings)

    rows = await db.execute(select(Organization.kind, func.count()).group_by(Organization.kind))
    kinds = dict(rows.all())
    assert kinds["organizer"] == 1
    assert kinds["supplier"] >= 30
    assert kinds["buyer"] >= 10
    buyer_countries = await db.scalar(
        select(func.count(distinct(Organization.country))).where(Organization.kind == "buyer")
    )
    assert buyer_countries is not None
    assert buyer_countries >= 6
    organizer = await db.scalar(select(Organization).where(Organization.kind == "organizer"))
    assert organizer is not None
    assert organizer.name == "Fuqing Municipal Bureau of Commerce"
    assert (organizer.country, organizer.time_zone) == ("CN", "Asia/Shanghai")

    admins = list(await db.scalars(select(User).where(User.is_platform_admin.is_(True))))
    assert [a.email for a in admins] == ["admin@demo.tradehall.example"]
    admin_membership = await db.scalar(
        select(Membership).where(Membership.user_id == admins[0].id)
    )
    assert admin_membership is None


async def test_every_seeded_user_belongs_to_exactly_its_organization(
    settings: Settings, db: AsyncSession
) -> None:
    await seed_demo(settings)

    assert await memberships_by_email(db) == expected_memberships()
    emails = set(await db.scalars(select(User.email)))
    assert emails == set(expected_memberships()) | {ADMIN.email}
    roles = [role for _name, _kind, role in expected_memberships().values()]
    assert roles.count("member") >= 3


async def test_second_run_creates_nothing_and_reports_everything_present(
    settings: Settings, db: AsyncSession, capsys: pytest.CaptureFixture[str]
) -> None:
    first = await seed_demo(settings)
    after_first = await row_counts(db)
    assert first.created_anything
    assert dict(first.created) == after_first
    assert not any(first.already_present.values())

    second = await seed_demo(settings)

    assert await row_counts(db) == after_first
    assert not second.created_anything
    assert dict(second.already_present) == after_first
    assert second.warnings == []
    print_logins(second, DEMO_URL)
    assert "nothing new created" in capsys.readouterr().out


async def test_a_half_seeded_database_is_completed(settings: Settings, db: AsyncSession) -> None:
    await seed_demo(settings)
    full = await row_counts(db)
    # A person deleted a supplier (its owner's membership goes with it) and a member user.
    mussels = SUPPLIERS[-1]
    member = next(m.person for s in SUPPLIERS for m in s.members if m.role == "member")
    await db.execute(delete(Organization).where(Organization.name == mussels.name))
    await db.execute(delete(User).where(User.email == member.email))
    await db.commit()

    summary = await seed_demo(settings)

    # Its booth, certificates and products went with it (cascade), and come back with it.
    booth = next(b for b in BOOTHS if f"https://{b.supplier}.example.com" == mussels.website)
    assert dict(summary.created) == {
        "organizations": 1, "users": 1, "memberships": 2, "booths": 1,
        "certifications": len(booth.certifications), "products": len(products_of(booth)),
        "bank details": 1,
    }
    # The matchmaking session is left as it is: the deleted supplier's registration and
    # meetings went with it, and a scheduled session takes no new registrations.
    after = await row_counts(db)
    assert after["matchmaking participants"] == full["matchmaking participants"] - 1
    assert after["meetings"] <= full["meetings"]
    unchanged = ("matchmaking participants", "meetings", "meeting requests")
    assert ({k: v for k, v in after.items() if k not in unchanged}
            == {k: v for k, v in full.items() if k not in unchanged})
    assert await memberships_by_email(db) == expected_memberships()


async def test_all_demo_users_share_one_password_hash_computed_once(
    settings: Settings, db: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    async def counting_hash_password(password: str) -> str:
        calls.append(password)
        return await hash_password(password)

    monkeypatch.setattr("app.demo.seed.hash_password", counting_hash_password)
    await seed_demo(settings)
    assert calls == [DEMO_PASSWORD]
    assert await db.scalar(select(func.count(distinct(User.password_hash)))) == 1

    await seed_demo(settings)
    assert calls == [DEMO_PASSWORD]  # nothing to create, nothing to hash


async def test_production_mode_is_refused_and_nothing_is_written(
    settings: Settings, db: AsyncSession
) -> None:
    production = settings.model_copy(update={"environment": "prod"})
    with pytest.raises(DemoRefused, match="development mode"):
        await seed_demo(production)
    assert set((await row_counts(db)).values()) == {0}


# --- the printed logins ---------------------------------------------------------------------


async def test_every_printed_login_signs_in_as_the_right_organization(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    summary = await seed_demo(settings)
    kind_of: dict[str, str] = {s.name: s.kind for s in ORGANIZATIONS}
    assert {"Platform admin", "Organizer", "Supplier", "Supplier (member)", "Buyer"} == {
        login.role for login in summary.logins
    }

    for login in summary.logins:
        response = await client.post(
            "/api/v1/auth/login", json={"email": login.email, "password": "tradehall-demo"}
        )
        assert response.status_code == 200, (login, response.text)
        token = response.json()["access_token"]
        me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, me.text
        body = me.json()
        assert body["user"]["email"] == login.email
        if login.organization is None:
            assert body["organization"] is None
            assert body["user"]["is_platform_admin"] is True
        else:
            assert body["organization"]["name"] == login.organization
            assert body["organization"]["kind"] == kind_of[login.organization]
            assert body["role"] == ("member" if "member" in login.role else "owner")
            assert body["user"]["is_platform_admin"] is False


def test_print_logins_shows_url_password_and_logins(
    capsys: pytest.CaptureFixture[str],
) -> None:
    summary = DemoSummary(logins=demo_logins())
    summary.created.update({"users": 49, "organizations": 43, "memberships": 48})

    print_logins(summary, DEMO_URL)

    out = capsys.readouterr().out
    assert DEMO_URL in out
    assert "tradehall-demo" in out
    assert "admin@demo.tradehall.example" in out
    for login in summary.logins:
        assert login.email in out
    assert "43 organizations" in out

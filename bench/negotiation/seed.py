"""The benchmark's database: created, migrated and filled through the services, then dropped.

`pairs` buyer organizations and `suppliers` supplier organizations (default: as many as
pairs), one user each, one product per supplier; negotiation i is buyer i asking supplier
`i % suppliers` about its product (so with fewer suppliers, a supplier's user takes part in
several negotiations, as an exhibitor's sales desk does). Each user gets an API bearer
token. Built with the domain services (the organizations, catalog, accounts and
negotiations services), in one transaction; only the password hash is computed once and
shared, since nobody signs in with it (argon2 costs tens of ms a user).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

import asyncpg
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from app import migrate
from app.accounts import repository as accounts_repository
from app.accounts import service as accounts
from app.accounts.principal import Principal
from app.catalog import service as catalog
from app.catalog.schemas import PriceTierIn, ProductCreate
from app.config import Settings
from app.db import create_engine, create_sessionmaker, is_sqlite
from app.kit.passwords import hash_password
from app.models import User
from app.negotiations import service as negotiations
from app.negotiations.schemas import NegotiationCreate
from app.organizations import service as organizations
from app.organizations.schemas import OrganizationCreate


@dataclass(frozen=True)
class Pair:
    negotiation_id: int
    buyer_authorization: str
    supplier_authorization: str

    @property
    def topic(self) -> str:
        return negotiations.topic_of(self.negotiation_id)


def _admin_dsn(url: str) -> str:
    parsed = make_url(url).set(drivername="postgresql", database="postgres")
    return parsed.render_as_string(hide_password=False)


async def _recreate(url: str, *, create: bool) -> None:
    name = make_url(url).database
    conn = await asyncpg.connect(_admin_dsn(url))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def _remove_sqlite(url: str) -> None:
    database = make_url(url).database
    if database:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)


@asynccontextmanager
async def fresh_database(url: str, *, keep: bool = False) -> AsyncIterator[str]:
    """An empty database at `url` (PostgreSQL: dropped and created; SQLite: the file
    removed), migrated to head; dropped again afterwards unless `keep`."""
    if is_sqlite(url):
        _remove_sqlite(url)
    else:
        await _recreate(url, create=True)
    try:
        # Alembic's env runs its own event loop: keep it off this one.
        await asyncio.to_thread(migrate.upgrade, url)
        yield url
    finally:
        if not keep:
            if is_sqlite(url):
                _remove_sqlite(url)
            else:
                await _recreate(url, create=False)


def _product(n: int) -> ProductCreate:
    return ProductCreate(
        name=f"Frozen whiteleg shrimp HOSO 31/40 lot {n}", category="frozen_shrimp",
        hs_code="0306.17", unit="kg", moq=Decimal(1000),
        price_tiers=[PriceTierIn(min_quantity=Decimal(1000), unit_price=Decimal("6.45"))],
        currency="USD", incoterms=["FOB"], port_of_loading="Fuzhou", origin_country="CN",
    )


@dataclass
class _Seeding:
    session: AsyncSession
    settings: Settings
    password_hash: str

    async def member(self, kind: Literal["buyer", "supplier"], n: int) -> tuple[Principal, str]:
        """A user owning a new organization of `kind`, acting through a fresh API token."""
        user = User(email=f"{kind}-{n}@bench.example.com", password_hash=self.password_hash,
                    full_name=f"{kind.title()} {n}")
        self.session.add(user)
        await self.session.flush()
        country = "CN" if kind == "supplier" else "ES"
        await organizations.create_organization(
            self.session, OrganizationCreate(name=f"Bench {kind} {n}", kind=kind, country=country),
            owner=user,
        )
        secret, token = await accounts.issue_token(
            self.session, self.settings, user, kind="api", name="bench"
        )
        membership = await accounts_repository.get_membership(self.session, user.id)
        return Principal(user=user, membership=membership, token=token), f"Bearer {secret}"


async def seed(url: str, pairs: int, suppliers: int | None = None) -> list[Pair]:
    """Fill a migrated, empty database; return each negotiation with both sides' tokens."""
    suppliers = min(suppliers or pairs, pairs)
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            state = _Seeding(session, Settings(), await hash_password("bench-not-for-sign-in"))
            sellers = []
            for n in range(suppliers):
                principal, authorization = await state.member("supplier", n)
                product = await catalog.create_product(session, principal, _product(n))
                sellers.append((product.id, authorization))
            out = []
            for n in range(pairs):
                buyer, authorization = await state.member("buyer", n)
                product_id, supplier_authorization = sellers[n % suppliers]
                negotiation, _ = await negotiations.open_negotiation(
                    session, buyer, NegotiationCreate(
                        subject_type="product", subject_id=product_id,
                        message="Can you quote 2 containers?",
                    ),
                )
                out.append(Pair(negotiation.id, authorization, supplier_authorization))
            await session.commit()
            return out
    finally:
        await engine.dispose()

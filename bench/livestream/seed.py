"""The benchmark's room: one live show and its viewers, in a database of the run's own.

The database comes from bench.negotiation.seed.fresh_database (PostgreSQL: dropped and
created; SQLite: a new file; migrated; dropped again at the end). The show is built as the
demo seed builds its expo (app/demo/seed.py: plain model inserts for the event, its hall and
the approved booth), the host's organization, token and product through the services
(bench.negotiation.seed), and the show itself as a row already `live` with that product
pinned. The viewers are inserted in bulk — users, one buyer organization each with the user
as owner, one API token each — a few statements for all of them, where the services would
take a round trip or more per row; nobody signs in with their shared password hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.service import API_TOKEN_PREFIX
from app.catalog import service as catalog
from app.config import Settings
from app.db import create_engine, create_sessionmaker
from app.kit.passwords import hash_password
from app.kit.tokens import hash_secret, new_secret
from app.models import AuthToken, Booth, Event, Hall, Livestream, Membership, Organization, User
from app.models.base import utcnow
from bench.negotiation.seed import _product, _Seeding

TOPIC_PREFIX = "livestream"


@dataclass(frozen=True)
class Room:
    livestream_id: int
    viewers: list[tuple[int, str, str]]
    """(user id, name, "Bearer <token>") per viewer, in insertion order."""

    @property
    def topic(self) -> str:
        return f"{TOPIC_PREFIX}:{self.livestream_id}"


async def _ids(
    session: AsyncSession, model: type[User] | type[Organization], rows: list[dict[str, object]]
) -> list[int]:
    """Insert rows in bulk; their ids in the rows' order."""
    result = await session.scalars(
        insert(model).returning(model.id, sort_by_parameter_order=True), rows
    )
    return list(result)


async def _show(session: AsyncSession, state: _Seeding) -> int:
    """An organizer's live event with one hall, a supplier's approved booth with a product,
    and the booth's show, live, the product pinned. Returns the show's id."""
    now = utcnow()
    organizer = Organization(name="Bench Expo Organizer", kind="organizer", country="CN")
    session.add(organizer)
    await session.flush()
    event = Event(organizer_id=organizer.id, title="Bench Seafood Online Expo",
                  time_zone="Asia/Shanghai", starts_at=now - timedelta(days=1),
                  ends_at=now + timedelta(days=2), status="live")
    session.add(event)
    await session.flush()
    hall = Hall(event_id=event.id, name="Frozen shrimp")
    session.add(hall)
    await session.flush()
    host, _ = await state.member("supplier", 0)
    supplier_id = host.organization_id
    if supplier_id is None:
        raise RuntimeError("the host has no organization")
    booth = Booth(event_id=event.id, hall_id=hall.id, supplier_id=supplier_id,
                  status="approved", decided_at=now, export_markets=["ES", "DE"])
    session.add(booth)
    await session.flush()
    product = await catalog.create_product(session, host, _product(0))
    show = Livestream(
        booth_id=booth.id, event_id=event.id, supplier_id=supplier_id,
        title="Live from the shrimp farm: grading and block freezing",
        scheduled_start=now - timedelta(minutes=5),
        playback_url="https://stream.example.com/live/bench/index.m3u8",
        status="live", started_at=now, pinned_product_id=product.id, pinned_at=now,
        created_by_id=host.user_id,
    )
    session.add(show)
    await session.flush()
    return show.id


async def seed_room(url: str, viewers: int) -> Room:
    """Fill a migrated, empty database with the show and `viewers` signed-in viewers."""
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            settings = Settings()
            password_hash = await hash_password("bench-not-for-sign-in")
            show_id = await _show(session, _Seeding(session, settings, password_hash))
            names = [f"Viewer {n}" for n in range(viewers)]
            user_ids = await _ids(session, User, [
                {"email": f"viewer-{n}@bench.example.com", "password_hash": password_hash,
                 "full_name": names[n]} for n in range(viewers)
            ])
            org_ids = await _ids(session, Organization, [
                {"name": f"Bench buyer {n}", "kind": "buyer", "country": "ES",
                 "languages": ["en"]} for n in range(viewers)
            ])
            await session.execute(insert(Membership), [
                {"user_id": user_id, "organization_id": org_id, "role": "owner"}
                for user_id, org_id in zip(user_ids, org_ids, strict=True)
            ])
            secrets = [new_secret(API_TOKEN_PREFIX) for _ in range(viewers)]
            expires = utcnow() + timedelta(days=settings.api_token_ttl_days)
            await session.execute(insert(AuthToken), [
                {"user_id": user_id, "kind": "api", "token_hash": hash_secret(secret),
                 "name": "bench", "expires_at": expires}
                for user_id, secret in zip(user_ids, secrets, strict=True)
            ])
            await session.commit()
            return Room(show_id, [
                (user_id, name, f"Bearer {secret}")
                for user_id, name, secret in zip(user_ids, names, secrets, strict=True)
            ])
    finally:
        await engine.dispose()

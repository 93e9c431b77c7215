"""Search test data, written through the models (the booth and catalog services are built
in parallel; search only needs the rows)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Booth, Event, Hall, Media, Organization, Product, ProductImage

_counter = itertools.count(1)
T0 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)


async def create_organization(db: AsyncSession, kind: str = "supplier", **extra: Any) -> int:
    org = Organization(name=extra.pop("name", f"{kind.title()} {next(_counter)} Co., Ltd."),
                       kind=kind, country=extra.pop("country", "CN"), languages=["zh", "en"],
                       **extra)
    db.add(org)
    await db.flush()
    return org.id


async def create_event(db: AsyncSession, organizer_id: int, status: str = "live") -> int:
    event = Event(organizer_id=organizer_id, title=f"Expo {next(_counter)}", time_zone="UTC",
                  starts_at=T0, ends_at=T0 + timedelta(days=10), status=status)
    db.add(event)
    await db.flush()
    return event.id


async def create_hall(db: AsyncSession, event_id: int, name: str, name_zh: str = "") -> int:
    hall = Hall(event_id=event_id, name=name, name_zh=name_zh)
    db.add(hall)
    await db.flush()
    return hall.id


async def create_booth(
    db: AsyncSession, event_id: int, hall_id: int, supplier_id: int, status: str = "approved"
) -> int:
    booth = Booth(event_id=event_id, hall_id=hall_id, supplier_id=supplier_id, status=status)
    db.add(booth)
    await db.flush()
    return booth.id


async def create_product(
    db: AsyncSession,
    supplier_id: int,
    name: str,
    *,
    name_zh: str = "",
    description: str = "",
    description_zh: str = "",
    category: str = "frozen_shrimp",
    hs_code: str = "03061792",
    species: str = "",
    latin_name: str = "",
    certifications: list[str] | None = None,
    incoterms: list[str] | None = None,
    currency: str = "USD",
    price: str = "5.00",
    moq: str = "1000",
    unit: str = "kg",
    origin: str = "CN",
    created_at: datetime | None = None,
    deleted: bool = False,
) -> int:
    product = Product(
        supplier_id=supplier_id, name=name, name_zh=name_zh, description=description,
        description_zh=description_zh, category=category, hs_code=hs_code, species=species,
        latin_name=latin_name, specifications=[], unit=unit, moq=Decimal(moq),
        currency=currency, price_from=Decimal(price),
        incoterms=incoterms if incoterms is not None else ["FOB"], port_of_loading="Fuzhou",
        certifications=certifications if certifications is not None else [],
        origin_country=origin, extra={},
        created_at=created_at or T0 + timedelta(minutes=next(_counter)),
        deleted_at=T0 if deleted else None,
    )
    db.add(product)
    await db.flush()
    return product.id


async def create_image(db: AsyncSession, product_id: int, owner_id: int, position: int) -> int:
    n = next(_counter)
    media = Media(owner_org_id=owner_id, storage_key=f"test/{n}.webp",
                  thumbnail_key=f"test/{n}.thumb.webp", content_type="image/webp", width=10,
                  height=10, size_bytes=100)
    db.add(media)
    await db.flush()
    db.add(ProductImage(product_id=product_id, media_id=media.id, position=position))
    await db.flush()
    return media.id


@dataclass
class Expo:
    """A live event with two halls, two exhibitors (six products) and the products that must
    never show up: of an applied booth, of a rejected booth, deleted, of another event."""

    organizer_id: int
    event_id: int
    frozen_hall: int
    dried_hall: int
    ocean_id: int  # supplier in the frozen shrimp hall
    harvest_id: int  # supplier in the dried seafood hall
    ocean_booth: int
    products: dict[str, int]
    hidden: dict[str, int]
    other_event_id: int


async def create_expo(db: AsyncSession) -> Expo:
    organizer = await create_organization(db, "organizer", name="Fuqing Bureau of Commerce")
    event = await create_event(db, organizer)
    frozen = await create_hall(db, event, "Frozen shrimp", "冷冻虾馆")
    dried = await create_hall(db, event, "Dried seafood", "干海产品馆")
    ocean = await create_organization(db, name="Fuqing Ocean Aquatic Co., Ltd.")
    harvest = await create_organization(db, name="Golden Harvest Foods Co., Ltd.")
    ocean_booth = await create_booth(db, event, frozen, ocean)
    await create_booth(db, event, dried, harvest)

    products = {
        "vannamei": await create_product(
            db, ocean, "Frozen Vannamei White Shrimp HLSO 31/40", name_zh="冷冻南美白对虾",
            description="Farmed in Fuqing, IQF, 10% glazing.", description_zh="福清养殖，单冻。",
            species="Whiteleg shrimp", latin_name="Litopenaeus vannamei",
            certifications=["HACCP", "ASC", "BAP"], incoterms=["FOB", "CFR"], price="6.50",
            moq="1000"),
        "tiger": await create_product(
            db, ocean, "Black Tiger Shrimp HOSO", name_zh="黑虎虾",
            species="Giant tiger prawn", latin_name="Penaeus monodon",
            certifications=["HACCP", "BAP"], incoterms=["FOB", "CIF"], price="9.80",
            moq="500", origin="VN"),
        "red": await create_product(
            db, ocean, "Argentine Red Shrimp L2", name_zh="阿根廷红虾",
            species="Argentine red shrimp", latin_name="Pleoticus muelleri",
            certifications=["MSC", "HACCP"], incoterms=["CFR"], price="8.20", moq="2000",
            origin="AR"),
        "squid": await create_product(
            db, harvest, "Dried Squid Shreds", name_zh="鱿鱼丝", category="dried_seafood",
            hs_code="03074990", latin_name="Todarodes pacificus", certifications=["HACCP"],
            incoterms=["FOB"], currency="CNY", price="95.00", moq="200"),
        "acetes": await create_product(
            db, harvest, "Dried Baby Shrimp", name_zh="虾米", category="dried_seafood",
            hs_code="03069590", latin_name="Acetes chinensis",
            certifications=["HACCP", "HALAL"], incoterms=["FOB", "EXW"], currency="CNY",
            price="120.00", moq="100"),
        "jellyfish": await create_product(
            db, harvest, "Salted Jellyfish", name_zh="盐渍海蜇", category="dried_seafood",
            hs_code="03089090", latin_name="Rhopilema esculentum",
            description="Crunchy; often served with dried shrimp.", certifications=[],
            incoterms=["EXW"], currency="EUR", price="3.10", moq="5000"),
    }

    applicant = await create_organization(db)
    rejected = await create_organization(db)
    await create_booth(db, event, frozen, applicant, status="applied")
    await create_booth(db, event, frozen, rejected, status="rejected")
    other_event = await create_event(db, organizer)
    other_hall = await create_hall(db, other_event, "Everything")
    elsewhere = await create_organization(db)
    await create_booth(db, other_event, other_hall, elsewhere)
    hidden = {
        "applied": await create_product(db, applicant, "Frozen Shrimp Ring", name_zh="虾圈",
                                        certifications=["HACCP"]),
        "rejected": await create_product(db, rejected, "Shrimp Crackers", name_zh="虾片"),
        "deleted": await create_product(db, ocean, "Deleted Shrimp Skewers",
                                        name_zh="虾串", deleted=True),
        "elsewhere": await create_product(db, elsewhere, "Frozen Shrimp Balls",
                                          name_zh="虾丸"),
    }
    await db.commit()
    return Expo(organizer, event, frozen, dried, ocean, harvest, ocean_booth, products, hidden,
                other_event)


def facet(body: dict[str, Any], name: str) -> dict[Any, int]:
    return {entry["value"]: entry["count"] for entry in body["facets"][name]}


def ids(body: dict[str, Any]) -> list[int]:
    return [item["id"] for item in body["items"]]

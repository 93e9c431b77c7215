"""The demo expo: a live Fuqing Seafood Online Expo with a booth for every supplier and a few
hundred real-looking products, seeded once however often the demo runs."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.reference import normalize_hs_code
from app.catalog.rules import check_product
from app.catalog.schemas import ProductCreate
from app.config import Settings
from app.demo.catalog_data import BOOTHS, EXPO_TITLE, HALLS, LINES, products_of
from app.demo.data import ORGANIZER, SUPPLIERS
from app.demo.seed import seed_demo
from app.models import Booth, BoothCertification, Event, Hall, PriceTier, Product
from app.models.base import utcnow


def test_every_demo_supplier_has_a_booth_in_a_real_hall() -> None:
    hosts = {b.supplier for b in BOOTHS}
    assert len(hosts) == len(BOOTHS) == len(SUPPLIERS)
    assert {f"https://{host}.example.com" for host in hosts} == {s.website for s in SUPPLIERS}
    halls = {h.name for h in HALLS}
    assert halls == {"Frozen shrimp", "Fish fillets", "Dried seafood", "Surimi",
                     "Canned seafood", "Processing equipment"}
    assert all(h.name_zh for h in HALLS)
    assert {b.hall for b in BOOTHS} == halls
    for booth in BOOTHS:
        assert booth.lines
        assert all(key in LINES for key in booth.lines)
        assert booth.certifications


def test_the_catalog_table_makes_hundreds_of_valid_products() -> None:
    products = [(b.supplier, p) for b in BOOTHS for p in products_of(b)]
    assert len(products) >= 300
    names = Counter((supplier, p["name"]) for supplier, p in products)
    assert max(names.values()) == 1  # a product's natural key: its supplier and name
    for _supplier, body in products:
        normal, problems = check_product(ProductCreate.model_validate(body))
        assert problems == [], (body["name"], problems)
        assert normalize_hs_code(str(body["hs_code"])) is not None
        assert body["name_zh"]
    currencies = Counter(str(p["currency"]) for _s, p in products)
    assert set(currencies) == {"USD", "CNY"}
    ports = {str(p["port_of_loading"]) for _s, p in products}
    assert ports == {"Fuzhou", "Xiamen"}
    latin = {str(p["latin_name"]) for _s, p in products}
    for species in ("Litopenaeus vannamei", "Penaeus monodon", "Oreochromis niloticus",
                    "Gadus chalcogrammus", "Scomber japonicus", "Todarodes pacificus",
                    "Pyropia haitanensis", "Anguilla japonica", "Larimichthys crocea",
                    "Ruditapes philippinarum"):
        assert species in latin, species
    hs = {str(p["hs_code"]) for _s, p in products}
    assert {"030617", "160521", "030461", "030475", "030389", "160420", "121221",
            "843880"} <= hs
    assert any("CIF" in p["incoterms"] for _s, p in products)  # type: ignore[operator]


async def test_the_seed_opens_a_live_expo_with_every_supplier_approved(
    settings: Settings, db: AsyncSession
) -> None:
    await seed_demo(settings)

    event = await db.scalar(select(Event).where(Event.title == EXPO_TITLE))
    assert event is not None
    assert (event.status, event.time_zone, event.title_zh) == (
        "live", "Asia/Shanghai", "福清海产品网上博览会")
    assert event.starts_at < utcnow() < event.ends_at
    halls = list(await db.scalars(select(Hall).where(Hall.event_id == event.id)
                                  .order_by(Hall.position)))
    assert [h.name for h in halls] == [h.name for h in HALLS]

    booths = list(await db.scalars(select(Booth).where(Booth.event_id == event.id)))
    assert len(booths) == len(SUPPLIERS) >= 30
    assert {b.status for b in booths} == {"approved"}
    assert all(b.description and b.description_zh and b.export_markets for b in booths)
    certificates = list(await db.scalars(select(BoothCertification)))
    today = datetime.now(UTC).date()
    assert {c.booth_id for c in certificates} == {b.id for b in booths}
    assert all(c.number and c.expires_on and c.expires_on > today for c in certificates)
    assert {"HACCP", "BRC", "MSC", "ASC", "FDA"} <= {c.scheme for c in certificates}

    assert (await db.scalar(select(func.count()).select_from(Product)) or 0) >= 300
    # price_from is the lowest tier's price, for every product (the catalog service's rule).
    lowest = dict((await db.execute(
        select(PriceTier.product_id, func.min(PriceTier.unit_price))
        .group_by(PriceTier.product_id)
    )).all())
    for product_id, price_from in await db.execute(select(Product.id, Product.price_from)):
        assert lowest[product_id] == price_from
    organizer = await db.scalar(select(Event.organizer_id).where(Event.id == event.id))
    assert organizer is not None
    assert ORGANIZER.name == "Fuqing Municipal Bureau of Commerce"


async def test_a_product_a_person_deleted_stays_deleted(
    settings: Settings, db: AsyncSession
) -> None:
    await seed_demo(settings)
    first = await db.scalar(select(Product).order_by(Product.id).limit(1))
    assert first is not None
    await db.execute(update(Product).where(Product.id == first.id).values(deleted_at=utcnow()))
    await db.commit()
    before = await db.scalar(select(func.count()).select_from(Product))

    summary = await seed_demo(settings)

    assert summary.created["products"] == 0
    assert await db.scalar(select(func.count()).select_from(Product)) == before


async def test_the_demo_expo_is_searchable_in_chinese_through_the_pages(
    settings: Settings, client: httpx.AsyncClient, db: AsyncSession
) -> None:
    await seed_demo(settings)
    event_id = await db.scalar(select(Event.id).where(Event.title == EXPO_TITLE))
    page = await client.get(f"/events/{event_id}/search", params={"q": "虾"},
                            headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "南美白对虾" in page.text
    lobby = await client.get(f"/events/{event_id}", headers={"Accept": "text/html"})
    assert "Fuqing Yuanhong Ocean Foods Co., Ltd." in lobby.text

"""Generate a trade fair catalog (default: 100,000 products of 4,000 suppliers) and bulk-load it.

    .venv/bin/python -m bench.catalog.data --url postgresql+asyncpg://postgres@127.0.0.1/x

One live event with six halls; every supplier has one approved booth; products combine the
seafood vocabulary of `bench.catalog.vocab` into English and Chinese names and descriptions,
with certifications, incoterms, prices in USD/CNY/EUR, MOQs and images (media rows without
files). The database is migrated first (so the search triggers and indexes are the real
ones) and must be empty. Loading bypasses the ORM: COPY on PostgreSQL, one executemany
transaction on SQLite (the FTS triggers still index every row). Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from app import migrate
from bench.catalog import vocab

PORTS_ZH = {"Fuzhou": "福州", "Xiamen": "厦门", "Qingdao": "青岛", "Dalian": "大连",
            "Zhanjiang": "湛江", "Ningbo": "宁波", "Shanghai": "上海"}
NOW = datetime(2026, 11, 1, tzinfo=UTC)


@dataclass
class TableRows:
    name: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass
class Catalog:
    event_id: int
    hall_ids: list[int]
    tables: list[TableRows]

    def count(self, table: str) -> int:
        return next(len(t.rows) for t in self.tables if t.name == table)


def _pick(rng: random.Random, weighted: Sequence[tuple[str, float]]) -> str:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def _odds(rng: random.Random, odds: Sequence[tuple[str, float]]) -> list[str]:
    return [code for code, p in odds if rng.random() < p]


def _money(value: float) -> Decimal:
    step = Decimal("0.01") if value < 1000 else Decimal("1")
    return Decimal(str(value)).quantize(step)


def _product_text(
    rng: random.Random, family: vocab.Family, origin: str, port: str, certs: list[str],
    lead_days: int,
) -> tuple[str, str, str, str]:
    form_en, form_zh = rng.choice(family.forms)
    size = rng.choice(family.sizes)
    proc_en, proc_zh = rng.choice(vocab.PROCESSING)
    hall = family.hall
    if hall in (0, 1) and family.unit == "kg":
        name = f"Frozen {family.en} {form_en} {proc_en} {size}"
        name_zh = f"冷冻{family.zh}{form_zh} {proc_zh} {size}"
    elif hall == 2:
        name = f"{form_en} {family.en} {size}"
        name_zh = f"{form_zh}{family.zh} {size}"
    elif hall == 3:
        name = f"{form_en} {family.en} {size}"
        name_zh = f"{form_zh}{family.zh} {size}"
    elif hall == 4:
        name = f"{family.en} {form_en} {size}"
        name_zh = f"{form_zh}{family.zh} {size}"
    else:
        name = f"{form_en} {family.en} {size}"
        name_zh = f"{form_zh}{family.zh} {size}"
    region = rng.choice(vocab.REGIONS_CN) if origin == "CN" else origin
    cert_text = ", ".join(certs) if certs else "on request"
    if family.farmed is None:
        description = (
            f"{form_en} {family.en.lower()}, capacity {size}. Food-grade SUS304 stainless "
            f"steel, PLC control, installation and training by our engineers; spare parts "
            f"for two years. Certified {cert_text}. Ships from {port} in {lead_days} days."
        )
        description_zh = (
            f"{form_zh}{family.zh}，产能{size}。食品级SUS304不锈钢，PLC控制，工程师上门安装"
            f"培训，两年备件。认证：{cert_text}。{PORTS_ZH[port]}港发货，{lead_days}天交货。"
        )
    else:
        how = "farmed" if family.farmed else "wild-caught"
        how_zh = "养殖" if family.farmed else "野生捕捞"
        glaze = rng.choice((0, 5, 10, 15, 20))
        packing = rng.choice(vocab.PACKING)
        description = (
            f"{family.en} ({family.latin}), {how} in {region}. {form_en}, {proc_en}, "
            f"{glaze}% glazing, packed {packing}. Certified {cert_text}. Loading port "
            f"{port}; shipment {lead_days} days after deposit."
        )
        description_zh = (
            f"{family.zh}（{family.latin}），{how_zh}，产地{region}。{form_zh}，{proc_zh}，"
            f"镀冰{glaze}%，包装{packing}。认证：{cert_text}。{PORTS_ZH[port]}港装运，"
            f"收到定金后{lead_days}天发货。"
        )
    return name, name_zh, description, description_zh


def _certifications(rng: random.Random, family: vocab.Family, profile: set[str]) -> list[str]:
    """The supplier's certificates that apply to this product (plus a little noise)."""
    pool: tuple[tuple[str, float], ...]
    if family.farmed is None:
        pool = vocab.EQUIPMENT_CERT_ODDS
    elif family.farmed:
        pool = vocab.FOOD_CERT_ODDS + vocab.FARMED_CERT_ODDS
    else:
        pool = vocab.FOOD_CERT_ODDS + vocab.WILD_CERT_ODDS
    return [code for code, _ in pool if (code in profile) != (rng.random() < 0.05)]


def generate(products: int = 100_000, suppliers: int = 4_000, seed: int = 1) -> Catalog:
    rng = random.Random(seed)
    organizations = TableRows("organizations", (
        "id", "name", "kind", "country", "languages", "description", "website",
        "contact_email", "phone", "address", "time_zone", "settings", "created_at"))
    organizations.rows.append((
        1, "Fuqing Municipal Bureau of Commerce", "organizer", "CN", ["zh", "en"],
        "Organizer of the Fuqing Seafood Online Expo.", None, None, None, None,
        "Asia/Shanghai", {}, NOW - timedelta(days=400)))
    event_id = 1
    events = TableRows("events", (
        "id", "organizer_id", "title", "title_zh", "theme", "description", "description_zh",
        "time_zone", "starts_at", "ends_at", "status", "updated_at", "created_at"))
    events.rows.append((
        event_id, 1, "Fuqing Seafood Online Expo", "福清海产品线上博览会", "Seafood",
        "Frozen, dried, canned seafood and processing equipment from Fujian.",
        "福建冷冻、干制、罐装海产品及加工设备。", "Asia/Shanghai", NOW - timedelta(days=10),
        NOW + timedelta(days=20), "live", None, NOW - timedelta(days=60)))
    halls = TableRows("halls", ("id", "event_id", "name", "name_zh", "description", "position",
                                "created_at"))
    for index, spec in enumerate(vocab.HALLS):
        halls.rows.append((index + 1, event_id, spec.name, spec.name_zh, "", index,
                           NOW - timedelta(days=60)))
    booths = TableRows("booths", (
        "id", "event_id", "hall_id", "supplier_id", "status", "rejection_reason", "decided_at",
        "decided_by_id", "description", "description_zh", "logo_id", "banner_id", "video_url",
        "export_markets", "founded_year", "staff_count", "annual_output_tonnes",
        "cold_storage_tonnes", "updated_at", "created_at"))
    product_rows = TableRows("products", (
        "id", "supplier_id", "name", "name_zh", "description", "description_zh", "category",
        "hs_code", "species", "latin_name", "specifications", "unit", "moq", "currency",
        "price_from", "incoterms", "port_of_loading", "lead_time_days", "monthly_capacity",
        "certifications", "origin_country", "origin_region", "extra", "updated_at",
        "deleted_at", "created_at"))
    media = TableRows("media", ("id", "owner_org_id", "uploaded_by_id", "storage_key",
                                "thumbnail_key", "content_type", "width", "height",
                                "size_bytes", "created_at"))
    images = TableRows("product_images", ("id", "product_id", "media_id", "position"))

    hall_weights = [h.weight for h in vocab.HALLS]
    families_by_hall: dict[int, list[vocab.Family]] = {}
    for family in vocab.FAMILIES:
        families_by_hall.setdefault(family.hall, []).append(family)
    food_families = [f for f in vocab.FAMILIES if f.farmed is not None]

    supplier_halls: list[int] = []
    supplier_profiles: list[set[str]] = []
    for index in range(suppliers):
        org_id = index + 2
        hall = rng.choices(range(len(vocab.HALLS)), hall_weights)[0]
        supplier_halls.append(hall)
        kind = vocab.COMPANY_KINDS[5] if hall == 5 else rng.choice(vocab.COMPANY_KINDS[:5])
        name = (f"{rng.choice(vocab.COMPANY_PLACES)} {rng.choice(vocab.COMPANY_WORDS)} "
                f"{kind.replace('Co.,', f'No. {index + 1} Co.,')}")
        created = NOW - timedelta(days=rng.uniform(30, 360))
        organizations.rows.append((
            org_id, name, "supplier", "CN", ["zh", "en"], "", None, None, None, None,
            "Asia/Shanghai", {}, created))
        profile = set(_odds(rng, vocab.FOOD_CERT_ODDS + vocab.WILD_CERT_ODDS
                            + vocab.FARMED_CERT_ODDS + vocab.EQUIPMENT_CERT_ODDS))
        supplier_profiles.append(profile)
        booths.rows.append((
            index + 1, event_id, hall + 1, org_id, "approved", None,
            NOW - timedelta(days=20), None, "", "", None, None, None,
            rng.sample(["US", "ES", "JP", "KR", "DE", "FR", "IT", "AU", "CA", "SA"], 3),
            rng.randint(1990, 2020), rng.randint(20, 800), None, None, None, created))

    media_id = 0
    for index in range(products):
        product_id = index + 1
        supplier = index % suppliers
        hall = supplier_halls[supplier]
        if hall == 5:
            family = rng.choice(families_by_hall[5])
        elif rng.random() < 0.8:
            family = rng.choice(families_by_hall[hall])
        else:
            family = rng.choice(food_families)
        origin = _pick(rng, family.origins)
        port = _pick(rng, vocab.PORTS)
        certs = _certifications(rng, family, supplier_profiles[supplier])
        incoterms = _odds(rng, vocab.INCOTERM_ODDS) or ["FOB"]
        lead_days = rng.choice((7, 10, 15, 20, 25, 30, 45, 60))
        name, name_zh, description, description_zh = _product_text(
            rng, family, origin, port, certs, lead_days)
        currency, _share, rate = rng.choices(
            vocab.CURRENCIES, [c[1] for c in vocab.CURRENCIES])[0]
        price = _money(rng.uniform(*family.usd) * rate)
        if family.unit == "set":
            moq = Decimal(rng.choice((1, 1, 1, 2, 5)))
        elif family.unit == "carton":
            moq = Decimal(rng.choice((200, 500, 1000, 1500, 2000)))
        else:
            moq = Decimal(rng.choice((500, 1000, 2000, 5000, 10000, 20000, 25000)))
        created = NOW - timedelta(days=rng.uniform(0, 180), seconds=rng.uniform(0, 86400))
        product_rows.rows.append((
            product_id, supplier + 2, name, name_zh, description, description_zh,
            family.category, family.hs_code,
            family.en if family.farmed is not None else "", family.latin,
            [{"key": "Size", "value": rng.choice(family.sizes)}], family.unit, moq, currency,
            price, incoterms, port, lead_days, None, certs, origin,
            rng.choice(vocab.REGIONS_CN) if origin == "CN" else "", {}, None, None, created))
        if rng.random() < 0.8:
            for position in range(rng.choice((1, 1, 2))):
                media_id += 1
                media.rows.append((
                    media_id, supplier + 2, None, f"bench/{media_id:08d}.webp",
                    f"bench/{media_id:08d}.thumb.webp", "image/webp", 1200, 900, 150_000,
                    created))
                images.rows.append((media_id, product_id, media_id, position))

    return Catalog(event_id, [h[0] for h in halls.rows], [
        organizations, events, halls, booths, media, product_rows, images])


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        return float(value)  # what SQLAlchemy's Numeric stores on SQLite
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def _postgres_value(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def load_sqlite(path: str, catalog: Catalog) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA foreign_keys=ON")
        with connection:
            for table in catalog.tables:
                marks = ", ".join("?" for _ in table.columns)
                connection.executemany(
                    f"INSERT INTO {table.name} ({', '.join(table.columns)}) "  # noqa: S608
                    f"VALUES ({marks})",
                    ([_sqlite_value(v) for v in row] for row in table.rows),
                )
        connection.execute("ANALYZE")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


async def load_postgres(dsn: str, catalog: Catalog) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        async with connection.transaction():
            for table in catalog.tables:
                await connection.copy_records_to_table(
                    table.name,
                    columns=list(table.columns),
                    records=[[_postgres_value(v) for v in row] for row in table.rows],
                )
                # Explicit ids: move the sequence past them, as if the rows were inserted.
                await connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table.name}))"
                )
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()


def postgres_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def create(url: str, products: int, suppliers: int, seed: int = 1) -> Catalog:
    """Migrate the (empty) database at `url` and load a generated catalog into it."""
    started = time.monotonic()
    migrate.upgrade(url)
    catalog = generate(products, suppliers, seed)
    generated = time.monotonic()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        load_sqlite(str(parsed.database), catalog)
    else:
        asyncio.run(load_postgres(postgres_dsn(url), catalog))
    print(f"  {url.split('@')[-1]}: generated in {generated - started:.1f}s, "
          f"loaded in {time.monotonic() - generated:.1f}s")
    return catalog


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="SQLAlchemy URL of an empty database")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--suppliers", type=int, default=4_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    create(args.url, args.products, args.suppliers, args.seed)


if __name__ == "__main__":
    main()

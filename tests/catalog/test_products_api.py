from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.models import AuditEntry, PriceTier, Product, ProductImage
from tests.factories import (
    count_rows,
    create_product,
    product_body,
    register,
    upload_image,
)


async def _counts(app: FastAPI) -> tuple[int, int, int, int]:
    return (
        await count_rows(app, Product),
        await count_rows(app, PriceTier),
        await count_rows(app, ProductImage),
        await count_rows(app, AuditEntry, AuditEntry.subject_type == "product"),
    )


async def test_supplier_creates_a_product_with_every_trade_field(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    supplier = await register(client, kind="supplier")
    first = await upload_image(client, supplier)
    second = await upload_image(client, supplier)
    r = await client.post(
        "/api/v1/products",
        json=product_body(images=[second["id"], first["id"]], hs_code="0306.17.00"),
        headers=supplier.headers,
    )
    assert r.status_code == 201, r.text
    product = r.json()
    assert product["supplier_id"] == supplier.organization_id
    assert product["name_zh"] == "冷冻南美白对虾 带头带壳 31/40"
    assert product["hs_code"] == "03061700"  # stored normalised: digits only
    assert product["moq"] == "1000"
    assert product["price_tiers"] == [
        {"min_quantity": "1000", "unit_price": "6.80"},
        {"min_quantity": "5000", "unit_price": "6.45"},
    ]
    assert product["price_from"] == "6.45"
    assert product["monthly_capacity"] == "200000"
    assert product["incoterms"] == ["FOB", "CFR"]
    assert product["specifications"][0] == {"key": "Size", "value": "31/40 pcs/lb"}
    assert [i["id"] for i in product["images"]] == [second["id"], first["id"]]
    assert product["images"][0]["url"] == f"/api/v1/media/{second['id']}"
    assert product["updated_at"] is None

    audit = await count_rows(
        app, AuditEntry, AuditEntry.action == "product.created",
        AuditEntry.subject_id == str(product["id"]),
    )
    assert audit == 1


async def test_codes_are_normalised_and_lists_deduplicated(client: httpx.AsyncClient) -> None:
    supplier = await register(client)
    product = await create_product(
        client,
        supplier,
        currency="usd",
        unit="KG",
        category="Frozen_Shrimp",
        incoterms=["fob", "FOB", "cif"],
        certifications=["iso 22000", "haccp", "GLOBALG.A.P.", "brcgs"],
    )
    assert product["currency"] == "USD"
    assert product["unit"] == "kg"
    assert product["category"] == "frozen_shrimp"
    assert product["incoterms"] == ["FOB", "CIF"]
    assert product["certifications"] == ["ISO22000", "HACCP", "GLOBALGAP", "BRC"]


async def test_amounts_are_exact_decimal_strings(client: httpx.AsyncClient) -> None:
    supplier = await register(client)
    product = await create_product(
        client,
        supplier,
        moq="1000.500",
        price_tiers=[
            {"min_quantity": "500", "unit_price": "0.0125"},
            {"min_quantity": "2000.25", "unit_price": "0.0120"},
        ],
        monthly_capacity=None,
    )
    assert product["moq"] == "1000.5"
    assert product["price_tiers"] == [
        {"min_quantity": "500", "unit_price": "0.0125"},
        {"min_quantity": "2000.25", "unit_price": "0.012"},
    ]
    assert product["price_from"] == "0.012"
    assert product["monthly_capacity"] is None


@pytest.mark.parametrize("kind", ["buyer", "organizer"])
async def test_buyers_and_organizers_cannot_create_products(
    client: httpx.AsyncClient, app: FastAPI, kind: str
) -> None:
    account = await register(client, kind=kind, country="ES")
    r = await client.post("/api/v1/products", json=product_body(), headers=account.headers)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "supplier_required"
    assert await _counts(app) == (0, 0, 0, 0)


async def test_creating_needs_sign_in(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/products", json=product_body())
    assert r.status_code == 401


async def test_a_live_product_is_public(client: httpx.AsyncClient) -> None:
    supplier = await register(client)
    product = await create_product(client, supplier)
    r = await client.get(f"/api/v1/products/{product['id']}")
    assert r.status_code == 200
    assert r.json() == product


async def test_missing_product_is_404(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/products/999999")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "product_not_found"


async def test_fixed_paths_are_not_taken_for_a_product_id(client: httpx.AsyncClient) -> None:
    # /products/export.csv and /products/reference are routes, not product ids.
    assert (await client.get("/api/v1/products/export.csv")).status_code == 401
    reference = await client.get("/api/v1/products/reference")
    assert reference.status_code == 200
    body = reference.json()
    assert {"FOB", "CIF", "EXW"} <= {t["code"] for t in body["incoterms"]}
    assert "DAT" not in {t["code"] for t in body["incoterms"]}  # Incoterms 2010 only
    assert {"USD", "CNY", "EUR"} <= set(body["currencies"])
    assert "DEM" not in body["currencies"]
    shrimp = next(c for c in body["categories"] if c["code"] == "frozen_shrimp")
    assert shrimp["label_zh"] == "冷冻虾类"


async def test_own_catalog_is_paginated_newest_first(client: httpx.AsyncClient) -> None:
    supplier = await register(client)
    other = await register(client)
    ids = [(await create_product(client, supplier, name=f"Squid {n}"))["id"] for n in range(3)]
    await create_product(client, other)

    page1 = await client.get("/api/v1/products?limit=2", headers=supplier.headers)
    assert page1.status_code == 200
    assert [p["id"] for p in page1.json()["items"]] == [ids[2], ids[1]]
    cursor = page1.json()["next_cursor"]
    assert cursor
    page2 = await client.get(
        "/api/v1/products", params={"limit": 2, "cursor": cursor}, headers=supplier.headers
    )
    assert [p["id"] for p in page2.json()["items"]] == [ids[0]]
    assert page2.json()["next_cursor"] is None


async def test_anyone_lists_a_suppliers_products_by_supplier_id(
    client: httpx.AsyncClient,
) -> None:
    supplier = await register(client)
    kept = await create_product(client, supplier)
    gone = await create_product(client, supplier)
    await client.delete(f"/api/v1/products/{gone['id']}", headers=supplier.headers)
    r = await client.get(f"/api/v1/products?supplier_id={supplier.organization_id}")
    assert r.status_code == 200
    assert [p["id"] for p in r.json()["items"]] == [kept["id"]]


async def test_own_catalog_needs_a_supplier(client: httpx.AsyncClient) -> None:
    buyer = await register(client, kind="buyer")
    r = await client.get("/api/v1/products", headers=buyer.headers)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "supplier_required"
    assert (await client.get("/api/v1/products")).status_code == 401


async def test_a_bad_cursor_is_422(client: httpx.AsyncClient) -> None:
    supplier = await register(client)
    for cursor in ("not-a-cursor", "WyJ4Il0"):  # the second is ["x"]
        r = await client.get(
            "/api/v1/products", params={"cursor": cursor}, headers=supplier.headers
        )
        assert r.status_code == 422
        assert r.json()["error"]["code"] == "invalid_cursor"


async def test_another_supplier_cannot_edit_or_delete_a_product(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    owner = await register(client)
    intruder = await register(client)
    buyer = await register(client, kind="buyer")
    product = await create_product(client, owner)
    for account in (intruder, buyer):
        patch = await client.patch(
            f"/api/v1/products/{product['id']}", json={"name": "Hijacked"},
            headers=account.headers,
        )
        assert patch.status_code == 404
        assert patch.json()["error"]["code"] == "product_not_found"
        delete = await client.delete(f"/api/v1/products/{product['id']}", headers=account.headers)
        assert delete.status_code == 404
    after = await client.get(f"/api/v1/products/{product['id']}")
    assert after.json() == product
    assert await count_rows(app, AuditEntry, AuditEntry.action != "product.created") == 0


async def test_a_colleague_edits_and_price_from_follows_the_tiers(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    supplier = await register(client)
    product = await create_product(client, supplier)
    r = await client.patch(
        f"/api/v1/products/{product['id']}",
        json={
            "name": "Frozen whiteleg shrimp HLSO 26/30",
            "price_tiers": [
                {"min_quantity": "1000", "unit_price": "7.90"},
                {"min_quantity": "10000", "unit_price": "7.10"},
                {"min_quantity": "20000", "unit_price": "6.95"},
            ],
            "lead_time_days": None,
        },
        headers=supplier.headers,
    )
    assert r.status_code == 200, r.text
    updated = r.json()
    assert updated["name"] == "Frozen whiteleg shrimp HLSO 26/30"
    assert updated["price_from"] == "6.95"
    assert len(updated["price_tiers"]) == 3
    assert updated["lead_time_days"] is None
    assert updated["currency"] == "USD"  # untouched fields stay
    assert updated["updated_at"] is not None
    assert await count_rows(app, PriceTier) == 3
    entries = await count_rows(
        app, AuditEntry, AuditEntry.action == "product.updated",
        AuditEntry.subject_id == str(product["id"]),
    )
    assert entries == 1


async def test_a_patch_is_checked_against_the_whole_product(
    client: httpx.AsyncClient,
) -> None:
    supplier = await register(client)
    product = await create_product(client, supplier)
    # Lowering the MOQ below the first tier would leave orders without a price.
    r = await client.patch(
        f"/api/v1/products/{product['id']}", json={"moq": "500"}, headers=supplier.headers
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "first_tier_above_moq"
    # Dropping the port while FOB is offered.
    r = await client.patch(
        f"/api/v1/products/{product['id']}", json={"port_of_loading": ""},
        headers=supplier.headers,
    )
    assert r.json()["error"]["code"] == "port_of_loading_required"
    # A required field cannot be emptied.
    r = await client.patch(
        f"/api/v1/products/{product['id']}", json={"name": None}, headers=supplier.headers
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation_error"
    assert r.json()["error"]["details"][0]["loc"] == ["body", "name"]
    assert (await client.get(f"/api/v1/products/{product['id']}")).json() == product


async def test_deleting_is_soft_and_the_product_is_gone(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    supplier = await register(client)
    product = await create_product(client, supplier)
    r = await client.delete(f"/api/v1/products/{product['id']}", headers=supplier.headers)
    assert r.status_code == 204
    assert (await client.get(f"/api/v1/products/{product['id']}")).status_code == 404
    patch = await client.patch(
        f"/api/v1/products/{product['id']}", json={"name": "Back"}, headers=supplier.headers
    )
    assert patch.status_code == 404
    again = await client.delete(f"/api/v1/products/{product['id']}", headers=supplier.headers)
    assert again.status_code == 404
    own = await client.get("/api/v1/products", headers=supplier.headers)
    assert own.json()["items"] == []
    # The row stays for offers and orders that point at it.
    assert await count_rows(app, Product, Product.deleted_at.is_not(None)) == 1
    assert await count_rows(app, AuditEntry, AuditEntry.action == "product.deleted") == 1


def _tiers(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"min_quantity": q, "unit_price": p} for q, p in pairs]


INVALID: list[tuple[str, dict[str, Any], str, list[Any]]] = [
    ("negative price", {"price_tiers": _tiers(("1000", "-6.80"))}, "invalid_price",
     ["price_tiers", 0, "unit_price"]),
    ("zero price", {"price_tiers": _tiers(("1000", "0"))}, "invalid_price",
     ["price_tiers", 0, "unit_price"]),
    ("price with five decimals", {"price_tiers": _tiers(("1000", "6.80001"))}, "invalid_price",
     ["price_tiers", 0, "unit_price"]),
    ("huge price", {"price_tiers": _tiers(("1000", "1e30"))}, "invalid_price",
     ["price_tiers", 0, "unit_price"]),
    ("tiers out of order", {"price_tiers": _tiers(("1000", "7"), ("5000", "6.5"), ("3000", "6.8"))},
     "price_tiers_not_ascending", ["price_tiers", 2, "min_quantity"]),
    ("two tiers at one quantity", {"price_tiers": _tiers(("1000", "7"), ("1000", "6.5"))},
     "price_tiers_not_ascending", ["price_tiers", 1, "min_quantity"]),
    ("no tiers", {"price_tiers": []}, "price_tiers_required", ["price_tiers"]),
    ("first tier above the MOQ", {"price_tiers": _tiers(("2000", "7"))}, "first_tier_above_moq",
     ["price_tiers", 0, "min_quantity"]),
    ("zero MOQ", {"moq": "0"}, "invalid_quantity", ["moq"]),
    ("negative MOQ", {"moq": "-1000"}, "invalid_quantity", ["moq"]),
    ("negative tier quantity", {"price_tiers": _tiers(("-1", "7"))}, "invalid_quantity",
     ["price_tiers", 0, "min_quantity"]),
    ("capacity below the MOQ", {"monthly_capacity": "500"}, "capacity_below_moq",
     ["monthly_capacity"]),
    ("short HS code", {"hs_code": "0306"}, "invalid_hs_code", ["hs_code"]),
    ("HS code with letters", {"hs_code": "0306.1A"}, "invalid_hs_code", ["hs_code"]),
    ("HS code in chapter 99", {"hs_code": "9903.10"}, "invalid_hs_code", ["hs_code"]),
    ("HS code in chapter 00", {"hs_code": "0006.17"}, "invalid_hs_code", ["hs_code"]),
    ("HS code with a lost zero", {"hs_code": "306.17"}, "invalid_hs_code", ["hs_code"]),
    ("unknown currency", {"currency": "XYZ"}, "unknown_currency", ["currency"]),
    ("historical currency", {"currency": "DEM"}, "unknown_currency", ["currency"]),
    ("unknown incoterm", {"incoterms": ["FOB", "DAT"]}, "unknown_incoterm", ["incoterms", 1]),
    ("no incoterms", {"incoterms": []}, "incoterms_required", ["incoterms"]),
    ("FOB without a port", {"port_of_loading": ""}, "port_of_loading_required",
     ["port_of_loading"]),
    ("unknown unit", {"unit": "tons"}, "unknown_unit", ["unit"]),
    ("unknown category", {"category": "used_cars"}, "unknown_category", ["category"]),
    ("unknown certification", {"certifications": ["HACCP", "ISO45001"]},
     "unknown_certification", ["certifications", 1]),
    ("latin name in lower case", {"latin_name": "penaeus vannamei"}, "invalid_latin_name",
     ["latin_name"]),
    ("latin name with one word", {"latin_name": "Penaeus"}, "invalid_latin_name",
     ["latin_name"]),
    ("price as a JSON number", {"price_tiers": [{"min_quantity": "1000", "unit_price": 6.8}]},
     "validation_error", ["price_tiers", 0, "unit_price"]),
    ("price that is not a number", {"price_tiers": _tiers(("1000", "six"))},
     "validation_error", ["price_tiers", 0, "unit_price"]),
    ("unknown country", {"origin_country": "XX"}, "validation_error", ["origin_country"]),
    ("mass assignment of supplier_id", {"supplier_id": 1}, "validation_error",
     ["supplier_id"]),
    ("mass assignment of price_from", {"price_from": "0.01"}, "validation_error",
     ["price_from"]),
    ("mass assignment of deleted_at", {"deleted_at": "2020-01-01T00:00:00Z"},
     "validation_error", ["deleted_at"]),
    ("a NUL character in the name", {"name": "Shrimp\u0000"}, "validation_error", ["name"]),
    ("a control character in a specification",
     {"specifications": [{"key": "Size", "value": "31/40\u0007"}]}, "validation_error",
     ["specifications", 0, "value"]),
    ("an image id beyond any database id", {"images": [2**40]}, "validation_error",
     ["images", 0]),
    ("too many specifications", {"specifications": [{"key": f"k{i}", "value": "v"}
                                                    for i in range(51)]},
     "validation_error", ["specifications"]),
]


@pytest.mark.parametrize(("case", "change", "code", "loc"), INVALID, ids=[c[0] for c in INVALID])
async def test_every_invalid_field_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient,
    app: FastAPI,
    case: str,
    change: dict[str, Any],
    code: str,
    loc: list[Any],
) -> None:
    supplier = await register(client)
    r = await client.post(
        "/api/v1/products", json=product_body(**change), headers=supplier.headers
    )
    assert r.status_code == 422, (case, r.text)
    error = r.json()["error"]
    assert error["code"] == code, (case, error)
    assert ["body", *loc] in [d["loc"] for d in error["details"]], (case, error)
    assert await _counts(app) == (0, 0, 0, 0)


async def test_all_problems_are_listed_at_once(client: httpx.AsyncClient) -> None:
    supplier = await register(client)
    r = await client.post(
        "/api/v1/products",
        json=product_body(hs_code="12", currency="XYZ", unit="tons"),
        headers=supplier.headers,
    )
    assert r.status_code == 422
    types = {d["type"] for d in r.json()["error"]["details"]}
    assert types == {"invalid_hs_code", "unknown_currency", "unknown_unit"}


async def _other_orgs_image(client: httpx.AsyncClient) -> int:
    other = await register(client)
    return int((await upload_image(client, other))["id"])


async def test_images_must_be_the_suppliers_own(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    supplier = await register(client)
    mine = await upload_image(client, supplier)
    theirs = await _other_orgs_image(client)
    for images in ([mine["id"], theirs], [999999]):
        r = await client.post(
            "/api/v1/products", json=product_body(images=images), headers=supplier.headers
        )
        assert r.status_code == 422
        assert r.json()["error"]["code"] == "unknown_image"
    assert await _counts(app) == (0, 0, 0, 0)

    product = await create_product(client, supplier, images=[mine["id"]])
    r = await client.patch(
        f"/api/v1/products/{product['id']}", json={"images": [theirs]}, headers=supplier.headers
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "unknown_image"
    assert (await client.get(f"/api/v1/products/{product['id']}")).json() == product



async def test_concurrent_edits_of_one_product_both_succeed_and_stay_consistent(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    supplier = await register(client)
    product = await create_product(client, supplier)

    async def reprice(low: str) -> httpx.Response:
        return await client.patch(
            f"/api/v1/products/{product['id']}",
            json={"price_tiers": _tiers(("1000", "9.00"), ("5000", low))},
            headers=supplier.headers,
        )

    responses = await asyncio.gather(*(reprice(f"8.{n}0") for n in range(4)))
    assert [r.status_code for r in responses] == [200] * 4, [r.text for r in responses]
    final = (await client.get(f"/api/v1/products/{product['id']}")).json()
    assert len(final["price_tiers"]) == 2
    assert final["price_from"] == final["price_tiers"][1]["unit_price"]
    assert await count_rows(app, PriceTier) == 2


async def test_concurrent_patches_never_combine_into_an_invalid_product(
    client: httpx.AsyncClient,
) -> None:
    # Each PATCH is valid against what it read; without the row lock, one lowering the MOQ
    # (with its tiers) and one raising the first tier could both commit and leave a product
    # whose first tier starts above its MOQ.
    supplier = await register(client)
    product = await create_product(client, supplier)
    url = f"/api/v1/products/{product['id']}"
    lower = {"moq": "500", "price_tiers": _tiers(("500", "7.00"))}
    raise_tier = {"price_tiers": _tiers(("1000", "6.90"))}
    responses = await asyncio.gather(
        *(
            client.patch(url, json=lower if n % 2 else raise_tier, headers=supplier.headers)
            for n in range(8)
        )
    )
    assert {r.status_code for r in responses} <= {200, 422}
    final = (await client.get(url)).json()
    first_tier = Decimal(final["price_tiers"][0]["min_quantity"])
    assert first_tier <= Decimal(final["moq"]), final


async def test_ids_beyond_the_database_range_are_422_not_500(client: httpx.AsyncClient) -> None:
    supplier = await register(client)
    huge = 2**63
    for method, url in [
        ("GET", f"/api/v1/products/{huge}"),
        ("PATCH", f"/api/v1/products/{huge}"),
        ("DELETE", f"/api/v1/products/{huge}"),
        ("GET", f"/api/v1/products?supplier_id={huge}"),
        ("GET", f"/api/v1/media/{huge}"),
        ("GET", f"/api/v1/media/{huge}/thumbnail"),
    ]:
        r = await client.request(method, url, json={}, headers=supplier.headers)
        assert r.status_code == 422, (method, url, r.text)

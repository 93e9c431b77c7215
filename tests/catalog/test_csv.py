from __future__ import annotations

import csv
import io
from typing import Any

import httpx
from fastapi import FastAPI

from app.catalog import csv_io, imports
from app.models import AuditEntry, PriceTier, Product
from tests.factories import Account, count_rows, create_product, register, upload_image

HEADER = (
    "name,name_zh,category,hs_code,latin_name,unit,moq,price_tiers,currency,incoterms,"
    "port_of_loading,certifications,origin_country"
)


def _csv(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


async def _import(
    client: httpx.AsyncClient, account: Account, data: bytes, *, multipart: bool = False
) -> httpx.Response:
    if multipart:
        return await client.post(
            "/api/v1/products/import",
            files={"file": ("catalog.csv", data, "text/csv")},
            headers=account.headers,
        )
    return await client.post(
        "/api/v1/products/import",
        content=data,
        headers={**account.headers, "Content-Type": "text/csv"},
    )


async def _export(client: httpx.AsyncClient, account: Account) -> bytes:
    r = await client.get("/api/v1/products/export.csv", headers=account.headers)
    assert r.status_code == 200, r.text
    return r.content


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


async def test_export_is_utf8_with_bom_one_row_per_product(client: httpx.AsyncClient) -> None:
    supplier = await register(client)
    image = await upload_image(client, supplier)
    product = await create_product(
        client, supplier, hs_code="03061700", images=[image["id"]]
    )
    r = await client.get("/api/v1/products/export.csv", headers=supplier.headers)
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == 'attachment; filename="products.csv"'
    assert r.content.startswith(b"\xef\xbb\xbf")
    (row,) = _rows(r.content)
    assert list(row) == list(csv_io.COLUMNS)
    assert row["id"] == str(product["id"])
    assert row["name_zh"] == "冷冻南美白对虾 带头带壳 31/40"
    assert row["hs_code"] == "0306.17.00"  # dots keep the leading zero in a spreadsheet
    assert row["price_tiers"] == "1000@6.80|5000@6.45"
    assert row["specifications"] == "Size=31/40 pcs/lb|Glazing=10%"
    assert row["incoterms"] == "FOB|CFR"
    assert row["certifications"] == "HACCP|BAP"
    assert row["images"] == str(image["id"])


async def test_round_trip_changes_nothing_and_keeps_chinese_and_odd_text(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    supplier = await register(client)
    await create_product(client, supplier)
    await create_product(
        client,
        supplier,
        name="=HYPERLINK(\"http://evil.example\")",
        name_zh="鱿鱼圈，裹粉 \"特级\"",
        description="Line one\nline two, with a comma",
        specifications=[
            {"key": "Size|grade", "value": "A=1 | B\\2"},
            {"key": "-Glaze", "value": "@10%"},
        ],
        monthly_capacity=None,
        lead_time_days=None,
        latin_name="",
        certifications=[],
    )
    first = await _export(client, supplier)
    rows = _rows(first)
    assert rows[1]["name"] == "'=HYPERLINK(\"http://evil.example\")"  # never run as formula
    audit_before = await count_rows(app, AuditEntry)

    r = await _import(client, supplier, first)
    assert r.status_code == 200, r.text
    assert r.json()["unchanged"] == 2
    assert r.json()["created"] == r.json()["updated"] == 0
    assert await _export(client, supplier) == first
    assert await count_rows(app, AuditEntry) == audit_before
    assert await count_rows(app, Product, Product.updated_at.is_not(None)) == 0

    listed = await client.get("/api/v1/products", headers=supplier.headers)
    odd = listed.json()["items"][0]
    assert odd["name"] == "=HYPERLINK(\"http://evil.example\")"
    assert odd["name_zh"] == "鱿鱼圈，裹粉 \"特级\""
    assert odd["specifications"] == [
        {"key": "Size|grade", "value": "A=1 | B\\2"},
        {"key": "-Glaze", "value": "@10%"},
    ]


async def test_import_creates_products_from_a_multipart_file(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    supplier = await register(client)
    data = _csv(
        HEADER,
        "Frozen squid rings,冷冻鱿鱼圈,cephalopods,0307.43,Dosidicus gigas,kg,2000,"
        "2000@3.10|10000@2.95,USD,FOB|CIF,Xiamen,HACCP|BRC,CN",
        "Dried anchovy,鳀鱼干,dried_seafood,0305.59,Engraulis japonicus,kg,500,500:8.20,"
        "CNY,\"EXW, FCA\",,,CN",
    )
    r = await _import(client, supplier, data, multipart=True)
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 2
    ids = r.json()["product_ids"]
    squid = (await client.get(f"/api/v1/products/{ids[0]}")).json()
    assert squid["name_zh"] == "冷冻鱿鱼圈"
    assert squid["hs_code"] == "030743"
    assert squid["price_from"] == "2.95"
    assert squid["certifications"] == ["HACCP", "BRC"]
    anchovy = (await client.get(f"/api/v1/products/{ids[1]}")).json()
    assert anchovy["incoterms"] == ["EXW", "FCA"]
    assert anchovy["price_tiers"] == [{"min_quantity": "500", "unit_price": "8.20"}]
    assert await count_rows(app, AuditEntry, AuditEntry.action == "product.created") == 2


async def test_import_updates_by_id_and_a_partial_file_changes_only_its_columns(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    supplier = await register(client)
    product = await create_product(client, supplier)
    data = _csv("id,price_tiers,moq", f"{product['id']},800@7.20|4000@6.90,800")
    r = await _import(client, supplier, data)
    assert r.status_code == 200, r.text
    assert r.json() == {"created": 0, "updated": 1, "unchanged": 0, "product_ids": [product["id"]]}
    after = (await client.get(f"/api/v1/products/{product['id']}")).json()
    assert after["price_from"] == "6.90"
    assert after["moq"] == "800"
    assert after["name"] == product["name"]
    assert after["images"] == product["images"]
    assert await count_rows(app, PriceTier) == 2
    entries = await count_rows(app, AuditEntry, AuditEntry.action == "product.updated")
    assert entries == 1


async def test_one_bad_row_among_good_ones_is_reported_and_nothing_is_written(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    supplier = await register(client)
    existing = await create_product(client, supplier)
    good = (
        "Frozen squid rings,冷冻鱿鱼圈,cephalopods,0307.43,Dosidicus gigas,kg,2000,2000@3.10,"
        "USD,FOB,Xiamen,HACCP,CN"
    )
    data = _csv(
        "id," + HEADER,
        f"{existing['id']},Renamed shrimp,,frozen_shrimp,0306.17,Penaeus vannamei,kg,1000,"
        "1000@5.00,USD,FOB,Fuzhou,,CN",
        "," + good,
        # A quoted cell over two physical lines: the next record starts on line 6.
        ",\"Two-line\nname\",,cephalopods,0307.43,,kg,2000,2000@3.10,USD,FOB,Xiamen,,CN",
        ",Bad shrimp,,frozen_shrimp,03.06,,kg,1000,5000@6.00|1000@6.50,XYZ,FOB,Fuzhou,,CN",
        "," + good,
    )
    r = await _import(client, supplier, data)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "csv_invalid"
    problems = {(d["line"], d["field"], d["code"]) for d in error["details"]}
    assert problems == {
        (6, "hs_code", "invalid_hs_code"),
        (6, "currency", "unknown_currency"),
        (6, "price_tiers", "price_tiers_not_ascending"),
        (6, "price_tiers", "first_tier_above_moq"),
    }
    assert "line 6" in error["message"]
    assert await count_rows(app, Product) == 1
    unchanged = (await client.get(f"/api/v1/products/{existing['id']}")).json()
    assert unchanged == existing


async def test_malformed_cells_and_missing_values_are_reported_per_line(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    supplier = await register(client)
    data = _csv(
        HEADER,
        ",,cephalopods,0307.43,,kg,2000,2000@3.10,USD,FOB,Xiamen,,CN",
        "Squid,,cephalopods,0307.43,,kg,2000,two thousand,USD,FOB,Xiamen,,CN",
        "Squid,,cephalopods,307.43,,kg,2000,2000@3.10,USD,FOB,Xiamen,,CN",
        "Squid,,cephalopods,0307.43,,kg,2000",
    )
    r = await _import(client, supplier, data)
    assert r.status_code == 422
    details = r.json()["error"]["details"]
    by_line = {d["line"]: d for d in details}
    assert by_line[2]["field"] == "name"
    assert "required" in by_line[2]["message"]
    assert by_line[3]["field"] == "price_tiers"
    assert "quantity@price" in by_line[3]["message"]
    assert by_line[4]["code"] == "invalid_hs_code"
    assert "leading zero" in by_line[4]["message"]
    assert by_line[5]["code"] == "row_length"
    assert await count_rows(app, Product) == 0
    assert await count_rows(app, Product) == 0


async def test_ids_that_are_not_database_ids_are_reported(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    supplier = await register(client)
    product = await create_product(client, supplier)
    data = _csv("id,images", "\u00b2,", "99999999999,", f"{product['id']},1|x|99999999999")
    r = await _import(client, supplier, data)
    assert r.status_code == 422
    problems = {(d["line"], d["field"]) for d in r.json()["error"]["details"]}
    assert problems == {(2, "id"), (3, "id"), (4, "images")}
    assert await count_rows(app, Product) == 1


async def test_an_id_that_is_not_in_your_catalog_is_refused(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    supplier = await register(client)
    other = await register(client)
    theirs = await create_product(client, other)
    mine = await create_product(client, supplier)
    data = _csv(
        "id,name",
        f"{mine['id']},Mine renamed",
        f"{theirs['id']},Stolen",
        f"{mine['id']},Twice",
    )
    r = await _import(client, supplier, data)
    assert r.status_code == 422
    problems = {(d["line"], d["code"]) for d in r.json()["error"]["details"]}
    assert problems == {(3, "product_not_found"), (4, "duplicate_id")}
    assert (await client.get(f"/api/v1/products/{theirs['id']}")).json() == theirs
    assert (await client.get(f"/api/v1/products/{mine['id']}")).json() == mine
    assert await count_rows(app, Product) == 2


async def test_images_of_another_org_are_refused_in_a_file(client: httpx.AsyncClient) -> None:
    supplier = await register(client)
    other = await register(client)
    theirs = await upload_image(client, other)
    product = await create_product(client, supplier)
    r = await _import(client, supplier, _csv("id,images", f"{product['id']},{theirs['id']}"))
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["code"] == "unknown_image"


async def test_an_unknown_column_is_reported_on_line_one(client: httpx.AsyncClient) -> None:
    supplier = await register(client)
    r = await _import(client, supplier, _csv("name,supplier_id", "Squid,1"))
    assert r.status_code == 422
    detail = r.json()["error"]["details"][0]
    assert (detail["line"], detail["field"], detail["code"]) == (1, "supplier_id",
                                                                "unknown_column")


async def test_a_gb18030_file_from_chinese_excel_imports(client: httpx.AsyncClient) -> None:
    supplier = await register(client)
    text = (
        HEADER + "\r\n冷冻带鱼,冷冻带鱼段,whole_fish,0303.89,Trichiurus lepturus,kg,1000,"
        "1000@2.10,USD,FOB,Fuzhou,,CN\r\n"
    )
    r = await _import(client, supplier, text.encode("gb18030"))
    assert r.status_code == 200, r.text
    (product_id,) = r.json()["product_ids"]
    product = (await client.get(f"/api/v1/products/{product_id}")).json()
    assert product["name"] == "冷冻带鱼"


async def test_buyers_cannot_import_or_export(client: httpx.AsyncClient) -> None:
    buyer = await register(client, kind="buyer")
    r = await _import(client, buyer, _csv(HEADER))
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "supplier_required"
    r = await client.get("/api/v1/products/export.csv", headers=buyer.headers)
    assert r.status_code == 403


async def test_oversized_and_wrong_type_bodies_are_refused(client: httpx.AsyncClient) -> None:
    supplier = await register(client)
    big = b"x" * (imports.MAX_CSV_BYTES + 1)
    r = await _import(client, supplier, big)
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "file_too_large"
    r = await client.post(
        "/api/v1/products/import", json={"rows": []}, headers=supplier.headers
    )
    assert r.status_code == 415
    assert r.json()["error"]["code"] == "unsupported_media_type"


async def test_an_empty_file_and_a_header_only_file(client: httpx.AsyncClient) -> None:
    supplier = await register(client)
    r = await _import(client, supplier, b"")
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["code"] == "csv_empty"
    r = await _import(client, supplier, _csv(HEADER))
    assert r.status_code == 200
    assert r.json() == {"created": 0, "updated": 0, "unchanged": 0, "product_ids": []}


def test_cell_escapes_round_trip() -> None:
    specs: list[dict[str, Any]] = [
        {"key": "a|b=c\\", "value": "x=y|z\\"},
        {"key": "plain", "value": "31/40 pcs/lb"},
    ]
    assert csv_io.decode_specifications(csv_io.encode_specifications(specs)) == specs
    assert csv_io.decode_tiers("1000:12.50|5000@11.8") == [
        {"min_quantity": "1000", "unit_price": "12.50"},
        {"min_quantity": "5000", "unit_price": "11.8"},
    ]

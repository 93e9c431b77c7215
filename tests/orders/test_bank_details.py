"""A supplier's bank details: who may read and change them, validation, versions, and the
warning orders carry when the account changed (the classic payment-diversion fraud)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.kit import bank_codes
from app.models import AuditEntry, BankDetails, OrderBankDetails, OutboxEmail
from tests.factories import add_colleague, count_rows, register
from tests.orders.helpers import (
    CHINA_DETAILS,
    IBAN_DETAILS,
    OTHER_DETAILS,
    account_changed_between_orders,
    get_order,
    place_order,
    put_bank_details,
    set_bank_details,
    supplier_with_order,
)

# --- the checks themselves ------------------------------------------------------------------


@pytest.mark.parametrize("iban", [
    "DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", "gb82 west 1234 5698 7654 32",
    "NO9386011117947", "FR1420041010050500013M02606",
])
def test_real_ibans_pass_the_mod_97_check(iban: str) -> None:
    assert bank_codes.looks_like_iban(iban)
    assert bank_codes.iban_is_valid(iban)


@pytest.mark.parametrize("iban", [
    "DE89 3704 0044 0532 0130 01",  # one digit wrong
    "DE98 3704 0044 0532 0130 00",  # check digits swapped
    "GB82WEST12345698765423",  # two digits swapped
    "ZZ89370400440532013000",  # no such country
    "DE8937040044",  # too short
])
def test_mistyped_ibans_fail(iban: str) -> None:
    assert not bank_codes.iban_is_valid(iban)


@pytest.mark.parametrize(("bic", "valid"), [
    ("DEUTDEFF", True), ("BKCHCNBJ73A", True), ("bkch cn bj", True), ("DEUTDEF", False),
    ("DEUTDEFF5", False), ("DEUTDEFF5000", False), ("DEUTZZFF", False), ("1EUTDEFF", False),
])
def test_bic_is_8_or_11_characters_with_a_real_country(bic: str, valid: bool) -> None:
    assert bank_codes.bic_is_valid(bic) is valid


def test_an_8_character_bic_is_the_head_office() -> None:
    assert bank_codes.bic_key("DEUTDEFF") == bank_codes.bic_key("DEUTDEFFXXX")
    assert bank_codes.bic_key("DEUTDEFF") != bank_codes.bic_key("DEUTDEFF500")


# --- who may read and change them --------------------------------------------------------


async def test_owner_sets_them_members_read_them(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    owner = await register(client, kind="supplier")
    r = await client.get(f"/api/v1/organizations/{owner.organization_id}/bank-details",
                         headers=owner.headers)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "bank_details_not_set"

    details = await set_bank_details(client, owner)
    assert details["version"] == 1
    assert details["account_number"] == "DE89370400440532013000"
    assert details["account_number_display"] == "DE89 3704 0044 0532 0130 00"
    assert details["is_iban"] is True
    assert details["swift_bic"] == "DEUTDEFF"
    assert details["changed_at"]

    colleague = await add_colleague(client, db, owner)
    r = await client.get(f"/api/v1/organizations/{owner.organization_id}/bank-details",
                         headers=colleague.headers)
    assert r.status_code == 200
    assert r.json() == details
    r = await put_bank_details(client, colleague, **OTHER_DETAILS)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "owner_required"
    r = await client.get(f"/api/v1/organizations/{owner.organization_id}/bank-details/history",
                         headers=colleague.headers)
    assert r.status_code == 403


async def test_other_organizations_get_404(client: httpx.AsyncClient, app: FastAPI) -> None:
    owner = await register(client, kind="supplier")
    await set_bank_details(client, owner)
    for outsider in (await register(client, kind="buyer"), await register(client)):
        base = f"/api/v1/organizations/{owner.organization_id}/bank-details"
        for response in (
            await client.get(base, headers=outsider.headers),
            await client.get(f"{base}/history", headers=outsider.headers),
            await put_bank_details(client, outsider, owner.organization_id, **OTHER_DETAILS),
        ):
            assert response.status_code == 404, response.text
            assert response.json()["error"]["code"] == "organization_not_found"
    assert await count_rows(app, BankDetails) == 1
    assert (await client.get(f"/api/v1/organizations/{owner.organization_id}/bank-details"
                             )).status_code == 401


async def test_a_buyer_organization_has_no_bank_details(client: httpx.AsyncClient) -> None:
    buyer = await register(client, kind="buyer")
    r = await put_bank_details(client, buyer)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "supplier_only"


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "code", "field"), [
    ({"account_number": "DE89 3704 0044 0532 0130 01"}, "invalid_iban", "account_number"),
    ({"account_number": "GB82WEST12345698765423"}, "invalid_iban", "account_number"),
    ({"account_number": "12"}, "invalid_account_number", "account_number"),
    ({"account_number": "account no. 5!"}, "invalid_account_number", "account_number"),
    ({"swift_bic": "DEUTDEFF5"}, "invalid_swift_bic", "swift_bic"),
    ({"swift_bic": "DEUTZZFF"}, "invalid_swift_bic", "swift_bic"),
    ({"currency": "XYZ"}, "unknown_currency", "currency"),
    ({"beneficiary_name": ""}, "validation_error", "beneficiary_name"),
    ({"bank_name": None}, "validation_error", "bank_name"),
    ({"swift_bic": "BKCH\x00CNBJ"}, "validation_error", "swift_bic"),
    ({"iban": "DE89370400440532013000"}, "validation_error", "iban"),
])
async def test_invalid_details_get_422_and_nothing_is_stored(
    client: httpx.AsyncClient, app: FastAPI, change: dict[str, Any], code: str, field: str
) -> None:
    owner = await register(client, kind="supplier")
    r = await put_bank_details(client, owner, **{**CHINA_DETAILS, **change})
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == code
    assert any(d["loc"][-1] == field for d in error["details"]), error
    assert await count_rows(app, BankDetails) == 0


async def test_every_problem_is_listed(client: httpx.AsyncClient) -> None:
    owner = await register(client, kind="supplier")
    r = await put_bank_details(client, owner, **{**IBAN_DETAILS, "account_number":
                                                 "DE00370400440532013000",
                                                 "swift_bic": "XX", "currency": "ABC"})
    assert r.status_code == 422
    assert [d["type"] for d in r.json()["error"]["details"]] == [
        "invalid_iban", "invalid_swift_bic", "unknown_currency"]


async def test_a_domestic_account_number_is_not_held_to_iban_rules(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client, kind="supplier")
    details = await set_bank_details(client, owner, **{**CHINA_DETAILS, "currency": None})
    assert details["account_number"] == "405867231234"
    assert details["is_iban"] is False
    assert details["currency"] is None


# --- versions, audit, emails ----------------------------------------------------------------


async def test_a_change_adds_a_version_and_keeps_the_old_ones(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    owner = await register(client, kind="supplier")
    first = await set_bank_details(client, owner)
    again = await set_bank_details(client, owner, **{**IBAN_DETAILS,
                                                     "account_number": "de89370400440532013000"})
    assert again == first  # the same details: no new version
    second = await set_bank_details(client, owner, **OTHER_DETAILS)
    assert second["version"] == 2
    assert await count_rows(app, BankDetails) == 2

    history = f"/api/v1/organizations/{owner.organization_id}/bank-details/history"
    r = await client.get(history, params={"limit": 1}, headers=owner.headers)
    assert r.status_code == 200
    page = r.json()
    assert [v["version"] for v in page["items"]] == [2]
    assert page["items"][0]["changed_by_user_id"] == owner.user_id
    assert page["items"][0]["changed_by_name"] == "Test Supplier"
    r = await client.get(history, params={"cursor": page["next_cursor"]}, headers=owner.headers)
    assert [(v["version"], v["account_number"]) for v in r.json()["items"]] == [
        (1, "DE89370400440532013000")]
    assert r.json()["next_cursor"] is None
    r = await client.get(history, params={"cursor": "nonsense"}, headers=owner.headers)
    assert r.status_code == 422


async def test_a_change_is_audited_and_every_member_is_emailed(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    owner = await register(client, kind="supplier")
    colleague = await add_colleague(client, db, owner)
    await set_bank_details(client, owner)
    await set_bank_details(client, owner, **OTHER_DETAILS)

    entries = list(await db.scalars(
        select(AuditEntry).where(AuditEntry.action == "bank_details.changed")
        .order_by(AuditEntry.id)
    ))
    assert [(e.actor_user_id, e.organization_id) for e in entries] == [
        (owner.user_id, owner.organization_id)] * 2
    assert entries[1].details == {"version": 2, "fields": ["account_number", "bank_name",
                                                           "swift_bic"],
                                  "account_ending": "5432"}
    emails = list(await db.scalars(
        select(OutboxEmail).where(OutboxEmail.subject.like("Bank details changed%"))
    ))
    assert sorted(e.to_address for e in emails) == sorted([owner.email, colleague.email])
    assert "ending 5432" in emails[0].body_text
    assert "5698 7654" not in emails[0].body_text  # never the whole account number
    assert "修改" in emails[0].body_text


# --- orders: the snapshot and the warning -----------------------------------------------------


async def test_an_order_keeps_the_bank_details_it_was_made_with(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    supplier, order = await supplier_with_order(client)
    current = await client.get(f"/api/v1/organizations/{supplier.organization_id}/bank-details",
                               headers=supplier.headers)
    assert order["bank_details"] == current.json()
    assert order["bank_details"]["version"] == 1
    assert (await get_order(client, supplier, order["id"]))["bank_details"] == current.json()
    assert order["bank_details_warning"] is None
    link = await db.get(OrderBankDetails, order["id"])
    assert link is not None
    assert link.bank_details_id == order["bank_details"]["id"]


async def test_no_warning_on_the_first_order_nor_when_nothing_changed(
    client: httpx.AsyncClient,
) -> None:
    supplier = await register(client, kind="supplier")
    buyer = await register(client, kind="buyer", country="ES")
    await set_bank_details(client, supplier)
    first = await place_order(client, buyer=buyer, supplier=supplier)
    # Only the bank's address changed: still the same account.
    await set_bank_details(client, supplier, **{**IBAN_DETAILS, "bank_address": "Frankfurt"})
    second = await place_order(client, buyer=buyer, supplier=supplier)
    assert first["bank_details_warning"] is None
    assert second["bank_details_warning"] is None
    assert second["bank_details"]["version"] == 2


async def test_changed_since_the_previous_order_with_the_same_buyer(
    client: httpx.AsyncClient,
) -> None:
    deal = await account_changed_between_orders(client)
    first, second = deal.first, deal.second

    warning = second["bank_details_warning"]
    assert warning["codes"] == ["changed_since_previous_order"]
    assert warning["previous_order_id"] == first["id"]
    assert warning["previous_order_created_at"] == first["created_at"]
    assert second["bank_details"]["account_number"] == "GB82WEST12345698765432"
    # The supplier sees the same warning: it is what its buyer is told.
    seen = await get_order(client, deal.supplier, second["id"])
    assert seen["bank_details_warning"] == warning
    # The earlier order is unchanged by the later one, but now says its details changed.
    earlier = await get_order(client, deal.buyer, first["id"])
    assert earlier["bank_details"]["account_number"] == "DE89370400440532013000"
    assert earlier["bank_details_warning"]["codes"] == ["changed_since_order"]


async def test_another_buyers_previous_order_does_not_count(
    client: httpx.AsyncClient,
) -> None:
    supplier = await register(client, kind="supplier")
    await set_bank_details(client, supplier)
    await place_order(client, supplier=supplier)  # another buyer's order, old account
    await set_bank_details(client, supplier, **OTHER_DETAILS)
    buyer = await register(client, kind="buyer", country="ES")
    order = await place_order(client, buyer=buyer, supplier=supplier)
    assert order["bank_details_warning"] is None
    # And the same buyer's order with another supplier does not count either.
    other_supplier = await register(client, kind="supplier")
    await set_bank_details(client, other_supplier, **IBAN_DETAILS)
    assert (await place_order(client, buyer=buyer, supplier=other_supplier)
            )["bank_details_warning"] is None


async def test_changed_after_the_order_was_made(client: httpx.AsyncClient) -> None:
    supplier, order = await supplier_with_order(client)
    changed = await set_bank_details(client, supplier, **OTHER_DETAILS)
    seen = await get_order(client, supplier, order["id"])
    assert seen["bank_details"]["version"] == 1  # the order keeps its own
    assert seen["bank_details_warning"]["codes"] == ["changed_since_order"]
    assert seen["bank_details_warning"]["changed_at"] == changed["changed_at"]
    # Changed back: the account is the order's again, so nothing to warn about.
    await set_bank_details(client, supplier)
    assert (await get_order(client, supplier, order["id"]))["bank_details_warning"] is None


async def test_no_bank_details_then_given_after_the_order(client: httpx.AsyncClient) -> None:
    supplier = await register(client, kind="supplier")
    order = await place_order(client, supplier=supplier)
    assert order["bank_details"] is None
    assert order["bank_details_warning"] is None
    given = await set_bank_details(client, supplier, **CHINA_DETAILS)
    seen = await get_order(client, supplier, order["id"])
    assert seen["bank_details"] == given
    assert seen["bank_details_warning"]["codes"] == ["added_since_order"]


async def test_a_third_organization_sees_no_order_and_no_bank_details(
    client: httpx.AsyncClient,
) -> None:
    _supplier, order = await supplier_with_order(client)
    outsider = await register(client, kind="buyer")
    r = await client.get(f"/api/v1/orders/{order['id']}", headers=outsider.headers)
    assert r.status_code == 404
    assert "DE89" not in r.text

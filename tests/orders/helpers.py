"""Bank details and orders made through the API, as the tests of this folder need them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from tests.factories import Account, create_negotiation, propose_offer, register

# Real-looking details that pass every check: a German IBAN (the standard example), a
# Chinese account number (no IBAN in China), and their banks' BICs.
IBAN_DETAILS: dict[str, Any] = {
    "beneficiary_name": "Fuqing Ocean Foods Co., Ltd.",
    "bank_name": "Deutsche Bank AG",
    "bank_address": "Taunusanlage 12, Frankfurt am Main",
    "account_number": "DE89 3704 0044 0532 0130 00",
    "swift_bic": "DEUTDEFF",
    "currency": "EUR",
}
CHINA_DETAILS: dict[str, Any] = {
    "beneficiary_name": "Fuqing Ocean Foods Co., Ltd.",
    "bank_name": "Bank of China, Fuqing Branch",
    "bank_address": "Qingrong Avenue, Fuqing, Fujian",
    "account_number": "4058 6723 1234",
    "swift_bic": "BKCHCNBJ73A",
    "currency": "USD",
}
# Another account at another bank: what a fraudster would swap in.
OTHER_DETAILS: dict[str, Any] = {
    **IBAN_DETAILS,
    "bank_name": "Barclays Bank",
    "account_number": "GB82 WEST 1234 5698 7654 32",
    "swift_bic": "BARCGB22",
}


async def put_bank_details(
    client: httpx.AsyncClient, who: Account, organization_id: int | None = None,
    **body: Any,
) -> httpx.Response:
    return await client.put(
        f"/api/v1/organizations/{organization_id or who.organization_id}/bank-details",
        json=body or IBAN_DETAILS, headers=who.headers,
    )


async def set_bank_details(client: httpx.AsyncClient, who: Account, **body: Any) -> dict[str, Any]:
    response = await put_bank_details(client, who, **body)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def place_order(
    client: httpx.AsyncClient, *, buyer: Account | None = None, supplier: Account | None = None,
) -> dict[str, Any]:
    """A negotiation, an offer from the supplier, accepted by the buyer: the order."""
    deal = await create_negotiation(client, buyer=buyer, supplier=supplier)
    proposed = await propose_offer(client, deal)
    response = await client.post(f"/api/v1/offers/{proposed['id']}/accept",
                                 headers=deal.buyer.headers)
    assert response.status_code == 200, response.text
    return dict(response.json()["order"])


async def get_order(client: httpx.AsyncClient, who: Account, order_id: int) -> dict[str, Any]:
    response = await client.get(f"/api/v1/orders/{order_id}", headers=who.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def supplier_with_order(
    client: httpx.AsyncClient, *, buyer: Account | None = None
) -> tuple[Account, dict[str, Any]]:
    """A supplier with ``IBAN_DETAILS``, and an order from ``buyer`` (new unless given)."""
    supplier = await register(client, kind="supplier")
    await set_bank_details(client, supplier)
    return supplier, await place_order(client, buyer=buyer, supplier=supplier)


@dataclass
class AccountChanged:
    """One buyer's two orders with one supplier, who changed its account in between."""

    supplier: Account
    buyer: Account
    first: dict[str, Any]  # made with IBAN_DETAILS
    second: dict[str, Any]  # made with OTHER_DETAILS


async def account_changed_between_orders(client: httpx.AsyncClient) -> AccountChanged:
    buyer = await register(client, kind="buyer", country="ES")
    supplier, first = await supplier_with_order(client, buyer=buyer)
    await set_bank_details(client, supplier, **OTHER_DETAILS)
    second = await place_order(client, buyer=buyer, supplier=supplier)
    return AccountChanged(supplier, buyer, first, second)

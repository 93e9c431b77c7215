"""Recommendations: for the calling participant only, best first, with reasons in the
reader's language and from the reader's side."""

from __future__ import annotations

import httpx

from tests.factories import register
from tests.matchmaking.helpers import register_buyer, register_supplier, setup


async def test_a_buyer_sees_suppliers_best_first_with_reasons(
    client: httpx.AsyncClient,
) -> None:
    s = await setup(client)
    buyer, _ = await register_buyer(s, needs={
        "categories": ["frozen_shrimp"], "certifications": ["BAP", "MSC"],
        "incoterms": ["CFR"], "destination_port": "Valencia", "yearly_volume": "20",
        "volume_unit": "t"})
    _, good = await register_supplier(s, booth={"export_markets": ["ES"]})
    _, fair = await register_supplier(s, product={"certifications": []})
    _, squid = await register_supplier(s, product={
        "category": "cephalopods", "hs_code": "0307.43", "species": "Squid",
        "latin_name": "Loligo spp.", "name": "Squid rings"})
    response = await client.get(f"{s.url}/recommendations", headers=buyer.headers)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [i["partner"]["participant_id"] for i in items] == [good["id"], fair["id"]]
    assert squid["id"] not in [i["partner"]["participant_id"] for i in items]
    best = {r["key"]: r for r in items[0]["reasons"]}
    assert best["holds_certifications"]["data"] == {"certs": ["BAP"]}
    assert best["holds_certifications"]["text"] == "Holds BAP"
    assert best["ships_incoterm"]["text"] == "Ships CFR Valencia"
    assert best["moq_fits"]["text"] == "MOQ 1000 kg fits your 20 t a year"
    assert best["exports_to_market"]["text"] == "Already exports to Spain"
    assert items[0]["reasons"][-1]["key"] == "missing_certifications"
    assert items[0]["reasons"][-1]["text"] == "Lacks MSC, which you require"
    assert items[0]["score"] > items[1]["score"]


async def test_a_supplier_reads_the_same_reasons_from_its_side_in_chinese(
    client: httpx.AsyncClient,
) -> None:
    s = await setup(client)
    _buyer, bought = await register_buyer(s)
    supplier, _ = await register_supplier(s)
    await client.patch("/api/v1/me", json={"locale": "zh"}, headers=supplier.headers)
    response = await client.get(f"{s.url}/recommendations", headers=supplier.headers)
    items = response.json()["items"]
    assert [i["partner"]["participant_id"] for i in items] == [bought["id"]]
    reasons = {r["key"]: r for r in items[0]["reasons"]}
    assert reasons["holds_certifications"]["text"] == "要求 BAP 认证，您已持有"


async def test_filters_and_pages(client: httpx.AsyncClient) -> None:
    s = await setup(client)
    buyer, _ = await register_buyer(s, needs={"categories": ["frozen_shrimp"]})
    made = [await register_supplier(s) for _ in range(3)]
    url = f"{s.url}/recommendations"
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = (await client.get(url, params=params, headers=buyer.headers)).json()
        seen += [i["partner"]["participant_id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(p["id"] for _, p in made)
    assert len(seen) == 3
    msc = await client.get(url, params={"certification": "MSC"}, headers=buyer.headers)
    assert msc.json()["items"] == []
    bap = await client.get(url, params={"certification": "BAP", "country": "CN"},
                           headers=buyer.headers)
    assert len(bap.json()["items"]) == 3
    high = await client.get(url, params={"min_score": 1000}, headers=buyer.headers)
    assert high.json()["items"] == []


async def test_no_recommendations_for_others(client: httpx.AsyncClient) -> None:
    s = await setup(client)
    await register_buyer(s)
    await register_supplier(s)
    outsider = await register(client, kind="buyer")
    response = await client.get(f"{s.url}/recommendations", headers=outsider.headers)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "registration_required"
    organizer = await client.get(f"{s.url}/recommendations", headers=s.organizer.headers)
    assert organizer.status_code == 403
    missing = await client.get("/api/v1/matchmaking-sessions/999999/recommendations",
                               headers=outsider.headers)
    assert missing.status_code == 404

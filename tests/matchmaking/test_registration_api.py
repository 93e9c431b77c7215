"""Registration: once per organization, by kind, until the deadline, with availability in
the participant's own time zone."""

from __future__ import annotations

import httpx

from tests.factories import approved_booth, register
from tests.matchmaking.helpers import (
    Setup,
    buyer_needs,
    close_registration,
    post_session,
    register_buyer,
    register_supplier,
    setup,
    zoned_expo,
)


async def test_a_buyer_registers_with_needs_and_sees_them_back(
    client: httpx.AsyncClient,
) -> None:
    s = await setup(client)
    buyer = await register(client, kind="buyer", country="ES")
    response = await client.post(
        f"{s.url}/participants",
        json={"needs": buyer_needs(certifications=["iso 22000", "MSC"]), "time_zone":
              "Europe/Madrid", "availability": [{"date": "2031-05-12", "start": "03:00",
                                                 "end": "04:00"}]},
        headers=buyer.headers,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["side"] == "buyer"
    assert body["needs"]["certifications"] == ["ISO22000", "MSC"]
    assert body["needs"]["yearly_volume"] == "20"
    assert body["needs"]["price_max"] == "7"
    assert body["offering"] is None
    assert body["max_meetings"] == 4  # the session's
    assert body["languages"] == ["zh", "en"]  # the organization's
    # 03:00-04:00 in Madrid (UTC+2 in May) is 09:00-10:00 in Shanghai: slots 0 and 1.
    assert body["availability"][0]["starts_at"] == "2031-05-12T03:00:00+02:00"
    assert body["available_slots"] == [0, 1]
    own = await client.get(f"{s.url}/participants/me", headers=buyer.headers)
    assert own.json()["id"] == body["id"]
    session = await client.get(s.url, headers=buyer.headers)
    assert session.json()["your_participant_id"] == body["id"]
    assert session.json()["buyers"] == 1


async def test_a_supplier_registers_and_its_catalog_is_read(client: httpx.AsyncClient) -> None:
    s = await setup(client)
    _supplier, body = await register_supplier(
        s, booth={"export_markets": ["ES"]}, offering={"certifications": ["MSC"]}
    )
    assert body["side"] == "supplier"
    assert body["needs"] is None
    catalog = body["offering"]["from_catalog"]
    assert catalog["products"] == 1
    assert catalog["categories"] == ["frozen_shrimp"]
    assert catalog["certifications"] == ["BAP", "HACCP", "MSC"]
    assert catalog["export_markets"] == ["ES"]
    assert catalog["ports"] == ["Fuzhou"]
    assert body["available_slots"] == list(range(6))


async def test_who_may_register(client: httpx.AsyncClient) -> None:
    s = await setup(client)
    no_booth = await register(client, kind="supplier")
    response = await client.post(f"{s.url}/participants", json={}, headers=no_booth.headers)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "approved_booth_required"
    response = await client.post(f"{s.url}/participants", json={},
                                 headers=s.organizer.headers)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "buyer_or_supplier_required"
    buyer, _ = await register_buyer(s)
    again = await client.post(f"{s.url}/participants", json={}, headers=buyer.headers)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_registered"


async def test_registration_closes_at_the_deadline(client: httpx.AsyncClient) -> None:
    s = await setup(client)
    buyer, _ = await register_buyer(s)
    await close_registration(s)
    late = await register(client, kind="buyer")
    response = await client.post(f"{s.url}/participants", json={}, headers=late.headers)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "registration_closed"
    edit = await client.patch(f"{s.url}/participants/me", json={"note": "late"},
                              headers=buyer.headers)
    assert edit.status_code == 409
    assert edit.json()["error"]["code"] == "registration_closed"


async def test_each_invalid_field_has_a_stable_code(client: httpx.AsyncClient) -> None:
    s = await setup(client)
    buyer = await register(client, kind="buyer")
    cases = {
        "invalid_category": {"needs": buyer_needs(categories=["spaceships"])},
        "invalid_certification": {"needs": buyer_needs(certifications=["NOPE"])},
        "invalid_incoterm": {"needs": buyer_needs(incoterms=["XYZ"])},
        "invalid_hs_code": {"needs": buyer_needs(hs_codes=["ab"])},
        "invalid_product": {"needs": buyer_needs(product_ids=[999999])},
        "invalid_price_range": {"needs": buyer_needs(price_min="9", price_max="7")},
        "currency_required": {"needs": buyer_needs(currency=None)},
        "quantity_unit_required": {"needs": buyer_needs(volume_unit=None)},
        "max_meetings_too_high": {"max_meetings": 5},
        "wrong_side_profile": {"offering": {"ports": ["Fuzhou"]}, "needs": None},
        "availability_outside_session": {
            "availability": [{"date": "2031-05-13", "start": "09:00", "end": "10:00"}]},
        "validation_error": {"time_zone": "Mars/Olympus"},
    }
    for code, body in cases.items():
        response = await client.post(f"{s.url}/participants", json=body,
                                     headers=buyer.headers)
        assert response.status_code == 422, (code, response.text)
        assert response.json()["error"]["code"] == code, response.text
    # Nothing was half-written: the organization can still register.
    ok = await client.post(f"{s.url}/participants", json={}, headers=buyer.headers)
    assert ok.status_code == 201, ok.text


async def test_every_problem_is_listed_at_once(client: httpx.AsyncClient) -> None:
    s = await setup(client)
    buyer = await register(client, kind="buyer")
    response = await client.post(
        f"{s.url}/participants",
        json={"needs": buyer_needs(categories=["x"], incoterms=["y"])}, headers=buyer.headers,
    )
    assert response.status_code == 422
    locs = [d["loc"] for d in response.json()["error"]["details"]]
    assert locs == [["body", "needs", "categories", 0], ["body", "needs", "incoterms", 0]]


async def test_availability_on_a_dst_night_maps_to_the_right_slots(
    client: httpx.AsyncClient,
) -> None:
    """A New York event on the night clocks fall back (2031-11-02): a buyer in New York
    free 01:00-02:00 is free two real hours, and one in Madrid (already on winter time)
    gets the slots of its own wall clock."""
    expo = await zoned_expo(client, "America/New_York", "2031-11-01T00:00:00-04:00",
                            "2031-11-03T00:00:00-05:00")
    created = await post_session(
        client, expo, windows=[{"date": "2031-11-02", "start": "00:00", "end": "04:00"}],
        registration_deadline="2031-11-01T12:00:00-04:00")
    assert created.status_code == 201, created.text
    url = f"/api/v1/matchmaking-sessions/{created.json()['id']}/participants"
    new_yorker = await register(client, kind="buyer", country="US")
    response = await client.post(url, json={
        "time_zone": "America/New_York",
        "availability": [{"date": "2031-11-02", "start": "01:00", "end": "02:00"}]},
        headers=new_yorker.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["available_slots"] == [2, 3, 4, 5]
    assert body["availability"][0]["starts_at"] == "2031-11-02T01:00:00-04:00"
    assert body["availability"][0]["ends_at"] == "2031-11-02T02:00:00-05:00"
    # Madrid is UTC+1 that day: 07:00-08:00 there is 01:00-02:00 EST, the repeated hour.
    supplier, _booth = await approved_booth(client, expo)
    response = await client.post(url, json={
        "time_zone": "Europe/Madrid",
        "availability": [{"date": "2031-11-02", "start": "07:00", "end": "08:00"}]},
        headers=supplier.headers)
    assert response.status_code == 201, response.text
    assert response.json()["available_slots"] == [4, 5]


async def test_a_registration_is_seen_only_by_its_org_and_the_organizer(
    client: httpx.AsyncClient,
) -> None:
    s = await setup(client)
    _buyer, body = await register_buyer(s)
    other, _ = await register_buyer(s)
    url = f"{s.url}/participants/{body['id']}"
    assert (await client.get(url, headers=s.organizer.headers)).status_code == 200
    response = await client.get(url, headers=other.headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "participant_not_found"
    listed = await client.get(f"{s.url}/participants?side=buyer", headers=s.organizer.headers)
    assert len(listed.json()["items"]) == 2
    unregistered = await register(client, kind="buyer")
    own = await client.get(f"{s.url}/participants/me", headers=unregistered.headers)
    assert own.status_code == 403
    assert own.json()["error"]["code"] == "registration_required"


async def test_a_participant_edits_its_registration(client: httpx.AsyncClient) -> None:
    s: Setup = await setup(client)
    buyer, _ = await register_buyer(s)
    response = await client.patch(
        f"{s.url}/participants/me",
        json={"max_meetings": 2, "needs": buyer_needs(categories=["cephalopods"]),
              "time_zone": "Asia/Shanghai",
              "availability": [{"date": "2031-05-12", "start": "10:00", "end": "11:00"}]},
        headers=buyer.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["max_meetings"] == 2
    assert body["needs"]["categories"] == ["cephalopods"]
    assert body["available_slots"] == [2, 3]

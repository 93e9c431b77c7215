"""Scoring: each buyer-supplier pair's score and the reasons a person reads."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.matchmaking.scoring import (
    MAX_SCORE,
    MIN_CANDIDATE_SCORE,
    BuyerNeeds,
    Interest,
    Item,
    Quantity,
    SupplierOffer,
    score,
)

SHRIMP = Item(
    product_id=11, name="Frozen whiteleg shrimp", category="frozen_shrimp", hs_code="03061700",
    species=frozenset({"penaeus vannamei"}), moq=Quantity(Decimal(5), "t"),
    monthly_capacity=Quantity(Decimal(200), "t"), price_from=Decimal("6.45"), currency="USD",
)
SQUID = Item(product_id=12, name="Squid rings", category="cephalopods", hs_code="03074300")

BUYER = BuyerNeeds(
    participant_id=1, market="ES", languages=frozenset({"es", "en"}),
    categories=frozenset({"frozen_shrimp"}), hs_prefixes=frozenset({"0306"}),
    yearly_volume=Quantity(Decimal(20), "t"), price_max=Decimal("7"), currency="USD",
    certifications=frozenset({"MSC", "BRC"}), incoterms=frozenset({"CIF"}),
    destination_port="Valencia",
)
SUPPLIER = SupplierOffer(
    participant_id=2, languages=frozenset({"zh", "en"}), items=(SHRIMP, SQUID),
    certifications=frozenset({"MSC", "HACCP"}), incoterms=frozenset({"FOB", "CIF"}),
    ports=("Fuzhou",), export_markets=frozenset({"ES", "US"}),
)


def reasons_by_key(result: Any) -> dict[str, dict[str, Any]]:
    return {r["key"]: r for r in result.reasons}


def test_a_good_fit_scores_high_with_its_reasons() -> None:
    result = score(BUYER, SUPPLIER)
    reasons = reasons_by_key(result)
    assert reasons["holds_certifications"]["certs"] == ["MSC"]
    assert reasons["ships_incoterm"] == {
        "key": "ships_incoterm", "points": 100, "incoterms": ["CIF"], "place": "Valencia"
    }
    assert reasons["moq_fits"]["moq"] == "5"
    assert reasons["moq_fits"]["volume"] == "20"
    assert reasons["exports_to_market"]["market"] == "ES"
    assert reasons["shared_languages"]["languages"] == ["en"]
    assert reasons["sells_categories"]["categories"] == ["frozen_shrimp"]
    assert reasons["price_in_range"]["price_from"] == "6.45"
    assert result.relevant
    assert result.is_candidate
    assert result.value > 500


def test_a_missing_required_certificate_is_a_negative_reason_shown_last() -> None:
    result = score(BUYER, SUPPLIER)
    assert result.reasons[-1]["key"] == "missing_certifications"
    assert result.reasons[-1]["certs"] == ["BRC"]
    assert result.reasons[-1]["points"] < 0
    holding_both = replace(SUPPLIER, certifications=frozenset({"MSC", "BRC"}))
    assert score(BUYER, holding_both).value > result.value


def test_a_supplier_selling_nothing_asked_for_is_not_a_candidate() -> None:
    only_squid = replace(SUPPLIER, items=(SQUID,))
    result = score(BUYER, only_squid)
    assert not result.relevant
    assert "no_product_match" in reasons_by_key(result)
    assert not result.is_candidate


def test_a_named_product_is_the_strongest_product_reason() -> None:
    buyer = replace(BUYER, product_ids=frozenset({11}))
    reasons = reasons_by_key(score(buyer, SUPPLIER))
    assert reasons["has_products_you_named"] == {
        "key": "has_products_you_named", "points": 250, "products": ["Frozen whiteleg shrimp"]
    }
    assert "sells_categories" not in reasons


def test_longer_hs_prefixes_weigh_more() -> None:
    buyer = BuyerNeeds(participant_id=1, market=None)
    points = []
    for prefix in ("03", "0306", "030617"):
        result = score(replace(buyer, hs_prefixes=frozenset({prefix})), SUPPLIER)
        points.append(reasons_by_key(result)["hs_codes_match"]["points"])
    assert points == [40, 70, 100]


def test_moq_above_the_buyers_volume_counts_against() -> None:
    buyer = replace(BUYER, yearly_volume=Quantity(Decimal(2000), "kg"))
    reasons = reasons_by_key(score(buyer, SUPPLIER))
    assert reasons["moq_above_volume"]["moq"] == "5"
    assert reasons["moq_above_volume"]["points"] < 0


def test_units_convert_for_mass_only() -> None:
    assert Quantity(Decimal(5), "t").to("kg") == Decimal(5000)
    assert Quantity(Decimal(1000), "lb").to("kg") == Decimal("453.59237")
    assert Quantity(Decimal(5), "carton").to("kg") is None


def test_capacity_below_the_yearly_volume_counts_against() -> None:
    buyer = replace(BUYER, yearly_volume=Quantity(Decimal(5000), "t"))
    reasons = reasons_by_key(score(buyer, SUPPLIER))
    assert reasons["capacity_below_volume"]["yearly_capacity"] == "2400"


def test_no_shared_incoterm_and_no_shared_language_count_against() -> None:
    buyer = replace(BUYER, incoterms=frozenset({"DDP"}), languages=frozenset({"es"}))
    reasons = reasons_by_key(score(buyer, SUPPLIER))
    assert reasons["no_shared_incoterm"]["incoterms"] == ["DDP"]
    assert "no_shared_language" in reasons


def test_fob_names_the_suppliers_port() -> None:
    buyer = replace(BUYER, incoterms=frozenset({"FOB"}))
    reasons = reasons_by_key(score(buyer, SUPPLIER))
    assert reasons["ships_incoterm"]["place"] == "Fuzhou"


def test_an_accepted_request_weighs_most_and_gives_priority() -> None:
    plain = score(BUYER, SUPPLIER)
    accepted = score(BUYER, SUPPLIER, Interest("accepted", "buyer"))
    pending = score(BUYER, SUPPLIER, Interest("pending", "supplier"))
    assert accepted.value - plain.value == 300 or accepted.value == MAX_SCORE
    assert pending.value - plain.value == 150 or pending.value == MAX_SCORE
    assert accepted.priority == 1
    assert pending.priority == 0
    assert reasons_by_key(pending)["request_pending"]["requested_by"] == "supplier"


def test_a_must_meet_is_a_candidate_whatever_its_score() -> None:
    only_squid = replace(SUPPLIER, items=(SQUID,), certifications=frozenset())
    result = score(BUYER, only_squid, Interest(must_meet=True))
    assert result.priority == 2
    assert result.is_candidate


def test_a_buyer_who_asks_for_nothing_in_particular_matches_on_the_rest() -> None:
    buyer = BuyerNeeds(participant_id=1, market="US", languages=frozenset({"en"}))
    result = score(buyer, SUPPLIER)
    assert result.relevant
    assert result.value == 150  # exports to the US, shares English
    assert result.value >= MIN_CANDIDATE_SCORE


_codes = st.frozensets(st.sampled_from(["MSC", "BRC", "ASC", "HACCP", "BAP"]), max_size=4)
_terms = st.frozensets(st.sampled_from(["FOB", "CIF", "CFR", "EXW", "DDP"]), max_size=3)


@given(
    certs_needed=_codes, certs_held=_codes, terms_needed=_terms, terms_offered=_terms,
    volume=st.decimals(min_value=0, max_value=10**6, places=1),
    status=st.sampled_from([None, "pending", "accepted"]), must_meet=st.booleans(),
)
def test_the_score_is_bounded_and_its_reasons_add_up(
    certs_needed: frozenset[str], certs_held: frozenset[str], terms_needed: frozenset[str],
    terms_offered: frozenset[str], volume: Decimal, status: str | None, must_meet: bool,
) -> None:
    buyer = replace(BUYER, certifications=certs_needed, incoterms=terms_needed,
                    yearly_volume=Quantity(volume, "t"))
    supplier = replace(SUPPLIER, certifications=certs_held, incoterms=terms_offered)
    result = score(buyer, supplier, Interest(status, "buyer", must_meet))
    assert 0 <= result.value <= MAX_SCORE
    assert result.value == max(0, min(MAX_SCORE, sum(r["points"] for r in result.reasons)))
    assert all(isinstance(r["key"], str) for r in result.reasons)
    # The same input always gives the same answer (the scheduler relies on it).
    assert score(buyer, supplier, Interest(status, "buyer", must_meet)) == result

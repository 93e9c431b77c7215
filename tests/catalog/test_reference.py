from __future__ import annotations

from decimal import Decimal

import pytest

from app.catalog import reference
from app.catalog.rules import check_product
from app.catalog.schemas import ProductCreate, format_money, format_quantity
from tests.factories import product_body


@pytest.mark.parametrize(
    ("written", "digits"),
    [
        ("0306.17", "030617"),
        ("030617", "030617"),
        ("0306.17.00", "03061700"),
        ("0306 17 00 10", "0306170010"),
        (" 1604.20 ", "160420"),
        ("8438.50.00", "84385000"),
    ],
)
def test_hs_codes_are_normalised_to_digits(written: str, digits: str) -> None:
    assert reference.normalize_hs_code(written) == digits


@pytest.mark.parametrize(
    "written",
    ["", "0306", "0306.1", "306.17", "3061700", "030617001", "03061700101", "0306..17",
     ".030617", "0306.17.", "0306-17", "abcdef", "9903.10", "9801.10", "7701.10", "0006.17"],
)
def test_malformed_hs_codes_are_refused(written: str) -> None:
    assert reference.normalize_hs_code(written) is None


def test_hs_codes_print_with_dots() -> None:
    assert reference.format_hs_code("030617") == "0306.17"
    assert reference.format_hs_code("0306170010") == "0306.17.00.10"


@pytest.mark.parametrize(
    "name",
    ["Penaeus vannamei", "Penaeus spp.", "Gadus morhua", "Oncorhynchus mykiss",
     "Thunnus albacares", "Salmo trutta fario", "Crassostrea gigas",
     "Aster novae-angliae", "Brassica oleracea var. capitata"],
)
def test_latin_names_accepted(name: str) -> None:
    assert reference.is_latin_name(name)


@pytest.mark.parametrize(
    "name",
    ["penaeus vannamei", "Penaeus", "Penaeus Vannamei", "Penaeus  vannamei", "虾 vannamei",
     "Penaeus vannamei (Boone, 1931)", "Penaeus vannamei x y z"],
)
def test_latin_names_refused(name: str) -> None:
    assert not reference.is_latin_name(name)


def test_currencies_are_current_iso_4217_tender() -> None:
    codes = reference.currencies()
    assert {"USD", "CNY", "EUR", "JPY", "GBP", "VND", "THB"} <= codes
    assert not {"DEM", "FRF", "XAU", "BOV", "XXX", "CNH"} & codes


def test_vocabulary_codes_are_unique() -> None:
    for terms in (reference.CATEGORIES, reference.UNITS, reference.INCOTERMS,
                  reference.CERTIFICATIONS):
        codes = [t.code for t in terms]
        assert len(codes) == len(set(codes))
    assert len(reference.INCOTERMS) == 11
    assert reference.label(reference.CATEGORIES, "surimi", "zh") == "鱼糜及鱼糜制品"
    assert reference.label(reference.CATEGORIES, "nope") == "nope"


def test_amounts_print_without_exponent_or_noise() -> None:
    assert format_money(Decimal("12.5000")) == "12.50"
    assert format_money(Decimal("1E+3")) == "1000.00"
    assert format_money(Decimal("0.0125")) == "0.0125"
    assert format_quantity(Decimal("1000.000")) == "1000"
    assert format_quantity(Decimal("2.500")) == "2.5"


def test_a_valid_product_has_no_problems_and_is_normalised() -> None:
    data = ProductCreate.model_validate(product_body(hs_code="0306.17.00", currency="cny"))
    normal, problems = check_product(data)
    assert problems == []
    assert normal.hs_code == "03061700"
    assert normal.currency == "CNY"


def test_fas_needs_a_port_but_cif_and_exw_do_not() -> None:
    fas = ProductCreate.model_validate(product_body(incoterms=["FAS"], port_of_loading=""))
    assert [p.code for p in check_product(fas)[1]] == ["port_of_loading_required"]
    cif = ProductCreate.model_validate(product_body(incoterms=["CIF", "EXW"],
                                                    port_of_loading=""))
    assert check_product(cif)[1] == []


def test_a_float_amount_is_refused_by_the_schema() -> None:
    with pytest.raises(ValueError, match="as strings"):
        ProductCreate.model_validate(product_body(moq=1000.5))

"""The product form: its fields and repeated rows to the catalog's input, and errors back.

The form posts flat fields (``tier-0-quantity``, ``spec-2-value``...); ``payload`` turns them
into the body ``ProductCreate`` takes (empty rows dropped) and remembers which form row each
tier or specification came from, so an error found by the catalog (``price_tiers.1``) lands
next to the row the person typed. Error codes of the catalog's rules become sentences in
the viewer's language here; the CSV import report uses the same sentences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from app.catalog.schemas import MAX_PRICE_TIERS, MAX_SPECIFICATIONS, ProductRead
from app.errors import AppError
from app.web.exhibition_view import form_list, form_text
from app.web.messages import N_

TEXT_FIELDS = ("name", "name_zh", "description", "description_zh", "category", "hs_code",
               "species", "latin_name", "unit", "moq", "currency", "port_of_loading",
               "lead_time_days", "monthly_capacity", "origin_country", "origin_region")
OPTIONAL_NUMBERS = ("lead_time_days", "monthly_capacity")
LIST_FIELDS = ("incoterms", "certifications")
# Rows shown on an empty form (JavaScript adds more; without it, save and come back).
BLANK_TIER_ROWS = 2
BLANK_SPEC_ROWS = 3
MIN_TIER_ROWS = 3
MIN_SPEC_ROWS = 4

# The catalog's rule codes (app/catalog/rules.py, service.py) as sentences for people.
RULE_MESSAGES = {
    "invalid_quantity": N_("Enter a quantity greater than 0, with at most 3 decimals."),
    "invalid_price": N_("Enter a unit price greater than 0, with at most 4 decimals."),
    "price_tiers_required": N_(
        "Give at least one price tier: from which quantity, at which unit price."),
    "price_tiers_not_ascending": N_(
        "List the tiers from the smallest quantity up, each starting higher than the last."),
    "first_tier_above_moq": N_(
        "Start the first price tier at the minimum order quantity or below."),
    "unknown_category": N_("Choose a category from the list."),
    "unknown_unit": N_("Choose a unit from the list."),
    "unknown_currency": N_("Choose a currency from the list."),
    "incoterms_required": N_("Offer at least one Incoterms rule, for example FOB or CIF."),
    "unknown_incoterm": N_("Choose Incoterms rules from the list."),
    "port_of_loading_required": N_(
        "FOB and FAS name the port where the goods are loaded: give the port of loading, "
        "for example Fuzhou."),
    "unknown_certification": N_("Choose certifications from the list."),
    "invalid_hs_code": N_(
        "Enter an HS code of 6, 8 or 10 digits, for example 0306.17 or 0306.17.00."),
    "invalid_latin_name": N_(
        "Write the scientific name as “Genus species”, for example Penaeus vannamei."),
    "capacity_below_moq": N_(
        "The monthly capacity is below the minimum order quantity, so no order could be "
        "filled."),
    "unknown_image": N_("This image is not one of your organization's uploads."),
    "duplicate_id": N_("This product appears twice in the file."),
    "product_not_found": N_(
        "There is no product with this id in your catalog; leave the id empty to create one."),
    "csv_encoding": N_("Save the file as CSV in UTF-8 (or GB18030) and import it again."),
}

_FIELD_MESSAGES = {
    "moq": N_("Enter a quantity such as 1000 or 2.5."),
    "monthly_capacity": N_("Enter a quantity such as 20000, or leave it empty."),
    "lead_time_days": N_("Enter a whole number of days between 0 and 730, or leave it empty."),
    "min_quantity": N_("Enter a quantity such as 1000 or 2.5."),
    "unit_price": N_("Enter a price such as 6.80."),
    "origin_country": N_("Choose a country from the list."),
}


@dataclass
class ProductForm:
    """What the form shows: values as typed, rows, and the errors next to each field."""

    values: dict[str, Any]
    tiers: list[tuple[str, str]]
    specs: list[tuple[str, str]]
    image_ids: list[int] = field(default_factory=list)  # kept images, in order
    errors: dict[str, str] = field(default_factory=dict)
    tier_rows: list[int] = field(default_factory=list)  # payload index -> form row
    spec_rows: list[int] = field(default_factory=list)

    @property
    def tier_lines(self) -> list[tuple[str, str]]:
        return _padded(self.tiers, BLANK_TIER_ROWS, MIN_TIER_ROWS, MAX_PRICE_TIERS)

    @property
    def spec_lines(self) -> list[tuple[str, str]]:
        return _padded(self.specs, BLANK_SPEC_ROWS, MIN_SPEC_ROWS, MAX_SPECIFICATIONS)


def _padded(rows: list[tuple[str, str]], blank: int, least: int, most: int
            ) -> list[tuple[str, str]]:
    wanted = min(most, max(least, len(rows) + blank))
    return [*rows, *[("", "")] * (wanted - len(rows))][:most]


def empty_form() -> ProductForm:
    return ProductForm(
        values={"unit": "kg", "currency": "USD", "origin_country": "CN",
                "incoterms": ["FOB"], "certifications": []},
        tiers=[],
        specs=[],
    )


def form_of(product: ProductRead) -> ProductForm:
    """The stored product, as the edit form shows it."""
    values: dict[str, Any] = {
        name: "" if getattr(product, name) is None else str(getattr(product, name))
        for name in TEXT_FIELDS
    }
    values["moq"] = _plain(product.moq)
    if product.monthly_capacity is not None:
        values["monthly_capacity"] = _plain(product.monthly_capacity)
    values["incoterms"] = list(product.incoterms)
    values["certifications"] = list(product.certifications)
    return ProductForm(
        values=values,
        tiers=[(_plain(t.min_quantity), _plain(t.unit_price, money=True))
               for t in product.price_tiers],
        specs=[(s.key, s.value) for s in product.specifications],
        image_ids=[image.id for image in product.images],
    )


def _plain(value: Any, *, money: bool = False) -> str:
    from decimal import Decimal

    number = Decimal(str(value)).normalize()
    text = format(number, "f")
    if money and "." in text and len(text.split(".")[1]) == 1:
        text += "0"
    return text


def read_form(form: FormData, existing_images: list[int]) -> ProductForm:
    """The posted form: values as typed (kept on the page if something is wrong)."""
    values: dict[str, Any] = {name: form_text(form, name) for name in TEXT_FIELDS}
    for name in LIST_FIELDS:
        values[name] = form_list(form, name)
    tiers = [
        (form_text(form, f"tier-{i}-quantity"), form_text(form, f"tier-{i}-price"))
        for i in range(MAX_PRICE_TIERS)
    ]
    specs = [
        (form_text(form, f"spec-{i}-key"), form_text(form, f"spec-{i}-value"))
        for i in range(MAX_SPECIFICATIONS)
    ]
    removed = {v for v in form_list(form, "remove_image") if v.isdigit()}
    return ProductForm(
        values=values,
        tiers=_trim(tiers),
        specs=_trim(specs),
        image_ids=[i for i in existing_images if str(i) not in removed],
    )


def _trim(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The rows up to the last one with anything typed in it (blank ones in between stay,
    so row numbers match what the person sees)."""
    last = max((i for i, row in enumerate(rows) if any(row)), default=-1)
    return rows[: last + 1]


def payload(product_form: ProductForm, new_image: int | None = None) -> dict[str, Any]:
    """The body for ``ProductCreate`` / ``ProductUpdate`` (every field, empty rows dropped)."""
    values = product_form.values
    body: dict[str, Any] = {name: values.get(name, "") for name in TEXT_FIELDS}
    for name in OPTIONAL_NUMBERS:
        if not body[name]:
            body[name] = None
    for name in LIST_FIELDS:
        body[name] = list(values.get(name, []))
    product_form.tier_rows = [i for i, row in enumerate(product_form.tiers) if any(row)]
    product_form.spec_rows = [i for i, row in enumerate(product_form.specs) if any(row)]
    body["price_tiers"] = [
        {"min_quantity": product_form.tiers[i][0], "unit_price": product_form.tiers[i][1]}
        for i in product_form.tier_rows
    ]
    body["specifications"] = [
        {"key": product_form.specs[i][0], "value": product_form.specs[i][1]}
        for i in product_form.spec_rows
    ]
    body["images"] = [*product_form.image_ids, *([new_image] if new_image else [])]
    return body


# --- errors -----------------------------------------------------------------------------------


def _field_key(product_form: ProductForm, loc: tuple[Any, ...]) -> str:
    """Where on the form an error at ``loc`` (inside the product body) is shown."""
    parts = [p for p in loc if p != "body"]
    if not parts:
        return "form"
    head = str(parts[0])
    if head in ("price_tiers", "specifications") and len(parts) >= 2:
        index = parts[1]
        rows = product_form.tier_rows if head == "price_tiers" else product_form.spec_rows
        if isinstance(index, int) and index < len(rows):
            row = rows[index]
            if head == "price_tiers":
                column = "price" if len(parts) > 2 and parts[2] == "unit_price" else "quantity"
                return f"tier-{row}-{column}"
            column = "value" if len(parts) > 2 and parts[2] == "value" else "key"
            return f"spec-{row}-{column}"
        return "tiers" if head == "price_tiers" else "specs"
    if head == "price_tiers":
        return "tiers"
    if head == "specifications":
        return "specs"
    return head


def _sentence(gettext: Callable[..., str], code: str, loc: tuple[Any, ...], raw: Any) -> str:
    if code in RULE_MESSAGES:
        return gettext(RULE_MESSAGES[code])
    last = next((str(p) for p in reversed(loc) if isinstance(p, str) and p != "body"), "")
    if code == "missing" or (code == "string_too_short" and not raw) or raw in ("", None):
        return gettext("This field is required.")
    if code == "string_too_long":
        return gettext("This is too long; shorten it.")
    if code == "control_character":
        return gettext("Remove the control characters (such as tabs copied from a spreadsheet).")
    if last in _FIELD_MESSAGES:
        return gettext(_FIELD_MESSAGES[last])
    if code == "too_long":
        return gettext("Remove some rows.")
    return gettext("Check this value and try again.")


def validation_errors(
    product_form: ProductForm, exc: ValidationError, gettext: Callable[..., str]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = tuple(error["loc"])
        key = _field_key(product_form, loc)
        errors.setdefault(key, _sentence(gettext, error["type"], loc, error.get("input")))
    return errors


def service_errors(
    product_form: ProductForm, exc: AppError, gettext: Callable[..., str]
) -> dict[str, str]:
    """A refusal from the catalog service, next to each field it is about."""
    errors: dict[str, str] = {}
    details = exc.details if isinstance(exc.details, list) else []
    for item in details:
        if not isinstance(item, dict):
            continue
        loc = tuple(item.get("loc") or ())
        key = _field_key(product_form, loc)
        errors.setdefault(key, _sentence(gettext, str(item.get("type", "")), loc, "x"))
    if not errors:
        errors["form"] = gettext(exc.message)
    return errors


@dataclass
class CsvLine:
    line: int
    column: str
    message: str


def csv_report(exc: AppError, gettext: Callable[..., str]) -> list[CsvLine]:
    """An import's problems, line by line, in the viewer's language where we can say it."""
    report = []
    for item in exc.details if isinstance(exc.details, list) else []:
        if not isinstance(item, dict):
            continue
        code = str(item.get("code", ""))
        message = (gettext(RULE_MESSAGES[code]) if code in RULE_MESSAGES
                   else str(item.get("message", "")))
        report.append(CsvLine(int(item.get("line", 0)), str(item.get("field", "")), message))
    return report

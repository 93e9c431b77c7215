"""Registering for a matchmaking session, and reading registrations back.

Rules: an organization registers once per session, as a buyer or a supplier by its kind
(organizers cannot: 403 ``buyer_or_supplier_required``); a supplier needs an approved booth in
the event (403 ``approved_booth_required``). Registration (and changing it) is open until the
deadline, then 409 ``registration_closed``. Availability is entered in the participant's own
time zone (default: the user's) and stored in UTC; a local time the zone skips is 422
``nonexistent_local_time``, and a window outside the session 422
``availability_outside_session``. Vocabulary fields are checked against the catalog's
reference lists, each with its own 422 code; ``details`` lists every problem at once.
Registrations are seen by their own organization and the organizer; to anyone else they do
not exist (404).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.audit import service as audit
from app.catalog import reference
from app.catalog.schemas import format_quantity
from app.errors import InvalidInput
from app.kit.pagination import cursor_id, encode_cursor
from app.matchmaking import profiles, repository, service
from app.matchmaking.errors import (
    AlreadyRegistered,
    ApprovedBoothRequired,
    EventClosedForMatchmaking,
    ParticipantKindRequired,
    ParticipantNotFound,
    RegistrationClosed,
)
from app.matchmaking.schemas import (
    AvailabilityRead,
    BuyerNeeds,
    DayWindowIn,
    ParticipantCreate,
    ParticipantRead,
    ParticipantUpdate,
    SupplierOffering,
)
from app.matchmaking.scoring import SupplierOffer
from app.matchmaking.service import Loaded
from app.matchmaking.slots import (
    Interval,
    NonexistentLocalTime,
    Slot,
    available_slots,
    local_range,
    merge,
    to_utc,
)
from app.models import MatchmakingParticipant
from app.models.base import utcnow

Problem = dict[str, Any]

_NEEDS_FIELDS = ("categories", "hs_codes", "product_ids", "species", "yearly_volume",
                 "volume_unit", "price_min", "price_max", "currency", "certifications",
                 "incoterms", "destination_port", "destination_market")
_OFFERING_FIELDS = ("categories", "hs_codes", "species", "certifications", "incoterms",
                    "ports", "export_markets", "moq", "moq_unit", "monthly_capacity",
                    "capacity_unit")
_EMPTY: dict[str, Any] = {
    "categories": [], "hs_codes": [], "product_ids": [], "species": [], "certifications": [],
    "incoterms": [], "ports": [], "export_markets": [], "yearly_volume": None,
    "volume_unit": None, "price_min": None, "price_max": None, "currency": None,
    "destination_port": "", "destination_market": None, "moq": None, "moq_unit": None,
    "monthly_capacity": None, "capacity_unit": None,
}


def _problem(loc: Sequence[str | int], code: str, message: str) -> Problem:
    return {"loc": ["body", *loc], "msg": message, "type": code}


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise InvalidInput(problems[0]["msg"], code=problems[0]["type"], details=problems)


# --- what a participant says about itself --------------------------------------------------


class _Checker:
    """Checks one profile's vocabulary fields, collecting every problem."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.problems: list[Problem] = []

    def fail(self, field: str, index: int | None, code: str, message: str) -> None:
        loc: list[str | int] = [self.prefix, field] + ([index] if index is not None else [])
        self.problems.append(_problem(loc, code, message))

    def codes(self, field: str, values: list[str], known: frozenset[str], code: str,
              message: str, normalize: Any = str.upper) -> list[str]:
        out = []
        for index, value in enumerate(values):
            normal = normalize(value)
            if normal not in known:
                self.fail(field, index, code, message)
            out.append(normal)
        return list(dict.fromkeys(out))

    def hs_prefixes(self, values: list[str]) -> list[str]:
        out = []
        for index, value in enumerate(values):
            digits = value.replace(".", "").replace(" ", "")
            if not digits.isdigit() or not 2 <= len(digits) <= 10 or not 1 <= int(digits[:2]) <= 97:
                self.fail("hs_codes", index, "invalid_hs_code",
                          "HS codes are 2 to 10 digits, dots allowed: 03, 0306, 0306.17.")
            out.append(digits)
        return list(dict.fromkeys(out))

    def quantity(self, value: Decimal | None, unit: str | None, field: str, unit_field: str
                 ) -> tuple[Decimal | None, str | None]:
        if value is None and unit is None:
            return None, None
        if value is None or unit is None:
            self.fail(unit_field if value is not None else field, None, "quantity_unit_required",
                      "Give a quantity together with its unit (kg, t, carton...).")
            return None, None
        if not value.is_finite() or value <= 0 or value >= Decimal(10) ** 12:
            self.fail(field, None, "invalid_quantity", "A quantity must be greater than zero.")
        if unit not in reference.UNIT_CODES:
            self.fail(unit_field, None, "invalid_unit",
                      "Use a unit from GET /products/reference (kg, t, carton...).")
        return value.quantize(Decimal("0.001")), unit

    def common(self, data: BuyerNeeds | SupplierOffering) -> dict[str, Any]:
        return {
            "categories": self.codes(
                "categories", data.categories, reference.CATEGORY_CODES, "invalid_category",
                "Use a category code from GET /products/reference.", normalize=str.lower),
            "hs_codes": self.hs_prefixes(data.hs_codes),
            "species": list(dict.fromkeys(data.species)),
            "certifications": self.codes(
                "certifications", data.certifications, reference.CERTIFICATION_CODES,
                "invalid_certification", "Use a certification scheme from GET "
                "/products/reference (HACCP, BRC, MSC...).",
                normalize=reference.certification_code),
            "incoterms": self.codes(
                "incoterms", data.incoterms, reference.INCOTERM_CODES, "invalid_incoterm",
                "Use an Incoterms 2020 rule: EXW, FCA, FOB, CFR, CIF..."),
        }


async def _needs(session: AsyncSession, event_id: int, data: BuyerNeeds) -> dict[str, Any]:
    check = _Checker("needs")
    values = check.common(data)
    found = await repository.event_products(session, event_id, data.product_ids)
    for index, product_id in enumerate(data.product_ids):
        if product_id not in found:
            check.fail("product_ids", index, "invalid_product",
                       "Name products shown in this event (by their id).")
    volume, unit = check.quantity(data.yearly_volume, data.volume_unit, "yearly_volume",
                                  "volume_unit")
    prices = [p for p in (data.price_min, data.price_max) if p is not None]
    for field, price in (("price_min", data.price_min), ("price_max", data.price_max)):
        if price is not None and (not price.is_finite() or price <= 0 or price >= 10**10):
            check.fail(field, None, "invalid_price", "A price must be greater than zero.")
    if (data.price_min is not None and data.price_max is not None
            and data.price_min > data.price_max):
        check.fail("price_max", None, "invalid_price_range",
                   "The highest target price must not be below the lowest.")
    currency = data.currency.upper() if data.currency else None
    if prices and currency is None:
        check.fail("currency", None, "currency_required", "Give the currency of your prices.")
    if currency is not None and not reference.is_currency(currency):
        check.fail("currency", None, "invalid_currency", "Use an ISO 4217 code: USD, EUR, CNY...")
    _raise(check.problems)
    return {
        **values, "product_ids": list(dict.fromkeys(data.product_ids)),
        "yearly_volume": volume, "volume_unit": unit,
        "price_min": data.price_min, "price_max": data.price_max,
        "currency": currency if prices or currency else None,
        "destination_port": data.destination_port,
        "destination_market": data.destination_market,
    }


def _offering(data: SupplierOffering) -> dict[str, Any]:
    check = _Checker("offering")
    values = check.common(data)
    moq, moq_unit = check.quantity(data.moq, data.moq_unit, "moq", "moq_unit")
    capacity, capacity_unit = check.quantity(data.monthly_capacity, data.capacity_unit,
                                             "monthly_capacity", "capacity_unit")
    _raise(check.problems)
    return {
        **values, "ports": list(dict.fromkeys(data.ports)),
        "export_markets": list(dict.fromkeys(data.export_markets)),
        "moq": moq, "moq_unit": moq_unit, "monthly_capacity": capacity,
        "capacity_unit": capacity_unit,
    }


def availability_intervals(
    windows: Sequence[DayWindowIn], zone: ZoneInfo, slots: Sequence[Slot]
) -> list[Interval]:
    """Local windows in the participant's zone as UTC intervals (merged)."""
    problems: list[Problem] = []
    intervals: list[Interval] = []
    first, last = (slots[0].starts_at, slots[-1].ends_at) if slots else (None, None)
    for index, window in enumerate(windows):
        try:
            start = to_utc(window.date, window.start, zone)
            end = to_utc(window.date, window.end, zone, latest=True)
        except NonexistentLocalTime:
            problems.append(_problem(
                ["availability", index], "nonexistent_local_time",
                "This local time does not exist in your time zone that day (the clocks skip "
                "it); choose another time."))
            continue
        if first is None or last is None or end <= first or start >= last:
            problems.append(_problem(
                ["availability", index], "availability_outside_session",
                "This window is outside the session's slots: check the date and your time "
                "zone."))
            continue
        intervals.append((start, end))
    _raise(problems)
    return merge(intervals)


# --- reading -------------------------------------------------------------------------------


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format_quantity(value)


def _profile(participant: MatchmakingParticipant, fields: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in fields:
        value = getattr(participant, field)
        out[field] = _decimal(value) if isinstance(value, Decimal) else value
    return out


def _catalog_offering(offer: SupplierOffer) -> dict[str, Any]:
    """What scoring reads from a supplier's catalog, booth and additions, all together."""
    return {
        "products": len(offer.items),
        "categories": sorted(offer.categories | {i.category for i in offer.items}),
        "hs_codes": sorted(offer.hs_codes | {i.hs_code for i in offer.items}),
        "certifications": sorted(offer.certifications),
        "incoterms": sorted(offer.incoterms),
        "ports": list(offer.ports),
        "export_markets": sorted(offer.export_markets),
    }


async def read_many(
    session: AsyncSession, loaded: Loaded, rows: Sequence[MatchmakingParticipant]
) -> list[ParticipantRead]:
    slots = await repository.slots_of(session, loaded.session.id)
    windows = await repository.availability_of(session, [p.id for p in rows])
    found = await profiles.load(session, loaded.session.id, utcnow(), only=list(rows))
    out = []
    for p in rows:
        zone = ZoneInfo(p.time_zone)
        org = found.organizations[p.organization_id]
        mine = windows.get(p.id, [])
        shown = []
        for start, end in mine:
            day, local_start, local_end = local_range(start, end, zone)
            shown.append(AvailabilityRead(date=day, start=local_start, end=local_end,
                                          starts_at=start.astimezone(zone),
                                          ends_at=end.astimezone(zone)))
        free = available_slots(slots, mine) if mine else frozenset(s.index for s in slots)
        offering = None
        if p.side == "supplier":
            offering = {**_profile(p, _OFFERING_FIELDS),
                        "from_catalog": _catalog_offering(found.suppliers[p.id])}
        out.append(ParticipantRead(
            id=p.id, session_id=p.session_id, organization_id=org.id,
            organization_name=org.name, country=org.country,
            side=p.side,  # type: ignore[arg-type]
            booth_id=p.booth_id, time_zone=p.time_zone, languages=p.languages,
            max_meetings=p.max_meetings, availability=shown, available_slots=sorted(free),
            needs=_profile(p, _NEEDS_FIELDS) if p.side == "buyer" else None,
            offering=offering, note=p.note, created_at=p.created_at, updated_at=p.updated_at,
        ))
    return out


# --- registering ---------------------------------------------------------------------------


def _refuse_if_closed(loaded: Loaded, now: datetime) -> None:
    if loaded.event.status == "closed":
        raise EventClosedForMatchmaking()
    ms = loaded.session
    if ms.status != "registration" or now >= ms.registration_deadline:
        raise RegistrationClosed(details={"registration_deadline":
                                          ms.registration_deadline.isoformat()})


def _max_meetings(value: int | None, loaded: Loaded) -> int:
    limit = loaded.session.max_meetings
    if value is None:
        return limit
    if value > limit:
        _raise([_problem(["max_meetings"], "max_meetings_too_high",
                         "At most as many meetings as the session allows each participant.")])
    return value


def _side_profile(side: str, needs: BuyerNeeds | None, offering: SupplierOffering | None
                  ) -> None:
    wrong = offering is not None if side == "buyer" else needs is not None
    if wrong:
        field = "offering" if side == "buyer" else "needs"
        _raise([_problem([field], "wrong_side_profile",
                         "Buyers send needs; suppliers send an offering.")])


async def register(
    session: AsyncSession, viewer: Principal, session_id: int, data: ParticipantCreate
) -> ParticipantRead:
    """Register the caller's organization (see the module's rules)."""
    loaded = await service.load(session, viewer, session_id)
    now = utcnow()
    organization_id = viewer.organization_id
    organizations = await repository.organizations(
        session, {organization_id} if organization_id is not None else set())
    organization = organizations.get(organization_id) if organization_id is not None else None
    if organization is None or organization.kind not in ("buyer", "supplier"):
        raise ParticipantKindRequired()
    _refuse_if_closed(loaded, now)
    side = organization.kind
    booth = None
    if side == "supplier":
        booth = await repository.approved_booth(session, loaded.event.id, organization.id)
        if booth is None:
            raise ApprovedBoothRequired()
    if await repository.participant_of(session, loaded.session.id, organization.id):
        raise AlreadyRegistered()
    _side_profile(side, data.needs, data.offering)
    values = dict(_EMPTY)
    if data.needs is not None:
        values.update(await _needs(session, loaded.event.id, data.needs))
    if data.offering is not None:
        values.update(_offering(data.offering))
    zone_name = data.time_zone or viewer.user.time_zone
    slots = await repository.slots_of(session, loaded.session.id)
    intervals = availability_intervals(data.availability, ZoneInfo(zone_name), slots)
    participant = MatchmakingParticipant(
        session_id=loaded.session.id, organization_id=organization.id, side=side,
        booth_id=booth.id if booth is not None else None, time_zone=zone_name,
        languages=data.languages if data.languages is not None else organization.languages,
        max_meetings=_max_meetings(data.max_meetings, loaded), note=data.note,
        registered_by_user_id=viewer.user_id, created_at=now, **values,
    )
    try:
        async with session.begin_nested():
            session.add(participant)
            await session.flush()
    except IntegrityError:
        # A colleague registered the organization at the same moment.
        raise AlreadyRegistered() from None
    await repository.replace_availability(session, participant.id, intervals)
    await audit.record(
        session, actor_user_id=viewer.user_id, organization_id=organization.id,
        action="matchmaking.registered", subject_type="matchmaking_session",
        subject_id=loaded.session.id, details={"participant_id": participant.id, "side": side},
    )
    return (await read_many(session, loaded, [participant]))[0]


async def get_own(session: AsyncSession, viewer: Principal, session_id: int) -> ParticipantRead:
    loaded = await service.load(session, viewer, session_id)
    participant = await service.own_participant(session, viewer, loaded)
    return (await read_many(session, loaded, [participant]))[0]


async def update_own(
    session: AsyncSession, viewer: Principal, session_id: int, data: ParticipantUpdate
) -> ParticipantRead:
    """Change the caller's registration until the deadline; needs or offering are replaced
    whole (null clears them)."""
    loaded = await service.load(session, viewer, session_id)
    participant = await service.own_participant(session, viewer, loaded)
    now = utcnow()
    _refuse_if_closed(loaded, now)
    changes = data.model_dump(exclude_unset=True)
    _side_profile(participant.side, data.needs, data.offering)
    values: dict[str, Any] = {}
    if "needs" in changes:
        values = dict(_EMPTY)
        if data.needs is not None:
            values.update(await _needs(session, loaded.event.id, data.needs))
    if "offering" in changes:
        values = dict(_EMPTY)
        if data.offering is not None:
            values.update(_offering(data.offering))
    if "max_meetings" in changes:
        values["max_meetings"] = _max_meetings(data.max_meetings, loaded)
    for field in ("languages", "note", "time_zone"):
        if field in changes:
            values[field] = changes[field]
    if "availability" in changes:
        # Read in the zone the update names (else the stored one); a zone change alone
        # keeps the same instants, shown in the new zone.
        slots = await repository.slots_of(session, loaded.session.id)
        zone = ZoneInfo(values.get("time_zone", participant.time_zone))
        intervals = availability_intervals(data.availability or [], zone, slots)
        await repository.replace_availability(session, participant.id, intervals)
    for field, value in values.items():
        setattr(participant, field, value)
    participant.updated_at = now
    await session.flush()
    return (await read_many(session, loaded, [participant]))[0]


async def _seen_by(
    session: AsyncSession, viewer: Principal, session_id: int
) -> tuple[Loaded, bool]:
    loaded = await service.load(session, viewer, session_id)
    return loaded, service.is_organizer(viewer, loaded)


async def get_participant(
    session: AsyncSession, viewer: Principal, session_id: int, participant_id: int
) -> ParticipantRead:
    loaded, organizer = await _seen_by(session, viewer, session_id)
    participant = await repository.get_participant(session, loaded.session.id, participant_id)
    if participant is None or not (organizer
                                   or viewer.is_member_of(participant.organization_id)):
        raise ParticipantNotFound()
    return (await read_many(session, loaded, [participant]))[0]


async def list_participants(
    session: AsyncSession, viewer: Principal, session_id: int, side: str | None, limit: int,
    cursor: str | None,
) -> tuple[list[ParticipantRead], str | None]:
    """Every registration, in order of registration: the organizer's view."""
    loaded = await service.organized(session, viewer, session_id)
    rows = await repository.participants(
        session, loaded.session.id, side=side, after_id=cursor_id(cursor), limit=limit + 1
    )
    items = await read_many(session, loaded, rows[:limit])
    next_cursor = encode_cursor([rows[limit - 1].id]) if len(rows) > limit else None
    return items, next_cursor

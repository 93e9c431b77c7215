"""Registering for a matchmaking session, on a page: a buyer's needs or a supplier's
additions to its catalog, availability in the participant's own time zone, languages and
the most meetings it wants.

The registration service decides (app/matchmaking/registration.py): only buyer and supplier
organizations register, suppliers with an approved booth, until the deadline. The form
posts here; refusals come back next to their fields in the viewer's language.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from app.errors import AppError, PermissionDenied
from app.kit.validation import Id
from app.matchmaking import registration, service, sessions
from app.matchmaking.errors import ParticipantKindRequired
from app.matchmaking.schemas import ParticipantCreate, ParticipantRead, ParticipantUpdate
from app.web.exhibition_view import View, ViewDep, form_list, form_text, is_page_error
from app.web.forms import language_options, parse_form, time_zone_names
from app.web.matchmaking_view import (
    local_time,
    rows,
    service_errors,
    split_list,
    validation_errors,
    whole_number,
    with_spares,
)
from app.web.messages import N_

router = APIRouter(include_in_schema=False)

AVAILABILITY_FIELDS = ("date", "start", "end")
LIST_FIELDS = ("categories", "certifications", "incoterms", "languages", "export_markets")
TEXT_FIELDS = ("time_zone", "max_meetings", "note", "hs_codes", "species", "yearly_volume",
               "volume_unit", "price_min", "price_max", "currency", "destination_port",
               "destination_market", "ports", "moq", "moq_unit", "monthly_capacity",
               "capacity_unit")
REGISTRATION_MESSAGES = {
    "time_zone": N_("Enter a time zone such as Asia/Shanghai or Europe/Madrid."),
    "languages": N_("Choose languages from the list."),
    "max_meetings": N_("Enter how many meetings you want, at least 1."),
    "availability": N_("Give each window a date, a start and an end time after the start."),
    "note": N_("Use at most 2,000 characters."),
    "yearly_volume": N_("Enter a number, e.g. 20 or 2.5."),
    "price_min": N_("Enter a price, e.g. 6.80."),
    "price_max": N_("Enter a price, e.g. 6.80."),
    "moq": N_("Enter a number, e.g. 20 or 2.5."),
    "monthly_capacity": N_("Enter a number, e.g. 20 or 2.5."),
    "destination_market": N_("Choose a country from the list."),
    "hs_codes": N_("Enter HS codes of 2 to 10 digits, separated by commas."),
}
SAVED = N_("Your registration is saved. See your recommendations next.")


def _decimal_text(value: Any) -> str:
    return "" if value is None else str(value)


def _values_of(read: ParticipantRead | None, default_zone: str, languages: list[str]
               ) -> dict[str, Any]:
    """A registration as the form shows it (availability in the participant's zone)."""
    if read is None:
        return {"time_zone": default_zone, "languages": languages, "availability": [],
                "max_meetings": "", **dict.fromkeys(LIST_FIELDS[:3], []),
                "export_markets": [], **{n: "" for n in TEXT_FIELDS if n not in (
                    "time_zone", "max_meetings")}, "product_ids": []}
    profile: dict[str, Any] = dict(read.needs or read.offering or {})
    values: dict[str, Any] = {
        "time_zone": read.time_zone, "languages": read.languages,
        "max_meetings": str(read.max_meetings), "note": read.note,
        "availability": [{"date": a.date.isoformat(), "start": local_time(a.start),
                          "end": local_time(a.end)} for a in read.availability],
        "product_ids": [str(i) for i in profile.get("product_ids", [])],
    }
    for name in ("categories", "certifications", "incoterms", "export_markets"):
        values[name] = list(profile.get(name) or [])
    for name in ("hs_codes", "species", "ports"):
        values[name] = ", ".join(profile.get(name) or [])
    for name in ("yearly_volume", "volume_unit", "price_min", "price_max", "currency",
                 "destination_port", "destination_market", "moq", "moq_unit",
                 "monthly_capacity", "capacity_unit"):
        values[name] = _decimal_text(profile.get(name))
    return values


def _form_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {name: form_text(form, name) for name in TEXT_FIELDS}
    for name in LIST_FIELDS:
        values[name] = form_list(form, name)
    values["availability"] = rows(form, "availability", AVAILABILITY_FIELDS)
    values["product_ids"] = form_list(form, "product_ids")
    return values


def _or_none(value: str) -> str | None:
    return value or None


def _profile(side: str, values: dict[str, Any]) -> dict[str, Any]:
    common = {
        "categories": values["categories"], "hs_codes": split_list(values["hs_codes"]),
        "species": split_list(values["species"]), "certifications": values["certifications"],
        "incoterms": values["incoterms"],
    }
    if side == "buyer":
        return {
            **common, "product_ids": [whole_number(i) for i in values["product_ids"]],
            "yearly_volume": _or_none(values["yearly_volume"]),
            "volume_unit": _or_none(values["volume_unit"]),
            "price_min": _or_none(values["price_min"]),
            "price_max": _or_none(values["price_max"]),
            "currency": _or_none(values["currency"]),
            "destination_port": values["destination_port"],
            "destination_market": _or_none(values["destination_market"]),
        }
    return {
        **common, "ports": split_list(values["ports"]),
        "export_markets": values["export_markets"],
        "moq": _or_none(values["moq"]), "moq_unit": _or_none(values["moq_unit"]),
        "monthly_capacity": _or_none(values["monthly_capacity"]),
        "capacity_unit": _or_none(values["capacity_unit"]),
    }


def _body(side: str, values: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "time_zone": values["time_zone"] or None,
        "languages": values["languages"] or None,
        "max_meetings": whole_number(values["max_meetings"]),
        "availability": values["availability"],
        "note": values["note"],
        "needs" if side == "buyer" else "offering": _profile(side, values),
    }
    # Left out rather than null: the registration keeps (or takes the default for) them.
    return {key: value for key, value in body.items() if value is not None}


async def _page(
    view: View, session_id: int, *, values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None, status_code: int = 200,
) -> Response:
    assert view.viewer is not None  # noqa: S101 - routes redirect anonymous viewers first
    ms = await sessions.get_session(view.session, view.viewer, session_id)
    side = view.organization_kind
    if side not in ("buyer", "supplier"):
        raise ParticipantKindRequired()
    mine = (await registration.get_own(view.session, view.viewer, ms.id)
            if ms.your_participant_id is not None else None)
    user = view.viewer.user
    organization_languages = view.organization.languages if view.organization else []
    if values is None:
        values = _values_of(mine, user.time_zone, organization_languages)
    return view.render(
        "matchmaking/register.html", status_code=status_code, ms=ms, side=side, mine=mine,
        open="register" in ms.allowed_actions,
        values={**values, "availability": with_spares(values["availability"],
                                                      AVAILABILITY_FIELDS)},
        errors=errors or {}, time_zones=time_zone_names(),
        language_codes=language_options(values["languages"]),
        saved=view._(SAVED) if view.request.query_params.get("saved") else None,
    )


@router.get("/matchmaking/{session_id}/register", response_class=HTMLResponse)
async def registration_form(session_id: Id, view: ViewDep) -> Response:
    if view.viewer is None:
        return view.login()
    return await _page(view, session_id)


@router.post("/matchmaking/{session_id}/register", response_class=HTMLResponse)
async def register(session_id: Id, view: ViewDep) -> Response:
    """Register, or change the registration (the same form)."""
    viewer = view.viewer
    if viewer is None:
        return view.login()
    form = await parse_form(view.request)
    view.ctx.require_csrf(form.get("csrf_token"))
    loaded = await service.load(view.session, viewer, session_id)
    side = view.organization_kind
    if side not in ("buyer", "supplier"):
        raise ParticipantKindRequired()
    values = _form_values(form)
    body = _body(side, values)
    registered = (await sessions.read(view.session, viewer, loaded)).your_participant_id
    try:
        if registered is None:
            await registration.register(view.session, viewer, session_id,
                                        ParticipantCreate.model_validate(body))
        else:
            await registration.update_own(view.session, viewer, session_id,
                                          ParticipantUpdate.model_validate(body))
    except ValidationError as exc:
        return await _page(view, session_id, values=values, status_code=422,
                           errors=validation_errors(view, exc, REGISTRATION_MESSAGES))
    except AppError as exc:
        # A supplier without an approved booth is told here, with what to do next.
        if not (is_page_error(exc) or isinstance(exc, PermissionDenied)):
            raise
        await view.recover()
        return await _page(view, session_id, values=values, status_code=exc.status_code,
                           errors=service_errors(view, exc, "form"))
    return view.redirect(f"/matchmaking/{session_id}/register?saved=1")

"""Rules for booths: applying, the exhibitor's profile, the organizer's decision.

Applying: a supplier organization's member applies for one booth per event (409
``booth_exists``; the unique constraint holds it under races too), in a hall of that event
(422 ``invalid_hall``), while the event is published or live (409 ``event_not_open``).
Buyers and organizers cannot apply (403 ``supplier_required``).

Status: ``applied → approved | rejected``, exactly as DESIGN.md says, decided once by the event
organizer's members (a rejection needs a reason). A decision is final: anything else is 409
``booth_status_conflict``, and the decision is a conditional update so two racing decisions
cannot both win. Each decision is audited and emailed to the exhibitor's owners.

Visibility: approved booths are public (anonymous visitors too). A booth in another status is
seen only by its exhibitor's members and the event organizer's members; for everyone else it
is 404. Changes: the two parties to a booth are its exhibitor and the event's organizer; a party
attempting the other party's action gets 403 (``organizer_required``, ``exhibitor_required``),
anyone else 404 for any change, even on a public booth: another company's booth is not theirs.
A closed event's booths are read-only (409 ``event_closed``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.audit import service as audit
from app.booths import repository
from app.booths.repository import BoothQuery, BoothRow
from app.booths.schemas import (
    BoothApply,
    BoothRead,
    BoothReject,
    BoothSummary,
    BoothUpdate,
    CertificationRead,
)
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.events import service as events
from app.kit.pagination import decode_cursor, encode_cursor
from app.media import service as media
from app.models import Booth, BoothCertification, Event
from app.models.base import utcnow
from app.organizations import service as organizations
from app.outbox import service as outbox

OPEN_EVENT_STATUSES = ("published", "live")


class BoothNotFound(NotFound):
    code = "booth_not_found"
    message = "No such booth."


class SupplierRequired(PermissionDenied):
    code = "supplier_required"
    message = "Only supplier organizations can apply for a booth."


class ExhibitorRequired(PermissionDenied):
    code = "exhibitor_required"
    message = "Only the exhibitor's team can edit its booth."


class EventNotOpen(Conflict):
    code = "event_not_open"
    message = "This event does not take booth applications now."


class BoothExists(Conflict):
    code = "booth_exists"
    message = "Your organization already has a booth in this event; edit that one instead."


class BoothStatusConflict(Conflict):
    code = "booth_status_conflict"
    message = "The booth's status does not allow this."


def _on_field(error: InvalidInput, field: str) -> InvalidInput:
    """Point the error at the body field, in the shape of a validation error's details.

    (Messages are spelled out where the error is made, so the translation catalog finds them.)
    """
    error.details = [{"loc": ["body", field], "msg": error.message, "type": error.code}]
    return error


def _invalid_hall() -> InvalidInput:
    return _on_field(
        InvalidInput("This hall is not part of the event; choose one of its halls.",
                     code="invalid_hall"),
        "hall_id",
    )


def _invalid_media(field: str) -> InvalidInput:
    return _on_field(
        InvalidInput("This image is not one of your organization's uploads; upload it first.",
                     code="invalid_media"),
        field,
    )


# --- reading -------------------------------------------------------------------------------


async def _certifications(
    session: AsyncSession, booth_ids: Sequence[int]
) -> dict[int, list[CertificationRead]]:
    found = await repository.certifications_for(session, booth_ids)
    return {
        booth_id: [CertificationRead.model_validate(c) for c in items]
        for booth_id, items in found.items()
    }


def _fields(row: BoothRow, model: type[BoothSummary]) -> dict[str, Any]:
    names = set(model.model_fields) - {"certifications", "hall_name", "hall_name_zh",
                                       "supplier_name", "supplier_country"}
    return {
        **{name: getattr(row.booth, name) for name in names},
        "hall_name": row.hall_name,
        "hall_name_zh": row.hall_name_zh,
        "supplier_name": row.supplier_name,
        "supplier_country": row.supplier_country,
    }


async def _read(session: AsyncSession, booth_id: int) -> BoothRead:
    row = await repository.get_row(session, booth_id)
    if row is None:
        raise BoothNotFound()
    certifications = await _certifications(session, [booth_id])
    return BoothRead.model_validate(
        {**_fields(row, BoothRead), "certifications": certifications.get(booth_id, [])}
    )


@dataclass(frozen=True)
class _Parties:
    booth: Booth
    event: Event
    is_exhibitor: bool
    is_organizer: bool


async def _parties(session: AsyncSession, viewer: Principal | None, booth_id: int) -> _Parties:
    booth = await repository.get_booth(session, booth_id)
    if booth is None:
        raise BoothNotFound()
    event = await events.visible_event(session, viewer, booth.event_id)
    return _Parties(
        booth=booth,
        event=event,
        is_exhibitor=viewer is not None and viewer.is_member_of(booth.supplier_id),
        is_organizer=events.is_organizer(viewer, event),
    )


def _can_see(viewer: Principal | None, parties: _Parties) -> bool:
    return (
        parties.booth.status == "approved"
        or parties.is_exhibitor
        or parties.is_organizer
        or (viewer is not None and viewer.is_admin)
    )


async def visible_booth_and_event(
    session: AsyncSession, viewer: Principal | None, booth_id: int
) -> tuple[Booth, Event]:
    """The booth and its event if the viewer may see the booth (see ``visible_booth``): for
    callers that need both, without reading the event twice."""
    try:
        parties = await _parties(session, viewer, booth_id)
    except events.EventNotFound as exc:
        raise BoothNotFound() from exc
    if not _can_see(viewer, parties):
        raise BoothNotFound()
    return parties.booth, parties.event


async def visible_booth(session: AsyncSession, viewer: Principal | None, booth_id: int) -> Booth:
    """The booth if the viewer may see it (approved: anyone; else its two parties), else 404."""
    booth, _event = await visible_booth_and_event(session, viewer, booth_id)
    return booth


async def get_booth(session: AsyncSession, viewer: Principal | None, booth_id: int) -> BoothRead:
    """Approved booths are public; others only for the exhibitor's and organizer's members."""
    booth = await visible_booth(session, viewer, booth_id)
    return await _read(session, booth.id)


def _booth_key(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    values = decode_cursor(cursor)
    try:
        return events.cursor_int(values[0])
    except (IndexError, TypeError, ValueError) as exc:
        raise events.invalid_cursor() from exc


@dataclass(frozen=True)
class BoothFilters:
    status: str | None = None
    hall_id: int | None = None
    text: str | None = None
    certification: str | None = None  # a scheme code (see app.booths.certifications)
    market: str | None = None  # an ISO 3166-1 alpha-2 code


async def list_booths(
    session: AsyncSession,
    viewer: Principal | None,
    event_id: int,
    filters: BoothFilters,
    *,
    limit: int,
    cursor: str | None,
) -> tuple[list[BoothSummary], str | None]:
    """The event's booths the viewer may see, in application order.

    Without ``status``: the approved booths, plus the viewer's own booth whatever its status.
    With ``status``: booths in that status among those the viewer may see, so the organizer's
    members get the review queue with ``status=applied`` and an exhibitor only its own booth.
    The certification filter ignores certificates that have expired.
    """
    event = await events.visible_event(session, viewer, event_id)
    rows = await repository.list_booths(
        session,
        BoothQuery(
            event_id=event.id,
            status=filters.status,
            own_supplier_id=viewer.organization_id if viewer is not None else None,
            all_statuses=events.is_organizer(viewer, event)
            or (viewer is not None and viewer.is_admin),
            hall_id=filters.hall_id,
            text=filters.text,
            certification=filters.certification,
            market=filters.market,
            today=utcnow().date(),
        ),
        limit=limit + 1,
        after_id=_booth_key(cursor),
    )
    items = await _summaries(session, rows[:limit])
    next_cursor = encode_cursor([items[-1].id]) if len(rows) > limit else None
    return items, next_cursor


MAX_OWN_BOOTHS = 500


async def list_own_booths(
    session: AsyncSession, viewer: Principal, *, event_ids: Sequence[int] | None = None
) -> list[BoothSummary]:
    """The viewer's organization's booths in every event (or those of ``event_ids``), in any
    status, newest application first: an exhibitor's "my booths". Empty for non-suppliers."""
    if viewer.organization_id is None:
        return []
    rows = await repository.list_supplier_booths(
        session, viewer.organization_id, event_ids=event_ids, limit=MAX_OWN_BOOTHS
    )
    return await _summaries(session, rows)


async def _summaries(session: AsyncSession, rows: Sequence[BoothRow]) -> list[BoothSummary]:
    certifications = await _certifications(session, [row.booth.id for row in rows])
    return [
        BoothSummary.model_validate(
            {**_fields(row, BoothSummary),
             "certifications": certifications.get(row.booth.id, [])}
        )
        for row in rows
    ]


# --- applying ------------------------------------------------------------------------------


async def apply(
    session: AsyncSession, viewer: Principal, event_id: int, data: BoothApply
) -> BoothRead:
    """A supplier's member applies for its organization's one booth in an open event."""
    event = await events.visible_event(session, viewer, event_id)
    if viewer.organization_id is None:
        raise SupplierRequired()
    supplier = await organizations.get_profile(session, viewer.organization_id)
    if supplier.kind != "supplier":
        raise SupplierRequired()
    if event.status not in OPEN_EVENT_STATUSES:
        details = {"status": event.status, "allowed": list(OPEN_EVENT_STATUSES)}
        if event.status == "closed":
            raise EventNotOpen(
                "This event is closed; it no longer takes booth applications.", details=details
            )
        raise EventNotOpen(
            "This event is not published yet; applications open when it is.", details=details
        )
    if await events.get_hall(session, event.id, data.hall_id) is None:
        raise _invalid_hall()
    if await repository.find_booth(session, event.id, supplier.id) is not None:
        raise BoothExists()
    booth = Booth(
        event_id=event.id,
        hall_id=data.hall_id,
        supplier_id=supplier.id,
        status="applied",
        description=data.description,
        description_zh=data.description_zh,
        export_markets=[],
    )
    session.add(booth)
    try:
        await session.flush()
    except IntegrityError as exc:
        # Of concurrent applications, the unique constraint lets one through; the others land
        # here once it commits. A foreign key failure means the hall was deleted meanwhile.
        if "unique" in str(exc.orig).lower():
            raise BoothExists() from exc
        raise _invalid_hall() from exc
    await _audit(session, viewer, booth, "booth.applied", {"hall_id": booth.hall_id})
    return await _read(session, booth.id)


# --- the exhibitor's profile ---------------------------------------------------------------


async def _check_media(session: AsyncSession, booth: Booth, changes: dict[str, Any]) -> None:
    wanted = {field: changes[field] for field in ("logo_id", "banner_id")
              if changes.get(field) is not None}
    if not wanted:
        return
    owned = await media.owned_by(session, booth.supplier_id, set(wanted.values()))
    for field, media_id in wanted.items():
        if media_id not in owned:
            raise _invalid_media(field)


async def update_booth(
    session: AsyncSession, viewer: Principal, booth_id: int, data: BoothUpdate
) -> BoothRead:
    """The exhibitor's members edit the profile (any status); the hall only while applied.

    Images must be the exhibitor's own uploads (422 ``invalid_media``). Everything is checked
    before anything is written.
    """
    parties = await _parties_for_change(session, viewer, booth_id)
    if not parties.is_exhibitor:
        raise ExhibitorRequired()
    booth, event = parties.booth, parties.event
    if event.status == "closed":
        raise events.EventClosed()
    changes = data.model_dump(exclude_unset=True)
    new_hall = changes.get("hall_id")
    if new_hall is not None and new_hall != booth.hall_id:
        if booth.status != "applied":
            raise BoothStatusConflict(
                "The hall can change only while the application is pending; this booth has "
                "been decided on.",
                details={"status": booth.status, "allowed_from": ["applied"]},
            )
        if await events.get_hall(session, event.id, new_hall) is None:
            raise _invalid_hall()
    await _check_media(session, booth, changes)

    certifications = changes.pop("certifications", None)
    if not changes and certifications is None:
        return await _read(session, booth.id)
    if "video_url" in changes and data.video_url is not None:
        changes["video_url"] = str(data.video_url)
    for field, value in changes.items():
        setattr(booth, field, value)
    booth.updated_at = utcnow()
    await session.flush()
    if certifications is not None:
        await repository.replace_certifications(
            session,
            booth.id,
            [BoothCertification(booth_id=booth.id, **item) for item in certifications],
        )
    fields = sorted([*changes, *(["certifications"] if certifications is not None else [])])
    await _audit(session, viewer, booth, "booth.updated", {"fields": fields})
    return await _read(session, booth.id)


async def _parties_for_change(
    session: AsyncSession, viewer: Principal, booth_id: int
) -> _Parties:
    """The booth's parties, or 404 for someone who is neither of them."""
    try:
        parties = await _parties(session, viewer, booth_id)
    except events.EventNotFound as exc:
        raise BoothNotFound() from exc
    if not (parties.is_exhibitor or parties.is_organizer):
        raise BoothNotFound()
    return parties


async def party_booth(session: AsyncSession, viewer: Principal, booth_id: int) -> Booth:
    """The booth if the viewer is one of its parties (exhibitor or organizer), else 404."""
    parties = await _parties_for_change(session, viewer, booth_id)
    return parties.booth


# --- the organizer's decision --------------------------------------------------------------


async def approve(session: AsyncSession, viewer: Principal, booth_id: int) -> BoothRead:
    """applied → approved, by the event organizer's members; the booth becomes public."""
    return await _decide(session, viewer, booth_id, "approved", None)


async def reject(
    session: AsyncSession, viewer: Principal, booth_id: int, data: BoothReject
) -> BoothRead:
    """applied → rejected with a reason the exhibitor is sent, by the organizer's members."""
    return await _decide(session, viewer, booth_id, "rejected", data.reason)


def _decision_conflict(current: str) -> BoothStatusConflict:
    details = {"status": current, "allowed_from": ["applied"]}
    if current == "approved":
        return BoothStatusConflict(
            "The booth is already approved, and a decision is final.", details=details
        )
    return BoothStatusConflict(
        "The booth was rejected, and a decision is final.", details=details
    )


async def _decide(
    session: AsyncSession, viewer: Principal, booth_id: int, to_status: str, reason: str | None
) -> BoothRead:
    parties = await _parties_for_change(session, viewer, booth_id)
    if not parties.is_organizer:
        raise events.OrganizerRequired("Only the event's organizer can decide on applications.")
    booth, event = parties.booth, parties.event
    if event.status == "closed":
        raise events.EventClosed()
    if booth.status != "applied":
        raise _decision_conflict(booth.status)
    decided = await repository.decide(
        session, booth.id, to_status=to_status, reason=reason, decided_by_id=viewer.user_id,
        now=utcnow(),
    )
    await repository.reload(session, booth)
    if not decided:  # decided by someone else since we read it
        raise _decision_conflict(booth.status)
    await _audit(
        session, viewer, booth, f"booth.{to_status}",
        {"from": "applied", "to": to_status, **({"reason": reason} if reason else {})},
    )
    read = await _read(session, booth.id)
    await _notify_decision(session, read, event)
    return read


async def _notify_decision(session: AsyncSession, booth: BoothRead, event: Event) -> None:
    title = event.title
    title_zh = event.title_zh or event.title
    if booth.status == "approved":
        subject = f"Your booth at {title} is approved"
        hall_zh = booth.hall_name_zh or booth.hall_name
        body = (
            f"Good news: the organizer of {title} approved {booth.supplier_name}'s booth in "
            f"the hall \"{booth.hall_name}\". It is now visible to every visitor of the event. "
            "Complete your booth profile and list your products so buyers find you.\n\n"
            f"{title_zh} 的主办方已批准 {booth.supplier_name} 的展位（展区：{hall_zh}）。"
            "展位现已对所有访客可见。请完善展位资料并上架产品。\n"
        )
    else:
        subject = f"Your booth application for {title} was not accepted"
        body = (
            f"The organizer of {title} did not accept {booth.supplier_name}'s booth "
            f"application.\n\nReason given: {booth.rejection_reason}\n\n"
            f"{title_zh} 的主办方未通过 {booth.supplier_name} 的展位申请。\n"
            f"原因：{booth.rejection_reason}\n"
        )
    for address in await organizations.owner_emails(session, booth.supplier_id):
        await outbox.queue_email(session, to=address, subject=subject, body=body)


async def _audit(
    session: AsyncSession, viewer: Principal, booth: Booth, action: str, details: dict[str, Any]
) -> None:
    await audit.record(
        session,
        actor_user_id=viewer.user_id,
        organization_id=viewer.organization_id,
        action=action,
        subject_type="booth",
        subject_id=booth.id,
        details={"event_id": booth.event_id, **details},
    )

"""Who may see and do what in a matchmaking session; the session's status rules.

Visibility: a session exists for whoever may see its event (drafts: the organizer's members
only); for anyone else it is 404 ``matchmaking_session_not_found``. The event's organizer
runs the session (create, edit, schedule, adjust meetings, status); anyone else doing that
gets 403 ``organizer_required``. Participant data (recommendations, requests, agenda) belongs
to the participant's organization: another organization gets 404, and an organization that
can see the session but is not registered gets 403 ``registration_required``.

Status: ``registration → scheduling → scheduled → live → finished``. Scheduling starts when
the organizer asks for a schedule (after the registration deadline); a finished job makes the
session ``scheduled`` (a re-run goes through ``scheduling`` again); the organizer takes it
``live`` and ``finished``. An action its status does not allow is 409
``matchmaking_status_conflict`` whose ``details.allowed_actions`` say what it allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.errors import NotFound
from app.events import service as events
from app.events.service import OrganizerRequired
from app.kit.timezones import zone_or_utc
from app.kit.translation import N_
from app.matchmaking import repository
from app.matchmaking.errors import (
    RegistrationRequired,
    SessionNotFound,
    StatusConflict,
)
from app.models import Event, MatchmakingParticipant, MatchmakingSession

# What each status allows; the organizer's pages and API clients read these names.
_ALLOWED: dict[str, tuple[str, ...]] = {
    "registration": ("edit", "edit_timing", "register", "request_meetings", "schedule"),
    "scheduling": ("edit", "schedule", "edit_meetings"),
    "scheduled": ("edit", "schedule", "edit_meetings", "go_live"),
    "live": ("edit_title", "edit_meetings", "finish"),
    "finished": (),
}

_STATUS_MESSAGES = {
    "registration": N_(
        "Registration is open: the session can be edited and, after the deadline, scheduled."
    ),
    "scheduling": N_(
        "The session is being scheduled: it can be scheduled again or have its meetings "
        "adjusted."
    ),
    "scheduled": N_(
        "The session is scheduled: it can be scheduled again, have its meetings adjusted, "
        "or go live."
    ),
    "live": N_("The session is live: only its meetings can be adjusted, and it can be finished."),
    "finished": N_("The session is finished: it can no longer change."),
}


@dataclass(frozen=True)
class Loaded:
    """A session with its event, as the caller may see it."""

    session: MatchmakingSession
    event: Event

    @property
    def zone(self) -> ZoneInfo:
        return zone_or_utc(self.event.time_zone)


def allowed_actions(session: MatchmakingSession, now: datetime) -> list[str]:
    actions = list(_ALLOWED.get(session.status, ()))
    if session.status == "registration":
        # Registration (and with it meeting requests) closes at the deadline; scheduling
        # opens then.
        if now >= session.registration_deadline:
            actions = [a for a in actions if a not in ("register", "request_meetings")]
        else:
            actions.remove("schedule")
    return actions


def status_conflict(session: MatchmakingSession, now: datetime) -> StatusConflict:
    return StatusConflict(
        session.status, allowed_actions(session, now), _STATUS_MESSAGES.get(session.status)
    )


def require(session: MatchmakingSession, action: str, now: datetime) -> None:
    """Refuse (409 ``matchmaking_status_conflict``) an action the status does not allow."""
    if action not in _ALLOWED.get(session.status, ()):
        raise status_conflict(session, now)


async def load(
    session: AsyncSession, viewer: Principal | None, session_id: int, *,
    for_update: bool = False,
) -> Loaded:
    """The session if the viewer may see its event, else 404."""
    found = await repository.get_session(session, session_id, for_update=for_update)
    if found is None:
        raise SessionNotFound()
    try:
        event = await events.visible_event(session, viewer, found.event_id)
    except NotFound:
        raise SessionNotFound() from None
    return Loaded(found, event)


def is_organizer(viewer: Principal | None, loaded: Loaded) -> bool:
    return events.is_organizer(viewer, loaded.event)


async def organized(
    session: AsyncSession, viewer: Principal, session_id: int, *, for_update: bool = False
) -> Loaded:
    """The session if the viewer acts for the event's organizer: 404 if invisible, 403 if
    visible but not theirs."""
    loaded = await load(session, viewer, session_id, for_update=for_update)
    if not is_organizer(viewer, loaded):
        raise OrganizerRequired()
    return loaded


async def own_participant(
    session: AsyncSession, viewer: Principal, loaded: Loaded
) -> MatchmakingParticipant:
    """The caller's organization's registration (403 ``registration_required`` if none)."""
    organization_id = viewer.organization_id
    participant = (
        await repository.participant_of(session, loaded.session.id, organization_id)
        if organization_id is not None else None
    )
    if participant is None:
        raise RegistrationRequired()
    return participant

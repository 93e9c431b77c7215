"""The matchmaking domain's errors, each with a stable code clients can branch on."""

from __future__ import annotations

from typing import Any

from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied, TooManyRequests


class SessionNotFound(NotFound):
    code = "matchmaking_session_not_found"
    message = "No such matchmaking session."


class ParticipantNotFound(NotFound):
    code = "participant_not_found"
    message = "No such participant in this session."


class MeetingRequestNotFound(NotFound):
    code = "meeting_request_not_found"
    message = "No such meeting request."


class MeetingNotFound(NotFound):
    code = "meeting_not_found"
    message = "No such meeting in this session."


class ScheduleJobNotFound(NotFound):
    code = "schedule_job_not_found"
    message = "No such scheduling job for this session."


class MustMeetNotFound(NotFound):
    code = "must_meet_not_found"
    message = "No such must-meet mark in this session."


class RegistrationRequired(PermissionDenied):
    code = "registration_required"
    message = "Register your organization for this session first."


class ParticipantKindRequired(PermissionDenied):
    code = "buyer_or_supplier_required"
    message = "Only buyer and supplier organizations take part in matchmaking sessions."


class ApprovedBoothRequired(PermissionDenied):
    code = "approved_booth_required"
    message = (
        "Suppliers need an approved booth in this event to register; apply for one first."
    )


class NotRecipient(PermissionDenied):
    code = "not_request_recipient"
    message = "Only the organization the request was sent to can answer it."


class NotSender(PermissionDenied):
    code = "not_request_sender"
    message = "Only the organization that sent the request can cancel it."


class StatusConflict(Conflict):
    """The session's status does not allow the action; ``details`` names what it allows."""

    code = "matchmaking_status_conflict"
    message = "The session's status does not allow this."

    def __init__(self, status: str, allowed: list[str], message: str | None = None) -> None:
        super().__init__(message, details={"status": status, "allowed_actions": allowed})


class EventClosedForMatchmaking(Conflict):
    code = "event_not_open"
    message = "This event is not open: matchmaking sessions need a published or live event."


class RegistrationClosed(Conflict):
    code = "registration_closed"
    message = "Registration for this session has closed."


class AlreadyRegistered(Conflict):
    code = "already_registered"
    message = "Your organization is already registered; edit its registration instead."


class MeetingRequestExists(Conflict):
    code = "meeting_request_exists"
    message = "There already is an open meeting request between you and this participant."


class MeetingRequestExpired(Conflict):
    code = "meeting_request_expired"
    message = "This meeting request has expired; send a new one if you still want to meet."


class MeetingRequestNotPending(Conflict):
    code = "meeting_request_not_pending"
    message = "This meeting request has already been answered or withdrawn."


class MeetingRequestQuota(Conflict):
    code = "meeting_request_quota"
    message = (
        "You have reached your limit of pending meeting requests; wait for answers or "
        "cancel one."
    )


class MeetingRequestDailyCap(TooManyRequests):
    code = "meeting_request_daily_cap"
    message = "You have sent as many meeting requests as allowed in a day; try again later."


class ScheduleInProgress(Conflict):
    code = "schedule_in_progress"
    message = "A scheduling job is already running for this session; wait for it to finish."


class MeetingRuleViolated(Conflict):
    """A hand-made change breaks a scheduling rule; the code names the rule."""

    message = "This change breaks a scheduling rule."

    def __init__(self, code: str, message: str, details: Any = None) -> None:
        super().__init__(message, code=code, details=details)


def field_error(field: str, message: str, code: str, *, loc: list[str | int] | None = None
                ) -> InvalidInput:
    """A 422 with a stable code that points at the field at fault."""
    return InvalidInput(
        message, code=code,
        details=[{"loc": ["body", *(loc or [field])], "msg": message, "type": code}],
    )

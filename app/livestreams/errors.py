"""The livestream domain's errors (stable codes; see docs/api.md)."""

from __future__ import annotations

from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied, TooManyRequests


class LivestreamNotFound(NotFound):
    code = "livestream_not_found"
    message = "No such livestream."


class HostRequired(PermissionDenied):
    code = "livestream_host_required"
    message = "Only the booth's members can do this."


class ModeratorRequired(PermissionDenied):
    code = "livestream_moderator_required"
    message = "Only the booth's members and the event's organizer can moderate this show."


class LivestreamNotLive(Conflict):
    code = "livestream_not_live"
    message = "The show is not live."


class LivestreamStatusConflict(Conflict):
    code = "livestream_status_conflict"
    message = "The show's status does not allow this."


class BoothNotApproved(Conflict):
    code = "booth_not_approved"
    message = "Shows can be scheduled once the organizer has approved the booth."


class ProductNotAvailable(InvalidInput):
    code = "product_not_available"
    message = "This product is not one of the booth's current products."


class InvalidBody(InvalidInput):
    code = "invalid_body"
    message = "Write 1 to 500 characters, without control characters."


class ChatMuted(PermissionDenied):
    code = "chat_muted"
    message = "A moderator muted you in this show's chat for now."


class ChatSlowMode(TooManyRequests):
    code = "chat_slow_mode"
    message = "Slow mode is on: wait a moment before your next message."

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(retry_after=retry_after_seconds)
        self.details = {"retry_after_seconds": retry_after_seconds}


class ChatMessageNotFound(NotFound):
    code = "chat_message_not_found"
    message = "No such message in this show's chat."


class ChatMessageDeleted(Conflict):
    code = "chat_message_deleted"
    message = ("A moderator removed this message; sending it again does not bring it back. "
               "Write a new one if you want to say something else.")


class CannotMuteModerator(InvalidInput):
    code = "cannot_mute_moderator"
    message = "The show's hosts and the event's organizer cannot be muted."


class UnknownUser(InvalidInput):
    code = "unknown_user"
    message = "No such user."

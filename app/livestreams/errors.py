"""The livestream domain's errors (stable codes; see docs/api.md)."""

from __future__ import annotations

from app.errors import Conflict, NotFound, PermissionDenied


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

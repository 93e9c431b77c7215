"""Livestreams: a booth's shows, the event's schedule, start/end, follow, the pinned product,
chat and its moderation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.api.deps import CurrentPrincipal, OptionalPrincipal, SessionDep
from app.api.responses import COMMON_ERRORS, error_responses
from app.errors import InvalidInput
from app.kit.pagination import Page, PageDep
from app.kit.validation import MAX_ID, Id
from app.livestreams import access, chat, followers, moderation, pins
from app.livestreams import service as livestreams
from app.livestreams.schemas import (
    ChatCreate,
    ChatMessageRead,
    LivestreamCreate,
    LivestreamRead,
    LivestreamUpdate,
    MuteCreate,
    MuteRead,
    PinCreate,
    ProductCard,
    SettingsRead,
    SlowModeUpdate,
    When,
)

router = APIRouter(tags=["livestreams"], responses=error_responses(*COMMON_ERRORS))

_SEEN = error_responses(404, described={404: "livestream_not_found"})
_HOST = error_responses(401, 403, 404, described={
    403: "livestream_host_required", 404: "livestream_not_found",
})
_MODERATE = error_responses(401, 403, 404, described={
    403: "livestream_moderator_required", 404: "livestream_not_found",
})
_MOVE = error_responses(401, 403, 404, 409, described={
    403: "livestream_host_required", 404: "livestream_not_found",
    409: "livestream_status_conflict, event_closed",
})


@router.post(
    "/booths/{booth_id}/livestreams",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 409, 422, described={
        403: "livestream_host_required", 404: "booth_not_found",
        409: "booth_not_approved, event_closed", 422: "invalid_url or validation_error",
    }),
)
async def create_livestream(
    booth_id: Id, data: LivestreamCreate, principal: CurrentPrincipal, session: SessionDep
) -> LivestreamRead:
    """The booth's members schedule a show with the stream's playback URL."""
    return await livestreams.create(session, principal, booth_id, data)


@router.get("/booths/{booth_id}/livestreams",
            responses=error_responses(404, described={404: "booth_not_found"}))
async def list_booth_livestreams(
    booth_id: Id, viewer: OptionalPrincipal, session: SessionDep, page: PageDep
) -> Page[LivestreamRead]:
    """The booth's shows, latest scheduled start first."""
    return await livestreams.list_for_booth(session, viewer, booth_id, page.limit, page.cursor)


@router.get("/events/{event_id}/livestreams",
            responses=error_responses(404, 422, described={
                404: "event_not_found", 422: "invalid_cursor or validation_error",
            }))
async def event_schedule(
    event_id: Id, viewer: OptionalPrincipal, session: SessionDep, page: PageDep,
    when: When = "all",
) -> Page[LivestreamRead]:
    """The event's schedule: live shows first, then upcoming ones by scheduled start, then
    ended ones; ``next_cursor`` leads to the next page (null on the last one)."""
    return await livestreams.schedule(session, viewer, event_id, when, page.limit, page.cursor)


@router.get("/livestreams/{livestream_id}", responses=_SEEN)
async def get_livestream(
    livestream_id: Id, viewer: OptionalPrincipal, session: SessionDep
) -> LivestreamRead:
    return await livestreams.get(session, viewer, livestream_id)


@router.patch(
    "/livestreams/{livestream_id}",
    responses=error_responses(401, 403, 404, 409, 422, described={
        403: "livestream_host_required", 404: "livestream_not_found",
        409: "livestream_status_conflict (scheduled_start of a show that started), "
             "event_closed",
        422: "invalid_url or validation_error",
    }),
)
async def update_livestream(
    livestream_id: Id, data: LivestreamUpdate, principal: CurrentPrincipal,
    session: SessionDep,
) -> LivestreamRead:
    """The host edits the show (only the fields sent change)."""
    return await livestreams.update(session, principal, livestream_id, data)


@router.post("/livestreams/{livestream_id}/start", responses=_MOVE)
async def start_livestream(
    livestream_id: Id, principal: CurrentPrincipal, session: SessionDep
) -> LivestreamRead:
    """scheduled → live; the show's followers are notified."""
    return await livestreams.start(session, principal, livestream_id)


@router.post("/livestreams/{livestream_id}/end", responses=_MOVE)
async def end_livestream(
    livestream_id: Id, principal: CurrentPrincipal, session: SessionDep
) -> LivestreamRead:
    """live → ended."""
    return await livestreams.end(session, principal, livestream_id)


@router.put("/livestreams/{livestream_id}/follow", status_code=status.HTTP_204_NO_CONTENT,
            responses=_SEEN)
async def follow_livestream(
    livestream_id: Id, principal: CurrentPrincipal, session: SessionDep
) -> None:
    """"Remind me": you get a ``livestream.live`` notification when the show starts."""
    await followers.follow(session, principal, livestream_id)


@router.delete("/livestreams/{livestream_id}/follow", status_code=status.HTTP_204_NO_CONTENT,
               responses=_SEEN)
async def unfollow_livestream(
    livestream_id: Id, principal: CurrentPrincipal, session: SessionDep
) -> None:
    await followers.unfollow(session, principal, livestream_id)


@router.put(
    "/livestreams/{livestream_id}/pin",
    responses=error_responses(401, 403, 404, 409, 422, described={
        403: "livestream_host_required", 404: "livestream_not_found",
        409: "livestream_status_conflict (the show has ended)", 422: "product_not_available",
    }),
)
async def pin_product(
    livestream_id: Id, data: PinCreate, principal: CurrentPrincipal, session: SessionDep
) -> ProductCard:
    """The host pins one of the supplier's products; the room sees its card at once."""
    return await pins.pin(session, principal, livestream_id, data.product_id)


@router.delete("/livestreams/{livestream_id}/pin", status_code=status.HTTP_204_NO_CONTENT,
               responses=_HOST)
async def unpin_product(
    livestream_id: Id, principal: CurrentPrincipal, session: SessionDep
) -> None:
    await pins.unpin(session, principal, livestream_id)


@router.get(
    "/livestreams/{livestream_id}/chat",
    responses=error_responses(404, 422, described={
        404: "livestream_not_found", 422: "validation_error (after_id and before_id together)",
    }),
)
async def chat_replay(
    livestream_id: Id, viewer: OptionalPrincipal, session: SessionDep,
    after_id: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=chat.REPLAY_MAX)] = 50,
) -> Page[ChatMessageRead]:
    """The chat, oldest first, deleted lines left out. With ``after_id``: the lines after it
    (``next_cursor``: the after_id of the next page). Otherwise the latest lines, or those
    just before ``before_id`` (``next_cursor``: the before_id of the next older page).
    ``next_cursor`` is null when there is nothing more."""
    if after_id is not None and before_id is not None:
        raise InvalidInput("Give after_id or before_id, not both.")
    seen = await access.seen(session, viewer, livestream_id)
    items = await chat.replay(session, seen.livestream.id, after_id, before_id, limit)
    next_cursor = None
    if len(items) == limit:
        next_cursor = str(items[-1].id if after_id is not None else items[0].id)
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "/livestreams/{livestream_id}/chat",
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": ChatMessageRead,
              "description": "A retry: the line stored the first time with this "
                             "client_msg_id, as it was."},
        **error_responses(401, 403, 404, 409, 422, 429, described={
            403: "chat_muted (details.until)", 404: "livestream_not_found",
            409: "livestream_not_live, chat_message_deleted (a retry of a line a moderator "
                 "removed; details.id)",
            422: "invalid_body, or validation_error (client_msg_id)",
            429: "chat_slow_mode (details.retry_after_seconds)",
        }),
    },
)
async def post_chat(
    livestream_id: Id, data: ChatCreate, principal: CurrentPrincipal, session: SessionDep,
    response: Response,
) -> ChatMessageRead:
    """Say something in a live show's chat (the same rules as the socket's ``chat.send``).
    A retry with a ``client_msg_id`` you already used in this show returns the stored line
    (200) instead of posting it twice; slow mode and mutes do not refuse it."""
    seen = await access.seen(session, principal, livestream_id)
    posted = await chat.post(session, principal, seen.livestream.id, data.body,
                             client_msg_id=data.client_msg_id)
    if not posted.created:
        response.status_code = status.HTTP_200_OK
    return posted.message


@router.delete(
    "/livestreams/{livestream_id}/chat/{message_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404, described={
        403: "livestream_moderator_required",
        404: "livestream_not_found, chat_message_not_found",
    }),
)
async def delete_chat_message(
    livestream_id: Id, message_id: Id, principal: CurrentPrincipal, session: SessionDep
) -> None:
    """A moderator hides a line for everyone, live and in the replay."""
    await moderation.delete_message(session, principal, livestream_id, message_id)


@router.post(
    "/livestreams/{livestream_id}/mutes",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 422, described={
        403: "livestream_moderator_required", 404: "livestream_not_found",
        422: "cannot_mute_moderator, unknown_user or validation_error",
    }),
)
async def mute_user(
    livestream_id: Id, data: MuteCreate, principal: CurrentPrincipal, session: SessionDep
) -> MuteRead:
    """A moderator silences a user in this show's chat for some minutes (up to a week)."""
    return await moderation.mute(session, principal, livestream_id, data.user_id, data.minutes)


@router.delete("/livestreams/{livestream_id}/mutes/{user_id}",
               status_code=status.HTTP_204_NO_CONTENT, responses=_MODERATE)
async def unmute_user(
    livestream_id: Id, user_id: Id, principal: CurrentPrincipal, session: SessionDep
) -> None:
    await moderation.unmute(session, principal, livestream_id, user_id)


@router.get("/livestreams/{livestream_id}/mutes", responses=error_responses(
    401, 403, 404, 422, described={
        403: "livestream_moderator_required", 404: "livestream_not_found",
        422: "invalid_cursor or validation_error",
    }))
async def list_mutes(
    livestream_id: Id, principal: CurrentPrincipal, session: SessionDep, page: PageDep
) -> Page[MuteRead]:
    """The mutes still running, soonest to end first; ``next_cursor`` leads to the next page
    (null on the last one)."""
    return await moderation.list_mutes(session, principal, livestream_id, page.limit,
                                       page.cursor)


@router.put("/livestreams/{livestream_id}/slow-mode", responses=_MODERATE)
async def set_slow_mode(
    livestream_id: Id, data: SlowModeUpdate, principal: CurrentPrincipal, session: SessionDep
) -> SettingsRead:
    """Least seconds between two lines of one viewer (0: off); the room is told."""
    return await moderation.set_slow_mode(session, principal, livestream_id, data.seconds)

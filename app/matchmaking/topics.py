"""``matchmaking:{id}``: a session's live channel (ephemeral).

Who may join: members of the event's organizer and of the session's registered
organizations; to anyone else the topic does not exist (``topic_not_found``). Asked again at
every action, since a registration or a membership can end while a socket is open.

Events: ``schedule.queued``, ``schedule.progress``, ``schedule.done``,
``schedule.failed`` (the organizer's console); the live day's ``clock``, ``meeting.start``,
``live.stats`` and ``broadcast``, and its action ``broadcast.send`` (live_topics.py, which
also registers the ``meeting:{id}`` rooms).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.config import Settings
from app.errors import AppError
from app.matchmaking import live, live_topics, repository, service
from app.realtime.topics import TopicHandler, TopicNotFound, TopicRegistry


def _session_id(topic_id: str) -> int:
    if not topic_id.isdigit() or not 0 < int(topic_id) < 2**31:
        raise TopicNotFound()
    return int(topic_id)


async def _organizer_or_participant(
    session: AsyncSession, principal: Principal, topic_id: str
) -> None:
    try:
        loaded = await service.load(session, principal, _session_id(topic_id))
    except AppError:
        raise TopicNotFound() from None
    if service.is_organizer(principal, loaded):
        return
    organization_id = principal.organization_id
    if organization_id is None or await repository.participant_of(
        session, loaded.session.id, organization_id
    ) is None:
        raise TopicNotFound()
    if not await repository.is_member(session, principal.user_id, organization_id):
        raise TopicNotFound()


async def _authorize_action(
    session: AsyncSession, principal: Principal, topic_id: str, _action: str
) -> None:
    await _organizer_or_participant(session, principal, topic_id)


def register(registry: TopicRegistry, settings: Settings | None = None) -> None:
    policy = live.Policy.from_settings(settings)
    registry.register(TopicHandler(
        prefix="matchmaking",
        authorize_join=_organizer_or_participant,
        authorize_action=_authorize_action,
        durable=False,
        presence=False,
        actions=live_topics.session_actions(),
        after_join=live_topics.session_after_join(policy),
    ))
    live_topics.register(registry, policy)

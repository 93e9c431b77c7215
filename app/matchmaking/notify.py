"""Tell an organization's members about matchmaking: a ``user:{id}`` notification, and an
email for what they must not miss (a request to answer, an answer, a changed agenda)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.matchmaking import repository
from app.outbox.notify import notify_users

# Email subject per notification kind, English then Chinese.
_EMAIL_TEXT = {
    "meeting_request.received": ("New meeting request", "新的洽谈会面请求"),
    "meeting_request.accepted": ("Meeting request accepted", "会面请求已接受"),
    "meeting_request.declined": ("Meeting request declined", "会面请求被拒绝"),
    "meeting.scheduled": ("Your matchmaking agenda is ready", "您的洽谈日程已排好"),
    "meeting.changed": ("A meeting in your agenda changed", "您的日程中有会面变更"),
    "meeting.cancelled": ("A meeting in your agenda was cancelled", "您的日程中有会面被取消"),
}


async def notify_organization(
    session: AsyncSession,
    *,
    organization_id: int,
    kind: str,
    session_id: int,
    title: str,
    data: dict[str, Any],
) -> None:
    """Notify every member of ``organization_id``; ``title`` names the session."""
    payload = {"kind": kind, "matchmaking_session_id": session_id, "title": title, **data}
    text = _EMAIL_TEXT.get(kind)
    email = None
    if text is not None:
        english, chinese = text
        email = (f"{english}: {title}",
                 f"{english} in the matchmaking session {title} on TradeHall "
                 f"(session {session_id}).\n\n{chinese}：{title}（洽谈会 {session_id}）。\n")
    await notify_users(session, await repository.member_contacts(session, organization_id),
                       payload, email)

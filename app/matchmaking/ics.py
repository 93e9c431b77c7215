"""A participant's agenda as an iCalendar file (RFC 5545), for any calendar app.

Times are UTC (``...Z``), so no VTIMEZONE is needed and every client shows them in its own
zone. Each meeting's UID is stable (``meeting-{id}@{host}``): a re-exported or re-run agenda
updates the events already imported instead of duplicating them, and ``SEQUENCE`` (the
meeting's, raised whenever it moves) tells the calendar which copy is newer. The icalendar
package writes the CRLF line endings, folds long lines and escapes text.
"""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event

from app.kit.translation import N_
from app.matchmaking.agenda import Agenda
from app.matchmaking.reasons import ENGLISH, Voice

SUMMARY = N_("Meeting with %(partner)s")


def agenda_ics(agenda: Agenda, host: str, now: datetime, voice: Voice = ENGLISH) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//TradeHall//Matchmaking//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", agenda.session.title)
    rows = {m.id: m for m in agenda.meetings}
    for item in agenda.read.items:
        meeting = rows[item.meeting_id]
        event = Event()
        event.add("uid", f"meeting-{meeting.id}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("sequence", meeting.sequence)
        event.add("last-modified", meeting.updated_at or meeting.created_at)
        event.add("summary", voice.gettext(SUMMARY, partner=item.partner.name))
        event.add("location", item.place)
        event.add("description", "\n".join(r.text for r in item.reasons))
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return bytes(calendar.to_ical())

"""A person's event data for /export_my_data, and forgetting it (/forget_me).

Forgetting someone mid-event drops their registrations, meeting requests and booked slots,
follow-up answers and pending notices; the other side of each accepted meeting still to
come gets a notice row (delivered by the next pass) that the meeting is off.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col

from storage.events.events import aware, events_of, get_event
from storage.events.followup import followups_of, forget_followups
from storage.events.meetings import delete_meetings_of, meetings_involving
from storage.events.notices import delete_notices_of, insert_notices
from storage.events.tables import EventRegistration, FollowUpOptOut, MeetingStatus


def person_data(*, session: Session, telegram_id: int) -> dict[str, Any]:
    """Everything the feature keeps about one person, as plain JSON values."""
    events = events_of(session=session, telegram_id=telegram_id)
    meetings = meetings_involving(session=session, telegram_id=telegram_id)
    return {
        "registrations": [{"event": e.title, "starts_at": aware(e.starts_at).isoformat()}
                          for e in events],
        "meetings": [{"event_id": m.event_id, "with": m.target_id if m.requester_id
                      == telegram_id else m.requester_id, "status": m.status,
                      "message": m.message if m.requester_id == telegram_id else "",
                      "slot": aware(m.slot_start).isoformat() if m.slot_start else None,
                      "table": m.table_no} for m in meetings],
        "follow_up_answers": [{"source": f.source, "months": f.months, "met": f.met,
                               "project": f.project, "may_mention": f.mention,
                               "project_name": f.project_name} for f in followups_of(
            session=session, telegram_id=telegram_id)],
        "follow_up_opted_out": session.get(FollowUpOptOut, telegram_id) is not None,
    }


def forget_person(*, session: Session, telegram_id: int, now: datetime) -> None:
    """Remove the person's event data; tell the other side of meetings still to come."""
    gone = delete_meetings_of(session=session, telegram_id=telegram_id)
    rows = []
    for meeting in gone:
        event = get_event(session=session, event_id=meeting.event_id)
        if (meeting.status != MeetingStatus.ACCEPTED.value or event is None
                or aware(event.ends_at) < now):
            continue
        other = meeting.target_id if meeting.requester_id == telegram_id else meeting.requester_id
        rows.append({"key": f"gone:{meeting.id}:{other}", "kind": "gone", "chat_id": other,
                     "payload": {"event_id": meeting.event_id, "title": event.title},
                     "due_at": now})
    session.execute(delete(EventRegistration).where(
        col(EventRegistration.telegram_id) == telegram_id))
    forget_followups(session=session, telegram_id=telegram_id)
    delete_notices_of(session=session, chat_id=telegram_id)
    insert_notices(session=session, rows=rows, now=now)

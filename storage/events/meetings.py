"""Data access for B2B meeting requests, their slots and seats.

Booking writes the meeting's slot and table and one `MeetingSeat` per person in one unit;
the unique seat (event, person, slot) and the unique table (event, slot, table) make a
double-booking impossible even when two presses race: the loser gets `SlotTaken`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam, delete, func, insert, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.events.tables import EventMeeting, MeetingSeat, MeetingStatus
from storage.members.tables import Profile

OPEN_STATUSES = (MeetingStatus.REQUESTED.value, MeetingStatus.ACCEPTED.value)


class SlotTaken(Exception):
    """One of the two people, or the table, is booked for that slot already."""


def profiles_of(*, session: Session, ids: Iterable[int]) -> dict[int, Profile]:
    """Matchmaking profiles by owner's Telegram id (read from the members' table)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {int(p.member_telegram_id or 0): p for p in session.exec(
        select(Profile).where(col(Profile.member_telegram_id).in_(wanted))).all()}


def open_meeting_between(*, session: Session, event_id: int, a: int, b: int
                         ) -> EventMeeting | None:
    """A requested or accepted meeting of the two at this event, in either direction."""
    return session.exec(select(EventMeeting).where(
        EventMeeting.event_id == event_id, col(EventMeeting.status).in_(OPEN_STATUSES),
        or_(col(EventMeeting.requester_id) == a, col(EventMeeting.target_id) == a),
        or_(col(EventMeeting.requester_id) == b, col(EventMeeting.target_id) == b))).first()


def waiting_requests(*, session: Session, event_id: int, requester_id: int) -> int:
    """Requests a person made at an event that wait for an answer."""
    return int(session.exec(select(func.count()).select_from(EventMeeting).where(
        EventMeeting.event_id == event_id, EventMeeting.requester_id == requester_id,
        EventMeeting.status == MeetingStatus.REQUESTED.value)).one())


def create_request(*, session: Session, event_id: int, requester_id: int, target_id: int,
                   message: str, now: datetime) -> EventMeeting:
    meeting = EventMeeting(event_id=event_id, requester_id=requester_id, target_id=target_id,
                           message=message, created_at=now)
    session.add(meeting)
    session.flush()
    return meeting


def get_meeting(*, session: Session, meeting_id: int) -> EventMeeting | None:
    return session.get(EventMeeting, meeting_id)


def meetings_of_event(*, session: Session, event_id: int,
                      statuses: tuple[str, ...] | None = None) -> list[EventMeeting]:
    query = select(EventMeeting).where(EventMeeting.event_id == event_id)
    if statuses:
        query = query.where(col(EventMeeting.status).in_(statuses))
    return list(session.exec(query.order_by(col(EventMeeting.slot_start),
                                            col(EventMeeting.id))).all())


def meetings_of_person(*, session: Session, event_id: int, telegram_id: int
                       ) -> list[EventMeeting]:
    return list(session.exec(select(EventMeeting).where(
        EventMeeting.event_id == event_id,
        or_(col(EventMeeting.requester_id) == telegram_id,
            col(EventMeeting.target_id) == telegram_id))
        .order_by(col(EventMeeting.slot_start), col(EventMeeting.id))).all())


def busy_slots(*, session: Session, event_id: int) -> list[tuple[int, datetime]]:
    """(person, slot start) of every booked seat of the event."""
    return [(int(p), s) for p, s in session.exec(select(
        MeetingSeat.telegram_id, MeetingSeat.slot_start).where(
        MeetingSeat.event_id == event_id)).all()]


def taken_tables(*, session: Session, event_id: int) -> list[tuple[datetime, int]]:
    return [(s, int(n or 0)) for s, n in session.exec(select(
        EventMeeting.slot_start, EventMeeting.table_no).where(
        EventMeeting.event_id == event_id, col(EventMeeting.slot_start).is_not(None),
        col(EventMeeting.table_no).is_not(None))).all() if s is not None and n]


def decide(*, session: Session, meeting: EventMeeting, status: MeetingStatus,
           now: datetime) -> None:
    meeting.status, meeting.decided_at = status.value, now
    session.add(meeting)
    session.flush()


def free_seats(*, session: Session, meeting_id: int) -> None:
    """Drop the meeting's seats and slot (cancelled, or about to be moved)."""
    session.execute(delete(MeetingSeat).where(col(MeetingSeat.meeting_id) == meeting_id))
    session.execute(update(EventMeeting).where(col(EventMeeting.id) == meeting_id)
                    .values(slot_start=None, table_no=None))


def book(*, session: Session, meeting: EventMeeting, slot: datetime, table: int | None) -> None:
    """Give the meeting `slot` (and `table`); SlotTaken, with nothing changed, when either
    person or the table is taken for it."""
    try:
        with session.begin_nested():
            free_seats(session=session, meeting_id=meeting.id or 0)
            for person in (meeting.requester_id, meeting.target_id):
                session.add(MeetingSeat(meeting_id=meeting.id or 0, event_id=meeting.event_id,
                                        telegram_id=person, slot_start=slot))
            session.execute(update(EventMeeting).where(col(EventMeeting.id) == meeting.id)
                            .values(slot_start=slot, table_no=table))
            session.flush()
    except IntegrityError as exc:
        raise SlotTaken(str(slot)) from exc
    session.refresh(meeting)


def book_many(*, session: Session, plan: list[tuple[EventMeeting, datetime, int | None]]
              ) -> None:
    """Write a whole slot plan at once (executemany, no ORM bookkeeping); the unique seats
    still guard it: SlotTaken, with nothing written, if it conflicts with a booking."""
    if not plan:
        return
    seats = [{"meeting_id": meeting.id, "event_id": meeting.event_id, "telegram_id": person,
              "slot_start": slot}
             for meeting, slot, _ in plan for person in (meeting.requester_id,
                                                         meeting.target_id)]
    table = EventMeeting.__table__  # type: ignore[attr-defined]
    try:
        with session.begin_nested():
            session.execute(update(table).where(table.c.id == bindparam("meeting"))
                            .values(slot_start=bindparam("slot"), table_no=bindparam("no")),
                            [{"meeting": m.id, "slot": slot, "no": no} for m, slot, no in plan])
            session.execute(insert(MeetingSeat), seats)
    except IntegrityError as exc:
        raise SlotTaken("plan") from exc


def meetings_involving(*, session: Session, telegram_id: int) -> list[EventMeeting]:
    """Every meeting request a person made or received, at any event."""
    return list(session.exec(select(EventMeeting).where(or_(
        col(EventMeeting.requester_id) == telegram_id,
        col(EventMeeting.target_id) == telegram_id)).order_by(col(EventMeeting.id))).all())


def delete_meetings_of(*, session: Session, telegram_id: int) -> list[EventMeeting]:
    """Forget a person's meetings; returns them (detached) so the other side can be told."""
    meetings = meetings_involving(session=session, telegram_id=telegram_id)
    ids = [m.id for m in meetings]
    if ids:
        session.execute(delete(MeetingSeat).where(col(MeetingSeat.meeting_id).in_(ids)))
        session.execute(delete(EventMeeting).where(col(EventMeeting.id).in_(ids)))
    return meetings

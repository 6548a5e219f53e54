"""Data access for the follow-up of introductions and meetings after 3 and 6 months.

An occasion is one accepted introduction (the members' contact requests, read from their
table) or one accepted meeting at an event, asked to each side once per `months`. Only
occasions of the last `HORIZON_DAYS` are looked at, so a pass stays small however long the
cluster has kept its records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.events.tables import (
    Event,
    EventMeeting,
    FollowUp,
    FollowUpOptOut,
    MeetingStatus,
)
from storage.members.tables import ContactRequest

HORIZON_DAYS = 400  # the 6-month question plus slack for a bot that was down a while
INTRO, MEETING = "intro", "meeting"


@dataclass(frozen=True)
class Occasion:
    """An introduction or meeting of two people, and when it happened."""

    source: str
    source_id: int
    people: tuple[int, int]
    at: datetime
    event_id: int | None = None


def occasions_since(*, session: Session, since: datetime, until: datetime) -> list[Occasion]:
    """Accepted introductions and meetings that happened between `since` and `until`."""
    found: list[Occasion] = []
    for request in session.exec(select(ContactRequest).where(
            ContactRequest.status == "accepted", col(ContactRequest.decided_at) >= since,
            col(ContactRequest.decided_at) <= until,
            col(ContactRequest.target_telegram_id).is_not(None))).all():
        found.append(Occasion(INTRO, request.id or 0,
                              (request.requester_id, int(request.target_telegram_id or 0)),
                              request.decided_at or request.created_at))
    rows = session.exec(select(EventMeeting, Event.starts_at).join(
        Event, col(Event.id) == col(EventMeeting.event_id)).where(
        EventMeeting.status == MeetingStatus.ACCEPTED.value, col(Event.cancelled_at).is_(None),
        col(Event.starts_at) >= since, col(Event.starts_at) <= until)).all()
    for meeting, starts_at in rows:
        found.append(Occasion(MEETING, meeting.id or 0, (meeting.requester_id,
                                                         meeting.target_id),
                              meeting.slot_start or starts_at, meeting.event_id))
    return found


def opted_out(*, session: Session) -> set[int]:
    return {int(i) for i in session.exec(select(FollowUpOptOut.telegram_id)).all()}


def opt_out(*, session: Session, telegram_id: int, now: datetime) -> None:
    if session.get(FollowUpOptOut, telegram_id) is None:
        session.add(FollowUpOptOut(telegram_id=telegram_id, at=now))


def projects_reported(*, session: Session, since: datetime) -> set[tuple[int, str, int]]:
    """(person, source, source id) for which the person has reported a project."""
    return {(int(p), s, int(i)) for p, s, i in session.exec(select(
        FollowUp.telegram_id, FollowUp.source, FollowUp.source_id).where(
        col(FollowUp.project).is_(True), col(FollowUp.asked_at) >= since)).all()}


def add_followups(*, session: Session, rows: list[tuple[int, str, int, int]], now: datetime
                  ) -> dict[tuple[int, str, int, int], int]:
    """Create the answer rows of questions being asked now; returns their ids by occasion."""
    created: dict[tuple[int, str, int, int], int] = {}
    for person, source, source_id, months in rows:
        found = session.exec(select(FollowUp).where(
            FollowUp.telegram_id == person, FollowUp.source == source,
            FollowUp.source_id == source_id, FollowUp.months == months)).first()
        if found is None:
            found = FollowUp(telegram_id=person, source=source, source_id=source_id,
                             months=months, asked_at=now)
            session.add(found)
            session.flush()
        created[(person, source, source_id, months)] = found.id or 0
    return created


def get_followup(*, session: Session, followup_id: int) -> FollowUp | None:
    return session.get(FollowUp, followup_id)


def save_followup(*, session: Session, followup: FollowUp) -> None:
    session.add(followup)
    session.flush()


def new_projects(*, session: Session, since: datetime) -> list[FollowUp]:
    """Answers since `since` saying a project started, one per occasion (the first)."""
    seen: set[tuple[str, int]] = set()
    found: list[FollowUp] = []
    earlier = {(s, int(i)) for s, i in session.exec(select(FollowUp.source, FollowUp.source_id)
               .where(col(FollowUp.project).is_(True), col(FollowUp.answered_at) < since)).all()}
    for answer in session.exec(select(FollowUp).where(
            col(FollowUp.project).is_(True), col(FollowUp.answered_at) >= since)
            .order_by(col(FollowUp.answered_at))).all():
        occasion = (answer.source, answer.source_id)
        if occasion in earlier or occasion in seen:
            continue
        seen.add(occasion)
        found.append(answer)
    return found


def followups_of(*, session: Session, telegram_id: int) -> list[FollowUp]:
    return list(session.exec(select(FollowUp).where(FollowUp.telegram_id == telegram_id)).all())


def forget_followups(*, session: Session, telegram_id: int) -> None:
    session.execute(delete(FollowUp).where(col(FollowUp.telegram_id) == telegram_id))
    session.execute(delete(FollowUpOptOut).where(col(FollowUpOptOut.telegram_id)
                                                 == telegram_id))


def months_ago(now: datetime, months: int) -> datetime:
    """The moment `months` months before `now` (a month counted as 30.5 days)."""
    return now - timedelta(days=round(30.5 * months))


def partner_of(*, session: Session, followup: FollowUp) -> tuple[int | None, str | None]:
    """The other person of the answer's occasion, and the event's title for a meeting."""
    if followup.source == INTRO:
        request = session.get(ContactRequest, followup.source_id)
        if request is None:
            return None, None
        other = (request.target_telegram_id if request.requester_id == followup.telegram_id
                 else request.requester_id)
        return other, None
    meeting = session.get(EventMeeting, followup.source_id)
    if meeting is None:
        return None, None
    event = session.get(Event, meeting.event_id)
    other = meeting.target_id if meeting.requester_id == followup.telegram_id \
        else meeting.requester_id
    return other, event.title if event else None

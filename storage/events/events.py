"""Data access for events and their registrations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.accounts.tables import Member
from storage.events.tables import Event, EventRegistration


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def create_event(*, session: Session, **fields: Any) -> Event:
    """Store a new event (fields as in `Event`)."""
    event = Event(**fields)
    session.add(event)
    session.flush()
    return event


def get_event(*, session: Session, event_id: int) -> Event | None:
    return session.get(Event, event_id)


def event_by_token(*, session: Session, token: str) -> Event | None:
    return session.exec(select(Event).where(Event.invite_token == token)).first()


def upcoming_events(*, session: Session, now: datetime, limit: int = 20) -> list[Event]:
    """Events not cancelled that have not ended, soonest first."""
    return list(session.exec(select(Event).where(
        col(Event.cancelled_at).is_(None), col(Event.ends_at) >= now)
        .order_by(col(Event.starts_at)).limit(limit)).all())


def all_events(*, session: Session) -> list[Event]:
    return list(session.exec(select(Event).order_by(col(Event.starts_at))).all())


def registered_count(*, session: Session, event_id: int) -> int:
    return int(session.exec(select(func.count()).select_from(EventRegistration)
                            .where(EventRegistration.event_id == event_id)).one())


def is_registered(*, session: Session, event_id: int, telegram_id: int) -> bool:
    return session.exec(select(EventRegistration.id).where(
        EventRegistration.event_id == event_id,
        EventRegistration.telegram_id == telegram_id)).first() is not None


def register(*, session: Session, event: Event, telegram_id: int, now: datetime) -> str:
    """"ok", "already" or "full"; the capacity is checked and the row written in one unit
    (a race past the capacity is caught by counting again after the insert)."""
    if is_registered(session=session, event_id=event.id or 0, telegram_id=telegram_id):
        return "already"
    if registered_count(session=session, event_id=event.id or 0) >= event.capacity:
        return "full"
    try:
        with session.begin_nested():
            session.add(EventRegistration(event_id=event.id or 0, telegram_id=telegram_id,
                                          registered_at=now))
    except IntegrityError:
        return "already"
    if registered_count(session=session, event_id=event.id or 0) > event.capacity:
        raise OverflowError("registered past the capacity")  # rolled back by the caller
    return "ok"


def unregister(*, session: Session, event_id: int, telegram_id: int) -> bool:
    result = session.execute(delete(EventRegistration).where(
        col(EventRegistration.event_id) == event_id,
        col(EventRegistration.telegram_id) == telegram_id))
    return bool(getattr(result, "rowcount", 0))


def participants(*, session: Session, event_id: int) -> list[tuple[EventRegistration,
                                                                   Member | None]]:
    """Registrations in order, with the person (None when no member row exists)."""
    rows = session.exec(select(EventRegistration, Member).join(
        Member, col(Member.telegram_id) == col(EventRegistration.telegram_id), isouter=True)
        .where(EventRegistration.event_id == event_id)
        .order_by(col(EventRegistration.id))).all()
    return [(registration, member) for registration, member in rows]


def participant_ids(*, session: Session, event_id: int) -> list[int]:
    return [int(i) for i in session.exec(select(EventRegistration.telegram_id).where(
        EventRegistration.event_id == event_id).order_by(col(EventRegistration.id))).all()]


def events_of(*, session: Session, telegram_id: int) -> list[Event]:
    """Events a person is registered for."""
    return list(session.exec(select(Event).join(
        EventRegistration, col(EventRegistration.event_id) == col(Event.id))
        .where(EventRegistration.telegram_id == telegram_id)
        .order_by(col(Event.starts_at))).all())


def members_by_telegram_id(*, session: Session, ids: set[int]) -> dict[int, Member]:
    if not ids:
        return {}
    return {m.telegram_id: m for m in session.exec(
        select(Member).where(col(Member.telegram_id).in_(sorted(ids)))).all()}

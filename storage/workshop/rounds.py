"""Data access for workshop rounds and their participants (keyword-only, `session=`)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.clock import utcnow
from storage.workshop.tables import WorkshopParticipant, WorkshopRound


def create_round(*, session: Session, title: str, keywords: list[str],
                 deadlines: dict[str, str], created_by: int) -> WorkshopRound:
    found = WorkshopRound(title=title, keywords=keywords, deadlines=deadlines,
                          created_by=created_by)
    session.add(found)
    session.flush()
    return found


def get_round(*, session: Session, round_id: int) -> WorkshopRound | None:
    return session.get(WorkshopRound, round_id)


def rounds_of(*, session: Session, telegram_id: int | None, limit: int = 20
              ) -> list[WorkshopRound]:
    """The newest rounds; only those `telegram_id` takes part in unless it is None."""
    query = select(WorkshopRound)
    if telegram_id is not None:
        query = query.join(WorkshopParticipant,
                           col(WorkshopParticipant.round_id) == col(WorkshopRound.id)
                           ).where(WorkshopParticipant.telegram_id == telegram_id)
    return list(session.exec(query.order_by(col(WorkshopRound.id).desc()).limit(limit)))


def set_step(*, session: Session, found: WorkshopRound, step: int,
             now: datetime | None = None) -> None:
    found.step, found.updated_at = step, now or utcnow()
    session.add(found)


def is_participant(*, session: Session, round_id: int, telegram_id: int) -> bool:
    return session.exec(select(WorkshopParticipant.id).where(
        WorkshopParticipant.round_id == round_id,
        WorkshopParticipant.telegram_id == telegram_id)).first() is not None


def participants(*, session: Session, round_id: int) -> list[WorkshopParticipant]:
    return list(session.exec(select(WorkshopParticipant).where(
        WorkshopParticipant.round_id == round_id).order_by(col(WorkshopParticipant.id))))


def add_participants(*, session: Session, round_id: int,
                     people: dict[int, list[str]]) -> list[int]:
    """Invite these Telegram users (with their matching words); returns the new ones."""
    known = {p.telegram_id for p in participants(session=session, round_id=round_id)}
    new = [telegram_id for telegram_id in people if telegram_id not in known]
    for telegram_id in new:
        session.add(WorkshopParticipant(round_id=round_id, telegram_id=telegram_id,
                                        matched=people[telegram_id][:5]))
    session.flush()
    return new

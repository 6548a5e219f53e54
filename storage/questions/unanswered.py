"""Data access for the log of questions the advisor could not answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func
from sqlalchemy import select as select_columns  # more than four columns
from sqlmodel import Session, col, select

from storage.questions.tables import HandledMiss, UnansweredQuestion


@dataclass(frozen=True)
class UnansweredSummary:
    text: str
    times: int
    last_asked: datetime
    best_topic: str | None


def log_unanswered(
    *, session: Session, telegram_id: int | None, language: str, text: str,
    best_topic: str | None, score: int,
) -> UnansweredQuestion:
    row = UnansweredQuestion(telegram_id=telegram_id, language=language, text=text[:1000],
                             best_topic=best_topic, score=score)
    session.add(row)
    return row


def recent_unanswered(*, session: Session, limit: int = 20) -> list[UnansweredSummary]:
    """The most recent distinct unanswered questions, with how often each was asked."""
    last = func.max(UnansweredQuestion.asked_at)
    rows = session.exec(
        select(UnansweredQuestion.text, func.count(), last,
               func.max(UnansweredQuestion.best_topic))
        .group_by(col(UnansweredQuestion.text))
        .order_by(last.desc())
        .limit(limit)
    ).all()
    return [UnansweredSummary(text, times, asked, topic) for text, times, asked, topic in rows]


def count_unanswered(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(UnansweredQuestion)).one()


def questions_of(*, session: Session, telegram_id: int) -> dict[str, Any]:
    """A person's unanswered questions, for their data export."""
    rows = session.exec(select(UnansweredQuestion)
                        .where(UnansweredQuestion.telegram_id == telegram_id)
                        .order_by(col(UnansweredQuestion.asked_at))).all()
    return {"unanswered_questions": [
        {"asked_at": row.asked_at.isoformat(), "language": row.language, "text": row.text}
        for row in rows]}


def forget_questions(*, session: Session, telegram_id: int) -> None:
    """Delete a person's unanswered questions."""
    session.execute(delete(UnansweredQuestion).where(
        col(UnansweredQuestion.telegram_id) == telegram_id))


@dataclass(frozen=True)
class MissRow:
    """One distinct open missed question for the review queue."""

    first_id: int  # the newest row with this text: names the group in buttons
    text: str
    language: str
    times: int
    last_asked: datetime
    best_topic: str | None
    answered_with: str | None


def open_misses(*, session: Session) -> list[MissRow]:
    """Distinct missed questions not yet handled, newest first (one query)."""
    last = func.max(UnansweredQuestion.asked_at)
    handled = select(HandledMiss.unanswered_id)
    query = (select_columns(func.max(UnansweredQuestion.id), col(UnansweredQuestion.text),
                    func.max(UnansweredQuestion.language), func.count(), last,
                    func.max(UnansweredQuestion.best_topic),
                    func.max(UnansweredQuestion.answered_with))
             .where(col(UnansweredQuestion.id).not_in(handled))
             .group_by(col(UnansweredQuestion.text))
             .order_by(last.desc()))
    # plain rows on the connection: thousands of them, no ORM objects wanted
    return [MissRow(first or 0, text, language, times, last_asked, topic, given)
            for first, text, language, times, last_asked, topic, given
            in session.connection().execute(query)]


def miss_ids_with_texts(*, session: Session, texts: list[str]) -> list[int]:
    """The open rows carrying one of `texts`."""
    handled = select(HandledMiss.unanswered_id)
    found = session.exec(select(UnansweredQuestion.id)
                         .where(col(UnansweredQuestion.text).in_(texts))
                         .where(col(UnansweredQuestion.id).not_in(handled))).all()
    return [row for row in found if row is not None]


def mark_handled(*, session: Session, ids: list[int], batch: int, outcome: str,
                 by: int | None) -> int:
    for unanswered_id in ids:
        session.add(HandledMiss(unanswered_id=unanswered_id, batch=batch, outcome=outcome,
                                handled_by=by))
    return len(ids)


def undo_dismissal(*, session: Session, batch: int) -> int:
    """Put a dismissed group back into the queue; how many questions returned."""
    result = session.execute(delete(HandledMiss).where(col(HandledMiss.batch) == batch)
                             .where(col(HandledMiss.outcome) == "dismissed"))
    return int(getattr(result, "rowcount", 0) or 0)


def log_disliked(*, session: Session, telegram_id: int | None, language: str, text: str,
                 entry_id: str) -> None:
    """A 👎: the question goes to the review queue with the answer it got."""
    session.add(UnansweredQuestion(telegram_id=telegram_id, language=language,
                                   text=text[:1000], best_topic=entry_id, score=0,
                                   answered_with=entry_id))


def recent_misses_of(*, session: Session, telegram_id: int, limit: int = 2) -> list[datetime]:
    """When this person's last missed questions were asked, newest first."""
    return list(session.exec(select(UnansweredQuestion.asked_at)
                             .where(UnansweredQuestion.telegram_id == telegram_id)
                             .where(col(UnansweredQuestion.answered_with).is_(None))
                             .order_by(col(UnansweredQuestion.asked_at).desc())
                             .limit(limit)).all())

"""Data access for the log of questions the advisor could not answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from storage.questions.tables import UnansweredQuestion


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

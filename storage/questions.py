"""Data access for the log of questions the advisor could not answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import UnansweredQuestion


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

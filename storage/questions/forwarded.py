"""Data access for questions members passed to the cluster management."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.clock import utcnow
from storage.questions.tables import ForwardedQuestion


def forward_question(*, session: Session, telegram_id: int, language: str,
                     text: str, unanswered_id: int | None) -> ForwardedQuestion:
    row = ForwardedQuestion(telegram_id=telegram_id, language=language, text=text[:1000],
                            unanswered_id=unanswered_id)
    session.add(row)
    session.flush()
    return row


def get_forwarded(*, session: Session, forwarded_id: int) -> ForwardedQuestion | None:
    return session.get(ForwardedQuestion, forwarded_id)


def record_reply(*, session: Session, forwarded: ForwardedQuestion, by: int,
                 answer: str) -> None:
    forwarded.answered_by, forwarded.answer = by, answer[:2000]
    forwarded.answered_at = utcnow()
    session.add(forwarded)


def is_forwarded(*, session: Session, unanswered_id: int) -> bool:
    return session.exec(select(ForwardedQuestion.id).where(
        ForwardedQuestion.unanswered_id == unanswered_id)).first() is not None

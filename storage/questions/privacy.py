"""A person's data in the questions feature, for /export_my_data and /forget_me: missed
questions, answers with their 👍/👎, forwarded questions (the cluster's entries stay; who
wrote them is forgotten)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.questions.cluster import forget_author
from storage.questions.tables import (
    AnsweredQuestion,
    ForwardedQuestion,
    HandledMiss,
    UnansweredQuestion,
)
from storage.questions.unanswered import forget_questions, questions_of

VOTES = {1: "helpful", -1: "not helpful"}


def person_data(*, session: Session, telegram_id: int) -> dict[str, Any]:
    data = questions_of(session=session, telegram_id=telegram_id)
    answered = session.exec(select(AnsweredQuestion)
                            .where(AnsweredQuestion.telegram_id == telegram_id)
                            .order_by(col(AnsweredQuestion.asked_at))).all()
    data["answered_questions"] = [
        {"asked_at": row.asked_at.isoformat(), "language": row.language, "text": row.text,
         "answered_with": row.entry_id, "feedback": VOTES.get(row.vote or 0)}
        for row in answered]
    forwarded = session.exec(select(ForwardedQuestion)
                             .where(ForwardedQuestion.telegram_id == telegram_id)
                             .order_by(col(ForwardedQuestion.asked_at))).all()
    data["forwarded_questions"] = [
        {"asked_at": row.asked_at.isoformat(), "language": row.language, "text": row.text,
         "reply": row.answer,
         "answered_at": row.answered_at.isoformat() if row.answered_at else None}
        for row in forwarded]
    return data


def forget_person(*, session: Session, telegram_id: int) -> None:
    own = select(UnansweredQuestion.id).where(UnansweredQuestion.telegram_id == telegram_id)
    session.execute(delete(HandledMiss).where(col(HandledMiss.unanswered_id).in_(own)))
    forget_questions(session=session, telegram_id=telegram_id)
    session.execute(delete(AnsweredQuestion).where(
        col(AnsweredQuestion.telegram_id) == telegram_id))
    session.execute(delete(ForwardedQuestion).where(
        col(ForwardedQuestion.telegram_id) == telegram_id))
    forget_author(session=session, telegram_id=telegram_id)

"""Data access for answers given and the 👍/👎 on them, and the per-entry figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, insert
from sqlalchemy import select as select_columns  # more than four columns
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from storage.clock import utcnow
from storage.questions.tables import AnsweredQuestion


@dataclass(frozen=True)
class EntryFigures:
    entry_id: str
    asked: int
    helpful: int
    not_helpful: int
    last_asked: datetime


_ANSWERS: Any = AnsweredQuestion.__table__  # type: ignore[attr-defined]
_INSERT_ANSWER = insert(_ANSWERS)  # built once: every confident answer is recorded


def log_answer(*, connection: Connection, telegram_id: int | None, entry_id: str,
               language: str, text: str) -> int:
    """Record a confident answer; its id (for the 👍/👎 buttons). A plain INSERT, not the
    ORM's unit of work (a third of its cost), with every column the model would fill."""
    result = connection.execute(_INSERT_ANSWER, {
        "asked_at": utcnow(), "telegram_id": telegram_id, "entry_id": entry_id,
        "language": language, "text": text[:1000], "vote": None, "voted_at": None})
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - an INSERT always reports its key
        raise RuntimeError("the answer record was inserted without an id")
    return int(key[0])


def get_answer(*, session: Session, answer_id: int) -> AnsweredQuestion | None:
    return session.get(AnsweredQuestion, answer_id)


def record_vote(*, session: Session, answer: AnsweredQuestion, vote: int) -> None:
    answer.vote = vote
    answer.voted_at = utcnow()
    session.add(answer)


def last_answer_at(*, session: Session, telegram_id: int) -> datetime | None:
    return session.exec(select(func.max(AnsweredQuestion.asked_at))
                        .where(AnsweredQuestion.telegram_id == telegram_id)).one()


def entry_figures(*, session: Session, limit: int | None = None) -> list[EntryFigures]:
    """Per entry: how often answered, 👍, 👎, last asked; most asked first."""
    up = func.sum(case((col(AnsweredQuestion.vote) == 1, 1), else_=0))
    down = func.sum(case((col(AnsweredQuestion.vote) == -1, 1), else_=0))
    query = (select_columns(col(AnsweredQuestion.entry_id), func.count(), up, down,
                    func.max(AnsweredQuestion.asked_at))
             .group_by(col(AnsweredQuestion.entry_id))
             .order_by(func.count().desc(), col(AnsweredQuestion.entry_id)))
    if limit is not None:
        query = query.limit(limit)
    return [EntryFigures(entry, asked, int(helpful or 0), int(unhelpful or 0), last)
            for entry, asked, helpful, unhelpful, last in session.execute(query).all()]

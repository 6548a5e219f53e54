"""The table of questions the advisor could not answer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from storage.clock import utcnow


class UnansweredQuestion(SQLModel, table=True):
    """A question the advisor could not answer confidently, for managers to review."""

    __tablename__ = "unanswered_question"

    id: int | None = Field(default=None, primary_key=True)
    asked_at: datetime = Field(default_factory=utcnow, index=True)
    telegram_id: int | None = Field(default=None, sa_type=BigInteger, index=True)
    language: str = Field(default="de", max_length=2)
    text: str = Field(max_length=1000)
    best_topic: str | None = Field(default=None, max_length=40)
    score: int = 0

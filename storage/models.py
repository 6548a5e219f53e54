"""SQLModel tables. Timestamps are stored in UTC and shown in the cluster's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Member(SQLModel, table=True):
    """Anyone who has talked to the bot; `role` says what they may see and do."""

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_type=BigInteger, index=True, unique=True)
    name: str = Field(default="", max_length=200)
    username: str | None = Field(default=None, max_length=64, index=True)
    language: str = Field(default="de", max_length=2)
    role: str = Field(default="visitor", max_length=16)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # set when Telegram says the user blocked the bot; cleared when they write again
    unreachable_since: datetime | None = Field(default=None)


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


class DialogRow(SQLModel, table=True):
    """The guided dialog a user is in (see core.dialogs); one per user."""

    __tablename__ = "dialog_state"

    telegram_id: int = Field(sa_type=BigInteger, primary_key=True, sa_column_kwargs={
        "autoincrement": False})
    feature: str = Field(default="", max_length=32)
    step: str = Field(default="", max_length=64)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    updated_at: datetime = Field(default_factory=utcnow)

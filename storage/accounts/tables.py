"""The people table: everyone who has talked to the bot, with role and language."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from storage.clock import utcnow


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

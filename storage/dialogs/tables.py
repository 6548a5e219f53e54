"""The table of open guided dialogs: one row per user."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger
from sqlmodel import Field, SQLModel

from storage.clock import utcnow


class DialogRow(SQLModel, table=True):
    """The guided dialog a user is in (see core.dialogs); one per user."""

    __tablename__ = "dialog_state"

    telegram_id: int = Field(sa_type=BigInteger, primary_key=True, sa_column_kwargs={
        "autoincrement": False})
    feature: str = Field(default="", max_length=32)
    step: str = Field(default="", max_length=64)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    updated_at: datetime = Field(default_factory=utcnow)

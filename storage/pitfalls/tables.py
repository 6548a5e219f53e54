"""The pitfalls' tables: self-check results (the member's) and funding (the cluster's)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger
from sqlmodel import Field, SQLModel

from storage.clock import utcnow


class SelfCheckResult(SQLModel, table=True):
    """One completed self-check: scores per pitfall (0-100) and the raw answers (1-5)."""

    __tablename__ = "selfcheck_result"

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_type=BigInteger, index=True)
    taken_at: datetime = Field(default_factory=utcnow, index=True)
    role: str = Field(default="visitor", max_length=16)  # the role when it was taken
    scores: dict[str, int] = Field(default_factory=dict, sa_type=JSON)
    answers: dict[str, int] = Field(default_factory=dict, sa_type=JSON)


class Funding(SQLModel, table=True):
    """The cluster's income of one year by source, in whole euros."""

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True, unique=True)
    membership_fees: int = Field(default=0, sa_type=BigInteger)
    public_funding: int = Field(default=0, sa_type=BigInteger)
    services: int = Field(default=0, sa_type=BigInteger)
    projects: int = Field(default=0, sa_type=BigInteger)
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: int | None = Field(default=None, sa_type=BigInteger)

    @property
    def total(self) -> int:
        return self.membership_fees + self.public_funding + self.services + self.projects


class PitfallSetting(SQLModel, table=True):
    """Small key-value settings of this feature (the founding year set in /funding)."""

    __tablename__ = "pitfall_setting"

    key: str = Field(primary_key=True, max_length=40)
    value: str = Field(default="", max_length=200)
    updated_at: datetime = Field(default_factory=utcnow)

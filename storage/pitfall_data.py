"""Self-check results and funding records (issue #5).

Self-check results belong to the member who answered (`member_data`, `forget_member`);
funding records and the stored founding year belong to the cluster and stay when a member
leaves.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, func
from sqlmodel import Field, Session, SQLModel, col, select

from storage.models import utcnow

FOUNDED_KEY = "cluster_founded"
MEMBER_ROLES = ("member", "manager")  # results taken with these roles count for the cluster


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


# ------------------------------------------------------------------------------ self-check
def add_result(*, session: Session, telegram_id: int, role: str, scores: dict[str, int],
               answers: dict[str, int], taken_at: datetime | None = None) -> SelfCheckResult:
    row = SelfCheckResult(telegram_id=telegram_id, role=role, scores=dict(scores),
                          answers=dict(answers), taken_at=taken_at or utcnow())
    session.add(row)
    session.flush()
    return row


def latest_results(*, session: Session, telegram_id: int, limit: int = 2
                   ) -> list[SelfCheckResult]:
    """The member's newest results, newest first."""
    return list(session.exec(
        select(SelfCheckResult).where(SelfCheckResult.telegram_id == telegram_id)
        .order_by(col(SelfCheckResult.taken_at).desc(), col(SelfCheckResult.id).desc())
        .limit(limit)).all())


def latest_member_results(*, session: Session) -> list[SelfCheckResult]:
    """Each person's newest result, counted only if it was taken as a member or manager."""
    newest: dict[int, SelfCheckResult] = {}
    for row in session.exec(select(SelfCheckResult).order_by(
            col(SelfCheckResult.taken_at), col(SelfCheckResult.id))).all():
        newest[row.telegram_id] = row
    return [row for row in newest.values() if row.role in MEMBER_ROLES]


def last_member_selfcheck(*, session: Session) -> datetime | None:
    """When anyone last completed the self-check as a member or manager."""
    return session.exec(select(func.max(SelfCheckResult.taken_at))
                        .where(col(SelfCheckResult.role).in_(MEMBER_ROLES))).one()


def member_data(*, session: Session, telegram_id: int) -> dict[str, Any]:
    """Everything this feature stores about one person: their self-check results."""
    rows = session.exec(select(SelfCheckResult)
                        .where(SelfCheckResult.telegram_id == telegram_id)
                        .order_by(col(SelfCheckResult.taken_at))).all()
    return {"selfcheck_results": [
        {"taken_at": row.taken_at.isoformat(), "role": row.role, "scores": dict(row.scores),
         "answers": dict(row.answers)} for row in rows]}


def forget_member(*, session: Session, telegram_id: int,
                  successor_telegram_id: int | None) -> None:
    """Delete the person's self-check results. Funding records stay, they belong to the
    cluster, but no longer name who recorded them (the successor did not record them, so
    nothing is handed over)."""
    for row in session.exec(select(SelfCheckResult)
                            .where(SelfCheckResult.telegram_id == telegram_id)).all():
        session.delete(row)
    for record in session.exec(select(Funding).where(Funding.updated_by == telegram_id)).all():
        record.updated_by = None
        session.add(record)


# ------------------------------------------------------------------------------ funding
def funding_years(*, session: Session) -> list[Funding]:
    return list(session.exec(select(Funding).order_by(col(Funding.year))).all())


def get_funding(*, session: Session, year: int) -> Funding | None:
    return session.exec(select(Funding).where(Funding.year == year)).first()


def save_funding(*, session: Session, year: int, membership_fees: int, public_funding: int,
                 services: int, projects: int, updated_by: int | None) -> Funding:
    """Create or replace the record of one year."""
    row = get_funding(session=session, year=year) or Funding(year=year)
    row.membership_fees, row.public_funding = membership_fees, public_funding
    row.services, row.projects = services, projects
    row.updated_at, row.updated_by = utcnow(), updated_by
    session.add(row)
    session.flush()
    return row


def stored_founded_year(*, session: Session) -> int | None:
    row = session.get(PitfallSetting, FOUNDED_KEY)
    return int(row.value) if row is not None and row.value.isdigit() else None


def store_founded_year(*, session: Session, year: int) -> None:
    row = session.get(PitfallSetting, FOUNDED_KEY) or PitfallSetting(key=FOUNDED_KEY)
    row.value, row.updated_at = str(year), utcnow()
    session.add(row)

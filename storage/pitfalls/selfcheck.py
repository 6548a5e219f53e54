"""Data access for self-check results: store one, the newest per person, the latest date."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.clock import utcnow
from storage.pitfalls.tables import SelfCheckResult

MEMBER_ROLES = ("member", "manager")  # results taken with these roles count for the cluster


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

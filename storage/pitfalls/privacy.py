"""What the pitfalls store about a person, for /export_my_data and /forget_me.

Self-check results belong to the member who answered; funding records and the stored
founding year belong to the cluster and stay when a member leaves.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from storage.pitfalls.tables import Funding, SelfCheckResult


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

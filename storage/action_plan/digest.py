"""Data access for the managers' weekly digest: what was done, and who can't be reminded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.accounts.tables import Member
from storage.action_plan.tables import (
    ACTIVE_STATUSES,
    ItemStatus,
    PlanItem,
    Reminder,
    ReminderState,
)


def done_since(*, session: Session, since: datetime, limit: int
               ) -> tuple[list[PlanItem], int]:
    """Items marked done since `since`, newest first, and how many there are."""
    where = (col(PlanItem.status) == ItemStatus.DONE.value, col(PlanItem.done_at) >= since)
    total = session.exec(select(func.count()).select_from(PlanItem).where(*where)).one()
    found = session.exec(select(PlanItem).where(*where)
                         .order_by(col(PlanItem.done_at).desc()).limit(limit)).all()
    return list(found), total


@dataclass(frozen=True)
class Unreachable:
    """Someone responsible for open items who gets no reminders, and why."""

    why: str  # blocked | not_started | no_user | nobody | failed
    label: str  # @username, name or "" (nobody)
    items: int
    since: datetime | None = None


def unreachable_people(*, session: Session, limit: int) -> list[Unreachable]:
    """Who can't be reminded about open items: blocked the bot, never started it, not a bot
    user at all, nobody named; and reminders that failed for good."""
    active = col(PlanItem.status).in_(ACTIVE_STATUSES)
    found: list[Unreachable] = []
    for member, count in session.exec(
            select(Member, func.count(col(PlanItem.id)))
            .join(PlanItem, col(PlanItem.responsible_id) == col(Member.id))
            .where(active, col(Member.unreachable_since).is_not(None))
            .group_by(col(Member.id)).limit(limit)).all():
        label = f"@{member.username}" if member.username else member.name
        found.append(Unreachable("blocked", label, count, member.unreachable_since))
    unlinked = col(PlanItem.responsible_id).is_(None)
    for name, count in session.exec(
            select(func.min(PlanItem.responsible_username), func.count())
            .where(active, unlinked, col(PlanItem.responsible_username).is_not(None))
            .group_by(func.lower(PlanItem.responsible_username)).limit(limit)).all():
        found.append(Unreachable("not_started", f"@{name}", count))
    for name, count in session.exec(
            select(PlanItem.responsible_name, func.count())
            .where(active, unlinked, col(PlanItem.responsible_username).is_(None),
                   col(PlanItem.responsible_name).is_not(None))
            .group_by(col(PlanItem.responsible_name)).limit(limit)).all():
        found.append(Unreachable("no_user", str(name), count))
    nobody = session.exec(select(func.count()).select_from(PlanItem).where(
        active, unlinked, col(PlanItem.responsible_username).is_(None),
        col(PlanItem.responsible_name).is_(None))).one()
    if nobody:
        found.append(Unreachable("nobody", "", nobody))
    failed = session.exec(select(func.count()).select_from(Reminder).join(
        PlanItem, col(PlanItem.id) == col(Reminder.item_id)).where(
        active, col(Reminder.state) == ReminderState.FAILED.value)).one()
    if failed:
        found.append(Unreachable("failed", "", failed))
    return found

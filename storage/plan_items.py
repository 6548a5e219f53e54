"""Data access for action items and their history: keyword-only functions taking `session=`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, or_, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from storage.models import Member, utcnow
from storage.plan import (
    ACTIVE_STATUSES,
    ItemStatus,
    PlanHistory,
    PlanItem,
    Reminder,
    ReminderState,
)

FILTERS = ("all", "mine", "overdue", "soon", "closed")
SOON_DAYS = 14
OPEN_REMINDER_STATES = (ReminderState.PENDING.value, ReminderState.FAILED.value,
                        ReminderState.UNREACHABLE.value)


def get_item(*, session: Session, item_id: int) -> PlanItem | None:
    return session.get(PlanItem, item_id)


def count_items(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(PlanItem)).one()


def add_item(*, session: Session, item: PlanItem, by_name: str) -> PlanItem:
    """Store a new item and its first history entry (created with its status)."""
    session.add(item)
    session.flush()
    assert item.id is not None
    session.add(PlanHistory(item_id=item.id, at=item.created_at, by_id=item.created_by,
                            by_name=by_name, from_status=None, to_status=item.status,
                            to_deadline=item.deadline))
    return item


def record_change(*, session: Session, item: PlanItem, by_id: int | None, by_name: str,
                  at: datetime, from_status: str | None = None,
                  from_deadline: date | None = None) -> None:
    """Add a history entry for a status or deadline change of `item` (already updated)."""
    assert item.id is not None
    session.add(PlanHistory(item_id=item.id, at=at, by_id=by_id, by_name=by_name[:200],
                            from_status=from_status, to_status=item.status,
                            from_deadline=from_deadline,
                            to_deadline=item.deadline if from_deadline else None))


def history(*, session: Session, item_id: int, limit: int = 10) -> list[PlanHistory]:
    """The newest history entries of an item, newest first."""
    return list(session.exec(select(PlanHistory).where(PlanHistory.item_id == item_id)
                             .order_by(col(PlanHistory.at).desc(), col(PlanHistory.id).desc())
                             .limit(limit)).all())


def drop_open_reminders(*, session: Session, item_id: int) -> int:
    """Forget reminders not sent yet (deadline changed, item closed); sent ones stay."""
    result = session.execute(delete(Reminder).where(
        col(Reminder.item_id) == item_id, col(Reminder.state).in_(OPEN_REMINDER_STATES)))
    return int(getattr(result, "rowcount", 0) or 0)


def replan(*, session: Session, item: PlanItem, now: datetime, next_at: datetime | None
           ) -> None:
    """Plan the item's reminders anew from `now` (deadline, status or responsible changed):
    unsent reminders are dropped; `next_at` is when the first new one is due (None: none)."""
    assert item.id is not None
    drop_open_reminders(session=session, item_id=item.id)
    item.planned_from, item.last_occasion, item.next_reminder_at = now, None, next_at


def link_username(*, session: Session, member: Member) -> int:
    """Give the items waiting for this member's @username to the member; returns how many."""
    if member.id is None or not member.username:
        return 0
    result = session.execute(
        update(PlanItem)
        .where(col(PlanItem.responsible_id).is_(None),
               func.lower(PlanItem.responsible_username) == member.username.lower())
        .values(responsible_id=member.id, responsible_username=None, updated_at=utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)


def _mine(member: Member | None) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if member is not None and member.id is not None:
        conditions.append(col(PlanItem.responsible_id) == member.id)
    if member is not None and member.username:
        conditions.append(func.lower(PlanItem.responsible_username) == member.username.lower())
    return or_(*conditions) if conditions else col(PlanItem.id) < 0


def _filtered(kind: str, *, member: Member | None, today: date) -> list[ColumnElement[bool]]:
    active = col(PlanItem.status).in_(ACTIVE_STATUSES)
    if kind == "mine":
        return [active, _mine(member)]
    if kind == "overdue":
        return [active, col(PlanItem.deadline) < today]
    if kind == "soon":
        return [active, col(PlanItem.deadline) >= today,
                col(PlanItem.deadline) <= today + timedelta(days=SOON_DAYS)]
    if kind == "closed":
        return [col(PlanItem.status).in_((ItemStatus.DONE.value, ItemStatus.CANCELLED.value))]
    return [active]


def list_items(*, session: Session, kind: str, member: Member | None, today: date,
               offset: int, limit: int) -> tuple[list[PlanItem], int]:
    """One page of the plan for a filter (see FILTERS), soonest deadline first; and the total."""
    where = _filtered(kind, member=member, today=today)
    total = session.exec(select(func.count()).select_from(PlanItem).where(*where)).one()
    order = (col(PlanItem.updated_at).desc(),) if kind == "closed" else (
        col(PlanItem.deadline), col(PlanItem.id))
    items = session.exec(select(PlanItem).where(*where).order_by(*order)
                         .offset(offset).limit(limit)).all()
    return list(items), total


def all_items(*, session: Session) -> list[PlanItem]:
    """Every item, by deadline (for export)."""
    return list(session.exec(select(PlanItem).order_by(col(PlanItem.deadline),
                                                       col(PlanItem.id))).all())


def find_same(*, session: Session, topic: str, action: str, deadline: date) -> PlanItem | None:
    """An item with the same topic, action and deadline (a re-imported row)."""
    return session.exec(select(PlanItem).where(
        PlanItem.topic == topic, PlanItem.action == action,
        PlanItem.deadline == deadline)).first()


def members_by_id(*, session: Session, ids: set[int]) -> dict[int, Member]:
    """Members for a set of member ids (chunked: SQLite limits bound parameters)."""
    found: dict[int, Member] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start:start + 500]
        for member in session.exec(select(Member).where(col(Member.id).in_(chunk))).all():
            assert member.id is not None
            found[member.id] = member
    return found


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

"""Data access for action items and their history: keyword-only functions taking `session=`."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, or_, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from storage.accounts.tables import Member
from storage.action_plan.tables import (
    ACTIVE_STATUSES,
    NOTICE_KINDS,
    ItemStatus,
    PlanHistory,
    PlanItem,
    Reminder,
    ReminderState,
)
from storage.clock import utcnow

FILTERS = ("all", "mine", "overdue", "soon", "closed")
SOON_DAYS = 14
OPEN_REMINDER_STATES = (ReminderState.PENDING.value, ReminderState.FAILED.value,
                        ReminderState.UNREACHABLE.value)
CHUNK = 500  # bound parameters per IN (...) list (SQLite limits them)


def get_item(*, session: Session, item_id: int) -> PlanItem | None:
    return session.get(PlanItem, item_id)


def items_by_id(*, session: Session, ids: list[int]) -> list[PlanItem]:
    """The items that still exist among `ids`, in no particular order."""
    found: list[PlanItem] = []
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        found.extend(session.exec(select(PlanItem).where(col(PlanItem.id).in_(chunk))).all())
    return found


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


def save_item(*, session: Session, item: PlanItem) -> None:
    """Keep the changes made to `item` in this unit of work."""
    session.add(item)


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
    """Forget reminders not sent yet (deadline changed, item closed); sent ones stay, and so
    do notices (the person still needs to hear that they are responsible)."""
    result = session.execute(delete(Reminder).where(
        col(Reminder.item_id) == item_id, col(Reminder.state).in_(OPEN_REMINDER_STATES),
        col(Reminder.kind).not_in(NOTICE_KINDS)))
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

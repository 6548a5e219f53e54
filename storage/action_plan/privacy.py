"""The action plan's part of /export_my_data and /forget_me (`core.feature.Privacy`).

Action items are the cluster's plan, not personal data: when a member is forgotten, the items
they are responsible for are handed to a manager (the successor), who is told at the next
reminder pass (a "handed" notice, recorded here: this runs inside the forgetting's unit of
work and cannot send), and their Telegram id is removed from "created by", "updated by" and
the status history.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.accounts.queries import get_member
from storage.action_plan.notices import add_notice, drop_notices
from storage.action_plan.tables import (
    ACTIVE_STATUSES,
    NOTICE_HANDED,
    PlanHistory,
    PlanItem,
    Reminder,
    ReminderState,
)
from storage.clock import utcnow


def member_data(*, session: Session, telegram_id: int) -> dict[str, Any]:
    """The items the person is responsible for or created, and their status changes."""
    member = get_member(session=session, telegram_id=telegram_id)
    member_id = member.id if member is not None else None
    items = session.exec(select(PlanItem).where(
        (col(PlanItem.created_by) == telegram_id)
        | (col(PlanItem.responsible_id) == member_id))).all()
    changes = session.exec(select(PlanHistory).where(PlanHistory.by_id == telegram_id)).all()
    return {
        "items": [{
            "id": item.id, "topic": item.topic, "action": item.action,
            "deadline": item.deadline.isoformat(), "status": item.status,
            "responsible": member is not None and item.responsible_id == member.id,
            "created_by_me": item.created_by == telegram_id,
        } for item in items],
        "status_changes": [{
            "item_id": change.item_id, "at": change.at.isoformat(),
            "from": change.from_status, "to": change.to_status,
        } for change in changes],
    }


def forget_member(*, session: Session, telegram_id: int,
                  successor_telegram_id: int | None) -> None:
    """Hand the person's items to the successor and drop their id from the plan's records."""
    member = get_member(session=session, telegram_id=telegram_id)
    successor = (get_member(session=session, telegram_id=successor_telegram_id)
                 if successor_telegram_id is not None else None)
    now = utcnow()
    if member is not None and member.id is not None:
        named = col(PlanItem.responsible_id) == member.id
        if member.username:  # named by @username and not linked yet
            named = named | (col(PlanItem.responsible_id).is_(None) & (
                func.lower(col(PlanItem.responsible_username)) == member.username.lower()))
        for item in session.exec(select(PlanItem).where(named)).all():
            item.responsible_id = successor.id if successor is not None else None
            item.responsible_username = successor.username if successor is not None else None
            item.responsible_name = successor.name if successor is not None else None
            item.updated_at = now
            session.add(item)
            assert item.id is not None
            if successor is not None and item.status in ACTIVE_STATUSES:
                add_notice(session=session, item_id=item.id, kind=NOTICE_HANDED, now=now)
            else:
                drop_notices(session=session, item_id=item.id)
    for item in session.exec(select(PlanItem).where(
            (col(PlanItem.created_by) == telegram_id)
            | (col(PlanItem.updated_by) == telegram_id))):
        if item.created_by == telegram_id:
            item.created_by = None
        if item.updated_by == telegram_id:
            item.updated_by = None
        session.add(item)
    for change in session.exec(select(PlanHistory).where(PlanHistory.by_id == telegram_id)):
        change.by_id, change.by_name = None, ""
        session.add(change)
    for reminder in session.exec(select(Reminder).where(Reminder.chat_id == telegram_id)):
        if reminder.state in (ReminderState.PENDING.value, ReminderState.FAILED.value):
            session.delete(reminder)
        else:  # keep the delivery record, without the person's id
            reminder.chat_id = None
            session.add(reminder)

"""Data access for notices to an item's responsible person ("you are responsible now",
"handed over to you", "your deadline was moved"): `reminder` rows of a notice kind.

A notice is recorded in the unit of work that caused it (saving, editing, importing,
forgetting someone), due at once. The reminder pass delivers it like any reminder - also to
an @username who starts the bot later; an interactive reply may take it at once
(`take`), which records it as sent so that the pass never repeats it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy import select as select_columns
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from storage.accounts.tables import Member
from storage.action_plan.tables import (
    NOTICE_KINDS,
    NOTICE_MOVED,
    PlanItem,
    Reminder,
    ReminderState,
)

UNSENT = (ReminderState.PENDING.value, ReminderState.FAILED.value,
          ReminderState.UNREACHABLE.value)
CHUNK = 500  # bound parameters per IN (...) list


def _unsent_notices(item_id: int) -> tuple[ColumnElement[bool], ...]:
    return (col(Reminder.item_id) == item_id, col(Reminder.kind).in_(NOTICE_KINDS),
            col(Reminder.state).in_(UNSENT))


def add_notice(*, session: Session, item_id: int, kind: str, now: datetime) -> bool:
    """Record that the item's responsible person is to be told `kind`; False if not needed.

    A new assignment replaces a notice not sent yet (it named someone else, or it is out of
    date); a moved deadline adds nothing while another notice still waits, since that one
    shows the current deadline when it goes out.
    """
    if kind not in NOTICE_KINDS:
        raise ValueError(f"{kind!r} is not a notice kind {NOTICE_KINDS}")
    if kind == NOTICE_MOVED:
        waiting = session.execute(select_columns(col(Reminder.id)).where(
            *_unsent_notices(item_id), col(Reminder.state) == ReminderState.PENDING.value)
        ).first()
        if waiting is not None:
            return False
    else:
        session.execute(delete(Reminder).where(*_unsent_notices(item_id)))
    session.add(Reminder(key=f"item:{item_id}:{kind}:{uuid.uuid4().hex}", item_id=item_id,
                         kind=kind, due_at=now, state=ReminderState.PENDING.value,
                         created_at=now, updated_at=now))
    session.flush()
    return True


def drop_notices(*, session: Session, item_id: int) -> None:
    """Forget the item's notices not sent yet (the person was replaced by nobody)."""
    session.execute(delete(Reminder).where(*_unsent_notices(item_id)))


@dataclass(frozen=True)
class WaitingNotice:
    """A pending notice, with the chat and language of its recipient if they can be reached
    right now (a member who has started the bot and not blocked it)."""

    id: int
    item_id: int
    kind: str
    chat_id: int | None
    language: str | None


def waiting_notices(*, session: Session, item_ids: list[int]) -> list[WaitingNotice]:
    """The pending notices of these items, oldest first, with their reachable recipients."""
    found: list[WaitingNotice] = []
    ordered = sorted(set(item_ids))
    for start in range(0, len(ordered), CHUNK):
        rows = session.execute(
            select_columns(col(Reminder.id), col(Reminder.item_id), col(Reminder.kind),
                           col(Member.telegram_id), col(Member.language),
                           col(Member.unreachable_since))
            .select_from(Reminder)
            .join(PlanItem, col(PlanItem.id) == col(Reminder.item_id))
            .outerjoin(Member, col(Member.id) == col(PlanItem.responsible_id))
            .where(col(Reminder.item_id).in_(ordered[start:start + CHUNK]),
                   col(Reminder.kind).in_(NOTICE_KINDS),
                   col(Reminder.state) == ReminderState.PENDING.value)
            .order_by(col(Reminder.id))).all()
        for row_id, item_id, kind, telegram_id, language, unreachable in rows:
            reachable = telegram_id is not None and telegram_id > 0 and unreachable is None
            found.append(WaitingNotice(int(row_id), int(item_id), kind,
                                       int(telegram_id) if reachable else None,
                                       language if reachable else None))
    return found


def take(*, session: Session, ids: list[int], chat_id: int, now: datetime) -> bool:
    """Record pending notices as sent to `chat_id` by the caller (who sends them at once);
    False, and nothing changed, when a pass took any of them meanwhile."""
    taken = 0
    for start in range(0, len(ids), CHUNK):
        result = session.execute(
            update(Reminder)
            .where(col(Reminder.id).in_(ids[start:start + CHUNK]),
                   col(Reminder.state) == ReminderState.PENDING.value)
            .values(state=ReminderState.SENT.value, chat_id=chat_id, sent_at=now,
                    updated_at=now, attempts=col(Reminder.attempts) + 1))
        taken += int(getattr(result, "rowcount", 0) or 0)
    if taken != len(ids):
        session.rollback()
        return False
    return True

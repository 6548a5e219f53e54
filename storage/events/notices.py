"""Data access for the feature's delivery state: notices created idempotently by key,
claimed (committed) before sending, then marked with the outcome - as the plan's reminders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from storage.events.tables import EventNotice, NoticeState

CHUNK = 500


def existing_keys(*, session: Session, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        found.update(session.exec(select(EventNotice.key).where(
            col(EventNotice.key).in_(keys[start:start + CHUNK]))).all())
    return found


def insert_notices(*, session: Session, rows: list[dict[str, Any]], now: datetime) -> None:
    """Insert notice rows (key, kind, chat_id, payload, due_at); an existing key is skipped."""
    if not rows:
        return
    full = [{"state": NoticeState.PENDING.value, "attempts": 0, "created_at": now,
             "updated_at": now, **row} for row in rows]
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    table = EventNotice.__table__  # type: ignore[attr-defined]
    session.execute(module.insert(table).on_conflict_do_nothing(index_elements=["key"]), full)


def due_notices(*, session: Session, now: datetime) -> list[EventNotice]:
    return list(session.exec(select(EventNotice).where(
        EventNotice.state == NoticeState.PENDING.value, col(EventNotice.due_at) <= now,
        or_(col(EventNotice.not_before).is_(None), col(EventNotice.not_before) <= now))
        .order_by(col(EventNotice.due_at), col(EventNotice.id))).all())


def claim(*, session: Session, notice_id: int, now: datetime) -> bool:
    """Pending -> sending; False when another pass took it meanwhile."""
    result = session.execute(update(EventNotice).where(
        col(EventNotice.id) == notice_id, col(EventNotice.state) == NoticeState.PENDING.value)
        .values(state=NoticeState.SENDING.value, updated_at=now))
    return bool(getattr(result, "rowcount", 0))


def finish(*, session: Session, notice_id: int, state: NoticeState, now: datetime,
           error: str | None = None, not_before: datetime | None = None) -> int:
    """Record the outcome; returns the attempts so far."""
    notice = session.get(EventNotice, notice_id)
    if notice is None:
        return 0
    notice.state, notice.updated_at = state.value, now
    notice.attempts += 1
    notice.last_error = error[:300] if error else None
    notice.not_before = not_before
    if state is NoticeState.SENT:
        notice.sent_at = now
    session.add(notice)
    return notice.attempts


def release(*, session: Session, notice_id: int, now: datetime) -> None:
    """Sending -> pending without counting an attempt (the messenger refused us for now)."""
    session.execute(update(EventNotice).where(
        col(EventNotice.id) == notice_id, col(EventNotice.state) == NoticeState.SENDING.value)
        .values(state=NoticeState.PENDING.value, updated_at=now))


def recover_sending(*, session: Session, now: datetime) -> int:
    """Rows a killed process left in 'sending' go back to 'pending' (sent at most once more)."""
    result = session.execute(update(EventNotice).where(
        col(EventNotice.state) == NoticeState.SENDING.value)
        .values(state=NoticeState.PENDING.value, updated_at=now,
                last_error="interrupted while sending; sent again"))
    return int(getattr(result, "rowcount", 0) or 0)


def notices_of(*, session: Session, chat_id: int) -> list[EventNotice]:
    return list(session.exec(select(EventNotice).where(EventNotice.chat_id == chat_id)).all())


def delete_notices_of(*, session: Session, chat_id: int) -> None:
    """Forget a person's notices, except the fact that they were asked (keys kept as
    'skipped' rows without a chat would be data too, so the rows go)."""
    session.execute(delete(EventNotice).where(col(EventNotice.chat_id) == chat_id))

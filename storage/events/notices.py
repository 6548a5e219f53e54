"""Data access for the feature's delivery state: notices created idempotently by key,
claimed with a lease (storage.leases, committed) before sending, then marked with the
outcome only while the claim is held — as the plan's reminders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from storage.events.tables import EventNotice, NoticeState
from storage.leases import Leasing, recover, settle
from storage.leases import claim as claim_rows

CHUNK = 500
LEASING = Leasing(EventNotice.__table__)  # type: ignore[attr-defined]


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


def claim(*, session: Session, notice_id: int, now: datetime, token: str) -> bool:
    """Pending (or held under a lease that ran out) -> sending for `token`; False when
    another sender holds it."""
    return claim_rows(session=session, leasing=LEASING, ids=[notice_id], token=token, now=now,
                      values={"updated_at": now})


def skip(*, session: Session, notice_id: int, now: datetime) -> None:
    """Pending -> skipped: there is nothing to say any more (an event cancelled meanwhile)."""
    session.execute(update(EventNotice).where(
        col(EventNotice.id) == notice_id, col(EventNotice.state) == NoticeState.PENDING.value)
        .values(state=NoticeState.SKIPPED.value, updated_at=now))


def finish(*, session: Session, notice_id: int, state: NoticeState, now: datetime, token: str,
           error: str | None = None, not_before: datetime | None = None,
           give_up_after: int | None = None) -> str | None:
    """Record the outcome of `token`'s claim, counting an attempt; a retry (`state`
    pending) becomes failed at `give_up_after` attempts. The state written, or None when
    the claim was taken over meanwhile (the other sender's outcome stands)."""
    table = LEASING.table
    written: Any = state.value
    if give_up_after is not None:
        written = case((table.c.attempts + 1 >= give_up_after, NoticeState.FAILED.value),
                       else_=state.value)
    values: dict[str, Any] = {"state": written, "updated_at": now,
                              "attempts": table.c.attempts + 1,
                              "last_error": error[:300] if error else None,
                              "not_before": not_before}
    if state is NoticeState.SENT:
        values["sent_at"] = now
    if not settle(session=session, leasing=LEASING, ids=[notice_id], token=token,
                  values=values):
        return None
    return session.execute(select(table.c.state).where(table.c.id == notice_id)).scalar()


def release(*, session: Session, notice_id: int, now: datetime, token: str) -> None:
    """Sending -> pending without counting an attempt (the messenger refused us for now)."""
    settle(session=session, leasing=LEASING, ids=[notice_id], token=token,
           values={"state": NoticeState.PENDING.value, "updated_at": now})


def recover_sending(*, session: Session, now: datetime) -> int:
    """Rows no live sender holds any more (a lease ran out, or its process died on this
    machine) go back to pending: sent at most once more. Rows a live process is sending are
    left alone."""
    return recover(session=session, leasing=LEASING, now=now,
                   values={"updated_at": now,
                           "last_error": "interrupted while sending; sent again"})


def notices_of(*, session: Session, chat_id: int) -> list[EventNotice]:
    return list(session.exec(select(EventNotice).where(EventNotice.chat_id == chat_id)).all())


def delete_notices_of(*, session: Session, chat_id: int) -> None:
    """Forget a person's notices, except the fact that they were asked (keys kept as
    'skipped' rows without a chat would be data too, so the rows go)."""
    session.execute(delete(EventNotice).where(col(EventNotice.chat_id) == chat_id))

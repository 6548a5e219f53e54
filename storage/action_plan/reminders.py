"""Data access for reminder state: what is due, claiming rows before sending (with a lease,
storage.leases, so that several instances never send one row twice), the outcome.

Queries here are the hot path of every reminder pass, so they select plain columns (no ORM
objects) through indexed conditions: plan_item (status, deadline) and reminder
(state, due_at).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, or_, update
from sqlalchemy import select as select_columns
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from storage import leases
from storage.accounts.tables import Member
from storage.action_plan.tables import ACTIVE_STATUSES, PlanItem, Reminder, ReminderState
from storage.leases import Leasing

CHUNK = 500  # bound parameters per IN (...) list


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def reminder_candidates(*, session: Session, now: datetime
                        ) -> list[tuple[int, date, datetime, str | None]]:
    """(id, deadline, planned_from, last_occasion) of open items whose next reminder is due."""
    rows = session.execute(
        select_columns(col(PlanItem.id), col(PlanItem.deadline), col(PlanItem.planned_from),
                       col(PlanItem.last_occasion))
        .where(col(PlanItem.next_reminder_at) <= now)).all()  # NULL once closed
    return [(int(r[0]), r[1], r[2], r[3]) for r in rows]


def insert_reminders(*, session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert reminder rows; a row whose key exists already is skipped (idempotent).

    Every row must have the same keys (a multi-row INSERT takes its columns from the first).
    """
    if not rows:
        return
    if any(row.keys() != rows[0].keys() for row in rows):
        raise ValueError("reminder rows to insert must all have the same columns")
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    table = Reminder.__table__  # type: ignore[attr-defined]
    statement = module.insert(table).on_conflict_do_nothing(index_elements=["key"])
    session.execute(statement, rows)  # executemany: compiled once, whatever the row count


def set_next_reminders(*, session: Session,
                       plans: list[tuple[int, str | None, datetime | None]]) -> None:
    """Per item: the occasion whose reminder row now exists, and when the next one is due."""
    if not plans:
        return
    table = PlanItem.__table__  # type: ignore[attr-defined]
    statement = (update(table).where(table.c.id == bindparam("item_id"))
                 .values(last_occasion=bindparam("occasion"),
                         next_reminder_at=bindparam("next_at")))
    session.execute(statement, [{"item_id": i, "occasion": k, "next_at": n}
                                for i, k, n in plans])  # executemany, no ORM bookkeeping


@dataclass(frozen=True)
class DueRow:
    """A pending reminder that is due, with what is needed to find its recipient."""

    id: int
    item_id: int | None
    kind: str
    chat_id: int | None  # digest rows: the manager
    item_status: str | None
    member_id: int | None  # the item's responsible member
    username: str | None  # the item's responsible @username, not linked yet


def due_rows(*, session: Session, now: datetime) -> list[DueRow]:
    """Pending reminders due at `now` (and not waiting for a retry), oldest first."""
    rows = session.execute(
        select_columns(col(Reminder.id), col(Reminder.item_id), col(Reminder.kind),
                       col(Reminder.chat_id), col(PlanItem.status), col(PlanItem.responsible_id),
                       col(PlanItem.responsible_username))
        .select_from(Reminder)
        .outerjoin(PlanItem, col(PlanItem.id) == col(Reminder.item_id))
        .where(col(Reminder.state) == ReminderState.PENDING.value,
               col(Reminder.due_at) <= now,
               or_(col(Reminder.not_before).is_(None), col(Reminder.not_before) <= now))
        .order_by(col(Reminder.due_at), col(Reminder.id))).all()
    return [DueRow(*row) for row in rows]


def members_for_usernames(*, session: Session, usernames: set[str]) -> dict[str, Member]:
    """Members by lower-cased username, for items waiting for an @username."""
    found: dict[str, Member] = {}
    for chunk in _chunks(sorted({u.lower() for u in usernames})):
        for member in session.exec(select(Member).where(
                func.lower(Member.username).in_(chunk))).all():
            if member.username:
                found[member.username.lower()] = member
    return found


def recipients(*, session: Session, member_ids: set[int]
               ) -> dict[int, tuple[int, str]]:
    """member id -> (Telegram chat id, language); the console user (id 0) has no chat."""
    found: dict[int, tuple[int, str]] = {}
    for chunk in _chunks(sorted(member_ids)):
        for member_id, telegram_id, language in session.execute(
                select_columns(col(Member.id), col(Member.telegram_id), col(Member.language))
                .where(col(Member.id).in_(chunk), col(Member.telegram_id) > 0)).all():
            found[int(member_id)] = (int(telegram_id), language)
    return found


REMINDERS = Leasing(Reminder.__table__)  # type: ignore[attr-defined]


def claim(*, session: Session, ids: list[int], chat_id: int, now: datetime, token: str,
          due: datetime | None = None) -> bool:
    """Mark pending rows as 'sending' to `chat_id` under a lease for `token`; False (nothing
    changed) if any of them is held by another live claim, was sent meanwhile or - decided
    as of `due` - waits for a retry that another sender has set since. The caller commits
    before sending (storage.leases)."""
    still_due = or_(col(Reminder.not_before).is_(None), col(Reminder.not_before) <= (due or now))
    return leases.claim(session=session, leasing=REMINDERS, ids=ids, token=token, now=now,
                        values={"chat_id": chat_id, "updated_at": now}, where=still_due)


def finish(*, session: Session, ids: list[int], state: ReminderState, now: datetime,
           token: str, error: str | None = None, not_before: datetime | None = None,
           attempt: bool = True) -> int:
    """Record the outcome of sending (sent, back to pending for a retry, failed, unreachable)
    on the rows `token` still holds; returns how many (fewer: the claim was taken over).
    `attempt=False`: the message was never really tried (the bot's token was refused)."""
    values: dict[str, Any] = {"state": state.value, "updated_at": now,
                              "attempts": col(Reminder.attempts) + (1 if attempt else 0),
                              "last_error": error[:300] if error else None,
                              "not_before": not_before}
    if state is ReminderState.SENT:
        values["sent_at"] = now
    return leases.settle(session=session, leasing=REMINDERS, ids=ids, token=token,
                         values=values)


def skip(*, session: Session, ids: list[int], now: datetime) -> None:
    """Pending rows with nothing to say (an empty digest): never sent, never tried again."""
    for chunk in _chunks(ids):
        session.execute(update(Reminder).where(
            col(Reminder.id).in_(chunk), col(Reminder.state) == ReminderState.PENDING.value)
            .values(state=ReminderState.SKIPPED.value, updated_at=now))


def plan_digest_once(*, session: Session, kind: str, now: datetime) -> bool:
    """True exactly once per digest `kind` ("digest:2027-12"): the caller then adds a row per
    manager of this moment; a manager promoted later waits for the next week's digest.

    The week is marked by a row that is never sent (key = kind); of two instances planning
    at once only the one whose marker went in gets True. Digest rows of that week from
    before there were markers count as planned too.
    """
    if session.exec(select(Reminder.id).where(Reminder.key == kind)).first() is not None:
        return False
    earlier = session.exec(select(Reminder.id).where(Reminder.kind == kind).limit(1)).first()
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    inserted = session.execute(module.insert(Reminder.__table__)  # type: ignore[attr-defined]
                               .on_conflict_do_nothing(index_elements=["key"]).values(
        key=kind, item_id=None, kind=kind, chat_id=None, due_at=now,
        state=ReminderState.SKIPPED.value, attempts=0, created_at=now, updated_at=now)
        .returning(Reminder.__table__.c.id))  # type: ignore[attr-defined]
    return earlier is None and inserted.first() is not None


def attempts_of(*, session: Session, ids: list[int]) -> int:
    """The highest attempt count among rows (for giving up after repeated errors)."""
    if not ids:
        return 0
    return int(session.exec(select(func.max(Reminder.attempts))
                            .where(col(Reminder.id).in_(ids[:CHUNK]))).one() or 0)


def delete_rows(*, session: Session, ids: list[int]) -> None:
    """Drop reminder rows that will never be sent (their item closed, nobody to remind)."""
    for chunk in _chunks(ids):
        session.execute(delete(Reminder).where(col(Reminder.id).in_(chunk)))


def recover_sending(*, session: Session, now: datetime) -> int:
    """Rows whose sender is gone go back to 'pending' (resent once): leases that ran out,
    and claims of processes that died on this machine — never rows a live process holds."""
    return leases.recover(session=session, leasing=REMINDERS, now=now, values={
        "updated_at": now, "last_error": "interrupted while sending; sent again"})


def set_reachability(*, session: Session, telegram_id: int, unreachable_since: datetime | None
                     ) -> None:
    """Mark a member as blocked-the-bot (or reachable again)."""
    condition = [col(Member.telegram_id) == telegram_id]
    if unreachable_since is not None:  # keep the first time it happened
        condition.append(col(Member.unreachable_since).is_(None))
    else:
        condition.append(col(Member.unreachable_since).is_not(None))
    session.execute(update(Member).where(*condition).values(unreachable_since=unreachable_since))


SCHEDULE_KEY = "schedule:settings"  # marker row: the settings the reminders were planned with


def schedule_marker(*, session: Session) -> str | None:
    """The fingerprint of the reminder settings last planned with (None: never)."""
    return session.exec(select(Reminder.kind).where(Reminder.key == SCHEDULE_KEY)).first()


def set_schedule_marker(*, session: Session, fingerprint: str, now: datetime) -> None:
    """Remember the settings fingerprint (a row that is never sent: state 'sent')."""
    row = session.exec(select(Reminder).where(Reminder.key == SCHEDULE_KEY)).first()
    if row is None:
        row = Reminder(key=SCHEDULE_KEY, kind=fingerprint, due_at=now,
                       state=ReminderState.SENT.value, created_at=now)
    row.kind, row.updated_at = fingerprint, now
    session.add(row)


def recheck_all(*, session: Session) -> int:
    """Let the next pass look at every open item again (the reminder settings changed)."""
    result = session.execute(
        update(PlanItem)
        .where(col(PlanItem.status).in_(ACTIVE_STATUSES),
               col(PlanItem.next_reminder_at).is_not(None))
        .values(next_reminder_at=PlanItem.planned_from))
    return int(getattr(result, "rowcount", 0) or 0)

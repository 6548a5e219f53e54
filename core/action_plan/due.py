"""Phases 1 and 2 of a reminder pass: which reminders are due, and to whom.

`decide` creates a `reminder` row for each occasion that has become due (idempotent: the
key is unique) and, once the weekly digest time has come, one digest row per manager of that
moment (a manager promoted later gets the next week's); then it groups the pending rows -
occasions and notices - per recipient. Only items whose `next_reminder_at` has come are
read, so a pass costs what is due, not the size of the plan. No network here: the benchmark
times exactly this.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session

from core.action_plan.schedule import (
    Clock,
    Occasion,
    current_occasion,
    digest_occasion,
    first_due_after,
)
from core.services import Services
from storage.accounts.queries import all_manager_ids
from storage.action_plan.items import link_username
from storage.action_plan.people import languages_of
from storage.action_plan.reminders import (
    delete_rows,
    due_rows,
    insert_reminders,
    members_for_usernames,
    plan_digest_once,
    recipients,
    reminder_candidates,
    set_next_reminders,
)
from storage.action_plan.tables import ACTIVE_STATUSES, NOTICE_KINDS, PlanItem, ReminderState
from storage.clock import utcnow
from storage.engine import session_scope

CHUNK = 5000  # items planned per statement batch
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class Batch:
    """One message to send: the recipient and the reminder rows it covers."""

    chat_id: int
    language: str
    reminder_ids: list[int] = field(default_factory=list)
    item_ids: list[int] = field(default_factory=list)
    digest: bool = False
    notices: dict[int, str] = field(default_factory=dict)  # item id -> notice kind


@dataclass
class Decision:
    batches: list[Batch]
    created: int
    waiting: int  # items with due messages for people who have not started the bot yet
    seconds: float


def clock_for(services: Services, now: datetime) -> Clock:
    settings = services.settings
    return Clock.of(now, settings.tz, settings.reminder_time, settings.reminder_offsets)


def manager_chat_ids(session: Session, services: Services) -> list[int]:
    """Everyone who gets the digest: MANAGER_IDS and members with the manager role."""
    return all_manager_ids(session=session, configured=services.settings.manager_ids)


def next_reminder_at(services: Services, item: PlanItem, after: datetime) -> datetime | None:
    """When the first reminder of an item planned at `after` is due; None when it gets none
    (closed, or nobody who could be reminded)."""
    if item.status not in ACTIVE_STATUSES or (item.responsible_id is None
                                              and not item.responsible_username):
        return None
    return first_due_after(item.deadline, after, clock_for(services, after), strict=False)


def _plan_occasions(session: Session, services: Services, clock: Clock) -> int:
    """Create the rows for occasions that have become due; returns how many were new.

    Works in chunks so that even a pass over every item (after a settings change) keeps
    its memory small; all chunks are one transaction.
    """
    last_due_day = clock.last_due_day
    now = utcnow()
    created = 0
    # items share deadlines: compute each deadline's occasions once per pass
    occasions: dict[date, tuple[Occasion | None, datetime]] = {}
    candidates = reminder_candidates(session=session, now=clock.now)
    for start in range(0, len(candidates), CHUNK):
        rows: list[dict[str, Any]] = []
        plans: list[tuple[int, str | None, datetime | None]] = []
        for item_id, deadline, planned_from, last in candidates[start:start + CHUNK]:
            known = occasions.get(deadline)
            if known is None:
                known = (current_occasion(deadline, EARLIEST, clock, last_due_day),
                         first_due_after(deadline, clock.now, clock, strict=True))
                occasions[deadline] = known
            occasion, following = known
            if occasion is not None and occasion.due_at < planned_from:
                occasion = None  # due before the item was (re)planned: never applied
            if occasion is None or occasion.kind == last:
                plans.append((item_id, last, following))
                continue
            rows.append({"key": f"item:{item_id}:{occasion.kind}", "item_id": item_id,
                         "kind": occasion.kind, "chat_id": None, "due_at": occasion.due_at,
                         "state": ReminderState.PENDING.value, "attempts": 0,
                         "created_at": now, "updated_at": now})
            plans.append((item_id, occasion.kind, following))
        insert_reminders(session=session, rows=rows)
        set_next_reminders(session=session, plans=plans)
        created += len(rows)
    digest = digest_occasion(clock, services.settings.digest_weekday)
    if digest is not None and plan_digest_once(session=session, kind=digest.kind, now=now):
        insert_reminders(session=session, rows=[
            {"key": f"{digest.kind}:{chat_id}", "item_id": None, "kind": digest.kind,
             "chat_id": chat_id, "due_at": digest.due_at, "state": ReminderState.PENDING.value,
             "attempts": 0, "created_at": now, "updated_at": now}
            for chat_id in manager_chat_ids(session, services)])
    return created


def _group(session: Session, services: Services, clock: Clock) -> tuple[list[Batch], int]:
    """Pending due rows -> one batch per recipient; link @usernames that have appeared."""
    rows = due_rows(session=session, now=clock.now)
    waiting_names = {r.username for r in rows if r.member_id is None and r.username}
    linked: dict[str, int] = {}
    for name, member in members_for_usernames(session=session, usernames=waiting_names).items():
        link_username(session=session, member=member)
        assert member.id is not None
        linked[name] = member.id
    member_ids = {r.member_id for r in rows if r.member_id is not None} | set(linked.values())
    people = recipients(session=session, member_ids=member_ids)
    digest_chats = {r.chat_id for r in rows if r.item_id is None and r.chat_id is not None}
    languages = languages_of(session=session, telegram_ids=digest_chats,
                             default=services.settings.default_language)
    items: dict[int, Batch] = {}
    digests: dict[int, Batch] = {}
    obsolete: list[int] = []
    waiting: set[int] = set()
    for row in rows:
        if row.item_id is None:
            if row.chat_id is None:
                obsolete.append(row.id)
                continue
            batch = digests.setdefault(row.chat_id, Batch(row.chat_id, languages[row.chat_id],
                                                          digest=True))
        elif row.item_status not in ACTIVE_STATUSES:
            obsolete.append(row.id)  # closed meanwhile: no reminder
            continue
        else:
            member_id = row.member_id or linked.get((row.username or "").lower())
            if member_id is None or member_id not in people:
                if row.username:
                    waiting.add(row.item_id)
                else:
                    obsolete.append(row.id)  # nobody to remind any more
                continue
            chat_id, language = people[member_id]
            batch = items.setdefault(chat_id, Batch(chat_id, language))
            if row.item_id not in batch.item_ids:
                batch.item_ids.append(row.item_id)
            if row.kind in NOTICE_KINDS:
                batch.notices.setdefault(row.item_id, row.kind)
        batch.reminder_ids.append(row.id)
    delete_rows(session=session, ids=obsolete)
    ordered = [items[c] for c in sorted(items)] + [digests[c] for c in sorted(digests)]
    return ordered, len(waiting)


def decide(services: Services, now: datetime) -> Decision:
    """Phases 1 and 2: what is due and to whom (the part the benchmark times)."""
    started = time.perf_counter()
    clock = clock_for(services, now)
    with session_scope(services.engine) as session:
        created = _plan_occasions(session, services, clock)
    with session_scope(services.engine) as session:
        batches, waiting = _group(session, services, clock)
    return Decision(batches, created, waiting, time.perf_counter() - started)

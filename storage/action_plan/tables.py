"""The action plan's tables: items, status history, reminder state (issue #3).

`PlanItem` is one row of the talk's action-plan table (topic, action, deadline, responsible,
participants) plus KPI and status. `PlanHistory` keeps who changed status or deadline when.
`Reminder` is the reminder state: one row per (item, occasion) or (manager, weekly digest),
unique by `key`; the job queue only decides *when* to look at this table.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Index
from sqlmodel import Field, SQLModel

from storage.clock import utcnow
from storage.leases import Leased


class ItemStatus(StrEnum):
    """Where an action stands; done and cancelled items get no reminders."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


ACTIVE_STATUSES = (ItemStatus.OPEN.value, ItemStatus.IN_PROGRESS.value)


class ReminderState(StrEnum):
    """Delivery state of one reminder row (see core.action_plan.reminders)."""

    PENDING = "pending"  # due or waiting for its recipient; picked up by the next pass
    SENDING = "sending"  # claimed (with a lease, storage.leases) and committed before the API
    # call; left over only by a crash, taken over when the lease runs out
    SENT = "sent"  # Telegram accepted the message
    FAILED = "failed"  # gave up after repeated errors (logged, shown in the digest)
    UNREACHABLE = "unreachable"  # the recipient blocked the bot (shown in the digest)
    SKIPPED = "skipped"  # never sent: nothing to say (an empty digest), or a marker row


# Notices to an item's responsible person, delivered like reminders (see
# core.action_plan.notices): named responsible, handed over after /forget_me, deadline moved
# by someone else.
NOTICE_ASSIGNED, NOTICE_HANDED, NOTICE_MOVED = "assigned", "handed", "moved"
NOTICE_KINDS = (NOTICE_ASSIGNED, NOTICE_HANDED, NOTICE_MOVED)


TOPIC_MAX = 200
ACTION_MAX = 1000
PARTICIPANTS_MAX = 500
KPI_MAX = 500
NAME_MAX = 200


class PlanItem(SQLModel, table=True):
    """One action of the cluster's action plan."""

    __tablename__ = "plan_item"
    __table_args__ = (Index("ix_plan_item_status_deadline", "status", "deadline"),
                      Index("ix_plan_item_next_reminder_at", "next_reminder_at"))

    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(max_length=TOPIC_MAX)
    action: str = Field(max_length=ACTION_MAX)
    deadline: date
    status: str = Field(default=ItemStatus.OPEN.value, max_length=16)
    # the responsible person: a member, or an @username who has not started the bot yet,
    # or free text (an organisation such as "CARS") that cannot be reminded
    responsible_id: int | None = Field(default=None, foreign_key="member.id",
                                       ondelete="SET NULL", index=True)
    responsible_username: str | None = Field(default=None, max_length=64)
    responsible_name: str | None = Field(default=None, max_length=NAME_MAX)
    participants: str = Field(default="", max_length=PARTICIPANTS_MAX)
    participant_groups: list[str] = Field(default_factory=list, sa_type=JSON)
    kpi: str = Field(default="", max_length=KPI_MAX)
    created_by: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = Field(default_factory=utcnow)
    updated_by: int | None = Field(default=None, sa_type=BigInteger)
    updated_at: datetime = Field(default_factory=utcnow)
    done_at: datetime | None = Field(default=None, index=True)
    # reminders are planned from this moment on (creation or last deadline change): occasions
    # before it are not "missed", they never applied
    planned_from: datetime = Field(default_factory=utcnow)
    # the last reminder occasion for which a row exists, and when the next one is due (None:
    # closed, or nobody to remind): a pass only reads items whose next reminder is due
    last_occasion: str | None = Field(default=None, max_length=40)
    next_reminder_at: datetime | None = None


class PlanHistory(SQLModel, table=True):
    """A status or deadline change of an item: who, when, from, to."""

    __tablename__ = "plan_history"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="plan_item.id", ondelete="CASCADE", index=True)
    at: datetime = Field(default_factory=utcnow)
    by_id: int | None = Field(default=None, sa_type=BigInteger)  # Telegram id; None = CLI
    by_name: str = Field(default="", max_length=NAME_MAX)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    from_deadline: date | None = None
    to_deadline: date | None = None


class Reminder(Leased, table=True):
    """One message to send exactly once: an item occasion, a notice or a weekly digest.

    `key` is unique: "item:<id>:<kind>" (kind "before:14@2026-12-31", "overdue:2026-48") or
    "digest:<week>:<telegram id>", so a pass can create rows idempotently. (This realises
    "unique per item and kind" for digest rows too, which have no item.) Notices (kind in
    NOTICE_KINDS) are events, not occasions: "item:<id>:<kind>:<random>". Marker rows are
    never sent: "digest:<week>" says the week's digest was planned (for the managers of
    that moment), "schedule:settings" fingerprints the reminder settings the items were
    planned with, so a change is noticed at start-up. `claimed_by` / `lease_until`
    (`Leased`): which process sends the row now, and until when (storage.leases).
    """

    __tablename__ = "reminder"
    __table_args__ = (Index("ix_reminder_state_due_at", "state", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=96, unique=True)
    item_id: int | None = Field(default=None, foreign_key="plan_item.id", ondelete="CASCADE",
                                index=True)
    kind: str = Field(max_length=40)
    chat_id: int | None = Field(default=None, sa_type=BigInteger)  # digest: fixed recipient
    due_at: datetime
    state: str = Field(default=ReminderState.PENDING.value, max_length=16)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=300)
    not_before: datetime | None = None  # retry no earlier than this (429, network errors)
    sent_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

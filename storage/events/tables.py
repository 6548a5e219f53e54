"""The events feature's tables (issue #14).

`Event` is one matchmaking event with its meeting window; `EventRegistration` who comes;
`EventMeeting` a B2B meeting request and, once accepted, its slot and table; `MeetingSeat`
one row per person and slot, unique, so that nobody can be booked twice for the same slot
whatever two presses race; `EventNotice` the delivery state of every message the feature
sends later (day-before reminder, follow-up question, a cancelled meeting after forget-me),
unique by `key` like the plan's reminder table; `FollowUp` a person's answers about one
introduction or meeting after 3 or 6 months; `FollowUpOptOut` "don't ask me again".
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.clock import utcnow
from storage.leases import Leased

TITLE_MAX = 200
PLACE_MAX = 200
LINK_MAX = 300
MESSAGE_MAX = 300
PROJECT_MAX = 200


class MeetingStatus(StrEnum):
    """Where a meeting request stands."""

    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class NoticeState(StrEnum):
    """Delivery state of one notice row (see core.events.delivery)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"
    SKIPPED = "skipped"


class Event(SQLModel, table=True):
    """A matchmaking event; times in UTC, shown in the cluster's time zone."""

    __tablename__ = "event"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=TITLE_MAX)
    starts_at: datetime = Field(index=True)
    ends_at: datetime
    place: str = Field(default="", max_length=PLACE_MAX)
    link: str = Field(default="", max_length=LINK_MAX)
    capacity: int
    topics: list[str] = Field(default_factory=list, sa_type=JSON)
    registration_deadline: datetime
    visitors_allowed: bool = False
    invite_token: str | None = Field(default=None, max_length=32, unique=True)
    meeting_start: datetime | None = None
    meeting_end: datetime | None = None
    slot_minutes: int = 20
    tables: int = 0  # 0: no tables to assign
    cancelled_at: datetime | None = None
    created_by: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = Field(default_factory=utcnow)


class EventRegistration(SQLModel, table=True):
    """One person registered for one event."""

    __tablename__ = "event_registration"
    __table_args__ = (UniqueConstraint("event_id", "telegram_id",
                                       name="uq_event_registration_person"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", index=True)
    telegram_id: int = Field(sa_type=BigInteger, index=True)
    registered_at: datetime = Field(default_factory=utcnow)


class EventMeeting(SQLModel, table=True):
    """A B2B meeting request between two participants; a slot once accepted and planned."""

    __tablename__ = "event_meeting"
    __table_args__ = (UniqueConstraint("event_id", "slot_start", "table_no",
                                       name="uq_event_meeting_table"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", index=True)
    requester_id: int = Field(sa_type=BigInteger, index=True)
    target_id: int = Field(sa_type=BigInteger, index=True)
    message: str = Field(default="", max_length=MESSAGE_MAX)
    status: str = Field(default=MeetingStatus.REQUESTED.value, max_length=10)
    slot_start: datetime | None = None
    table_no: int | None = None
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None


class MeetingSeat(SQLModel, table=True):
    """A person's place in a slot: unique per event, person and slot (no double-booking)."""

    __tablename__ = "event_meeting_seat"
    __table_args__ = (UniqueConstraint("event_id", "telegram_id", "slot_start",
                                       name="uq_event_meeting_seat"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="event_meeting.id", ondelete="CASCADE", index=True)
    event_id: int
    telegram_id: int = Field(sa_type=BigInteger)
    slot_start: datetime


class EventNotice(Leased, table=True):
    """One message of the feature to send exactly once, unique by `key`:
    "remind:<event>:<person>", "followup:<source>:<id>:<months>:<person>",
    "gone:<meeting>:<person>" (the other side left the cluster). Claimed with a lease
    (storage.leases), like the plan's reminders."""

    __tablename__ = "event_notice"
    __table_args__ = (Index("ix_event_notice_state_due_at", "state", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=120, unique=True)
    kind: str = Field(max_length=20)
    chat_id: int = Field(sa_type=BigInteger, index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    due_at: datetime
    state: str = Field(default=NoticeState.PENDING.value, max_length=16)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=300)
    not_before: datetime | None = None
    sent_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class FollowUp(SQLModel, table=True):
    """One person's answers about one introduction or meeting after `months` months."""

    __tablename__ = "event_followup"
    __table_args__ = (UniqueConstraint("telegram_id", "source", "source_id", "months",
                                       name="uq_event_followup_occasion"),)

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_type=BigInteger, index=True)
    source: str = Field(max_length=10)  # "intro" (contact request) or "meeting"
    source_id: int
    months: int
    asked_at: datetime = Field(default_factory=utcnow)
    met: bool | None = None
    project: bool | None = None
    mention: bool | None = None
    project_name: str = Field(default="", max_length=PROJECT_MAX)
    answered_at: datetime | None = Field(default=None, index=True)


class FollowUpOptOut(SQLModel, table=True):
    """Someone who said "don't ask me again"."""

    __tablename__ = "event_followup_optout"

    telegram_id: int = Field(sa_type=BigInteger, primary_key=True,
                             sa_column_kwargs={"autoincrement": False})
    at: datetime = Field(default_factory=utcnow)

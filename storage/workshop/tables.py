"""The workshop's tables (issue #13): a round of the talk's four-step method, who takes
part, every contribution with its author, the 👍 votes, and invitations to action items.

A contribution is one row whatever the step: a competence (step 1), a SWOT statement
(step 2), a synergy pair (step 3) or a draft action (step 4, its plan columns in `draft`).
Merged and dropped rows are kept (status), so nothing a member wrote is lost before the
author's own /forget_me removes it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.clock import utcnow

TITLE_MAX = 120
TEXT_MAX = 300
STEPS = (1, 2, 3, 4)
KINDS = ("competence", "swot", "synergy", "draft")  # by step
SWOT_FIELDS = ("S", "W", "O", "T")
# the talk's actor groups for competences and SWOT (slide 10)
ACTOR_GROUPS = ("companies", "research", "clusters", "others")
STATUSES = ("open", "merged", "dropped", "planned")


class WorkshopRound(SQLModel, table=True):
    """One run of the method: title, keywords, current step and a deadline per step."""

    __tablename__ = "workshop_round"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=TITLE_MAX)
    keywords: list[str] = Field(default_factory=list, sa_type=JSON)
    step: int = 1  # 1-4 current step, 5 = closed
    deadlines: dict[str, str] = Field(default_factory=dict, sa_type=JSON)  # "1" -> ISO date
    created_by: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class WorkshopParticipant(SQLModel, table=True):
    """A member invited to a round, with the words that made them match its keywords."""

    __tablename__ = "workshop_participant"
    __table_args__ = (UniqueConstraint("round_id", "telegram_id",
                                       name="uq_workshop_participant"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="workshop_round.id", ondelete="CASCADE", index=True)
    telegram_id: int = Field(sa_type=BigInteger, index=True)
    matched: list[str] = Field(default_factory=list, sa_type=JSON)
    invited_at: datetime = Field(default_factory=utcnow)


class WorkshopContribution(SQLModel, table=True):
    """What one member contributed to one step, kept with its author and language."""

    __tablename__ = "workshop_contribution"

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="workshop_round.id", ondelete="CASCADE", index=True)
    step: int
    author_id: int = Field(sa_type=BigInteger, index=True)
    text: str = Field(max_length=TEXT_MAX)
    lang: str = Field(default="de", max_length=2)
    swot_field: str | None = Field(default=None, max_length=1)  # S, W, O, T (step 2)
    actor_group: str | None = Field(default=None, max_length=16)  # ACTOR_GROUPS
    partner_id: int | None = Field(default=None, sa_type=BigInteger)  # synergy: the other
    draft: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)  # step 4 columns
    status: str = Field(default="open", max_length=8)  # STATUSES
    merged_into: int | None = None
    item_id: int | None = None  # the action item a draft became
    created_at: datetime = Field(default_factory=utcnow)


class WorkshopVote(SQLModel, table=True):
    """One 👍 of one person for one contribution."""

    __tablename__ = "workshop_vote"
    __table_args__ = (UniqueConstraint("contribution_id", "voter_id",
                                       name="uq_workshop_vote"),)

    id: int | None = Field(default=None, primary_key=True)
    contribution_id: int = Field(foreign_key="workshop_contribution.id", ondelete="CASCADE",
                                 index=True)
    voter_id: int = Field(sa_type=BigInteger, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class WorkshopInvite(SQLModel, table=True):
    """A member suggested as participant of an action item and invited by a manager; they
    accept or decline (nothing is shared without their consent)."""

    __tablename__ = "workshop_invite"
    __table_args__ = (UniqueConstraint("item_id", "telegram_id", name="uq_workshop_invite"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(index=True)
    telegram_id: int = Field(sa_type=BigInteger, index=True)
    matched: list[str] = Field(default_factory=list, sa_type=JSON)
    status: str = Field(default="open", max_length=10)  # open | accepted | declined
    invited_by: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None

"""The members feature's tables: profiles, invites, join and contact requests, saved
searches, monitoring figures and linked groups (issue #4). Data access lives in the modules
next to this one, named after what they serve."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger
from sqlmodel import Field, SQLModel

from storage.clock import utcnow

PROFILE_KINDS = ("company", "research", "public", "cluster", "other")
MONITORING_KINDS = ("events", "participants", "talks", "projects")


class Profile(SQLModel, table=True):
    """A member's matchmaking profile; imported and demo profiles have no owner yet."""

    id: int | None = Field(default=None, primary_key=True)
    # the member who owns (and edits) it; None for imported profiles not yet claimed and demos
    member_telegram_id: int | None = Field(default=None, sa_type=BigInteger, index=True,
                                           unique=True)
    # for imported profiles: the @username (lower case, without @) that will claim it
    telegram_username: str | None = Field(default=None, max_length=64, index=True)
    name: str = Field(default="", max_length=100)
    organization: str = Field(default="", max_length=150)
    kind: str = Field(default="other", max_length=16)  # one of PROFILE_KINDS
    city: str = Field(default="", max_length=100)
    offers: list[str] = Field(default_factory=list, sa_type=JSON)
    needs: list[str] = Field(default_factory=list, sa_type=JSON)
    description: str = Field(default="", max_length=500)
    visible: bool = True  # shown in matchmaking (asked explicitly in /profile)
    source: str = Field(default="member", max_length=8)  # member | import | demo
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)

    @property
    def complete(self) -> bool:
        return bool(self.name and self.organization and self.kind and self.city
                    and self.offers and self.needs)


class Invite(SQLModel, table=True):
    """An invite link token: many people may use it until it expires or is revoked."""

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=64, index=True, unique=True)
    created_by: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None


class InviteUse(SQLModel, table=True):
    """One person joining through an invite."""

    __tablename__ = "invite_use"

    id: int | None = Field(default=None, primary_key=True)
    invite_id: int = Field(index=True)
    telegram_id: int = Field(sa_type=BigInteger, index=True)
    used_at: datetime = Field(default_factory=utcnow)


class JoinRequest(SQLModel, table=True):
    """A visitor's /join request, decided by a manager."""

    __tablename__ = "join_request"

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_type=BigInteger, index=True)
    note: str = Field(default="", max_length=300)
    status: str = Field(default="open", max_length=10, index=True)  # open|accepted|declined
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
    decided_by: int | None = Field(default=None, sa_type=BigInteger)


class ContactRequest(SQLModel, table=True):
    """A member asking to be introduced to the owner of a profile."""

    __tablename__ = "contact_request"

    id: int | None = Field(default=None, primary_key=True)
    requester_id: int = Field(sa_type=BigInteger, index=True)
    profile_id: int | None = Field(default=None, index=True)
    target_telegram_id: int | None = Field(default=None, sa_type=BigInteger, index=True)
    # open | accepted | declined | forwarded (target not on Telegram: managers introduce)
    status: str = Field(default="open", max_length=10)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    decided_at: datetime | None = None


class MatchSearch(SQLModel, table=True):
    """A /match search, kept so its result pages can be turned after a restart."""

    __tablename__ = "match_search"

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_type=BigInteger, index=True)
    query: str = Field(default="", max_length=300)  # empty: "my needs"
    created_at: datetime = Field(default_factory=utcnow)


class MonitoringEntry(SQLModel, table=True):
    """A monitoring figure a manager recorded (events, participants, talks, projects)."""

    __tablename__ = "monitoring_entry"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16, index=True)  # one of MONITORING_KINDS
    value: int
    recorded_at: datetime = Field(default_factory=utcnow)
    recorded_by: int | None = Field(default=None, sa_type=BigInteger)


class LinkedGroup(SQLModel, table=True):
    """A Telegram group of the cluster: people who write there become members."""

    __tablename__ = "linked_group"

    chat_id: int = Field(sa_type=BigInteger, primary_key=True,
                         sa_column_kwargs={"autoincrement": False})
    title: str = Field(default="", max_length=128)
    linked_by: int | None = Field(default=None, sa_type=BigInteger)
    linked_at: datetime = Field(default_factory=utcnow)

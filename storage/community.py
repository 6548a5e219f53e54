"""Members: profiles, invites, join requests, introductions, monitoring figures (issue #4).

The tables live here; data access is split by topic into `storage.community_profiles` and
`storage.community_requests`. `member_data` and `forget_member` are this feature's part of
the privacy contract every feature's storage module fulfils (see core.members.privacy).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, delete, update
from sqlmodel import Field, Session, SQLModel, col, select

from storage.models import DialogRow, Member, UnansweredQuestion, utcnow

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


# ------------------------------------------------------------------ privacy contract
def _row(model: SQLModel, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    data = model.model_dump()
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in data.items()
            if k not in skip}


def member_data(*, session: Session, telegram_id: int) -> dict[str, Any]:
    """Everything this feature stores about one person, as JSON-ready data."""
    profile = session.exec(select(Profile).where(Profile.member_telegram_id == telegram_id)
                           ).first()
    sent = session.exec(select(ContactRequest).where(ContactRequest.requester_id == telegram_id)
                        .order_by(col(ContactRequest.id))).all()
    received = session.exec(select(ContactRequest)
                            .where(ContactRequest.target_telegram_id == telegram_id)
                            .order_by(col(ContactRequest.id))).all()
    return {
        "profile": _row(profile) if profile else None,
        # the other side's identity is theirs, not yours: only ids and states are exported
        "contact_requests_sent": [_row(r, skip=("requester_id", "target_telegram_id"))
                                  for r in sent],
        "contact_requests_received": [_row(r, skip=("requester_id", "target_telegram_id"))
                                      for r in received],
        "join_requests": [_row(r, skip=("decided_by",)) for r in session.exec(
            select(JoinRequest).where(JoinRequest.telegram_id == telegram_id))],
        "invites_used": [_row(r) for r in session.exec(
            select(InviteUse).where(InviteUse.telegram_id == telegram_id))],
        "invites_created": [_row(r, skip=("token",)) for r in session.exec(
            select(Invite).where(Invite.created_by == telegram_id))],
        "match_searches": [_row(r) for r in session.exec(
            select(MatchSearch).where(MatchSearch.telegram_id == telegram_id))],
        "monitoring_figures_recorded": [_row(r) for r in session.exec(
            select(MonitoringEntry).where(MonitoringEntry.recorded_by == telegram_id))],
        "groups_linked": [_row(r) for r in session.exec(
            select(LinkedGroup).where(LinkedGroup.linked_by == telegram_id))],
    }


def forget_member(*, session: Session, telegram_id: int,
                  successor_telegram_id: int | None) -> None:
    """Delete this person's profile and requests; cluster records keep no trace of them.

    Invites, monitoring figures and linked groups belong to the cluster: they stay, without
    the person's id. (The successor is for features whose items must live on; ours need none.)
    """
    profile_ids = list(session.exec(select(Profile.id).where(
        Profile.member_telegram_id == telegram_id)))
    session.execute(delete(ContactRequest).where(
        (col(ContactRequest.requester_id) == telegram_id)
        | (col(ContactRequest.target_telegram_id) == telegram_id)
        | col(ContactRequest.profile_id).in_(profile_ids)))
    session.execute(delete(JoinRequest).where(col(JoinRequest.telegram_id) == telegram_id))
    session.execute(delete(InviteUse).where(col(InviteUse.telegram_id) == telegram_id))
    session.execute(delete(MatchSearch).where(col(MatchSearch.telegram_id) == telegram_id))
    session.execute(delete(Profile).where(col(Profile.member_telegram_id) == telegram_id))
    session.execute(update(JoinRequest).where(col(JoinRequest.decided_by) == telegram_id)
                    .values(decided_by=None))
    session.execute(update(Invite).where(col(Invite.created_by) == telegram_id)
                    .values(created_by=None))
    session.execute(update(MonitoringEntry).where(col(MonitoringEntry.recorded_by) == telegram_id)
                    .values(recorded_by=None))
    session.execute(update(LinkedGroup).where(col(LinkedGroup.linked_by) == telegram_id)
                    .values(linked_by=None))


def account_data(*, session: Session, telegram_id: int) -> dict[str, Any]:
    """The foundation's rows about a person: member row, open dialog, unanswered questions."""
    member = session.exec(select(Member).where(Member.telegram_id == telegram_id)).first()
    dialog = session.get(DialogRow, telegram_id)
    questions = session.exec(select(UnansweredQuestion)
                             .where(UnansweredQuestion.telegram_id == telegram_id)
                             .order_by(col(UnansweredQuestion.asked_at))).all()
    return {
        "member": _row(member, skip=("id",)) if member else None,
        "open_dialog": _row(dialog) if dialog else None,
        "unanswered_questions": [_row(q, skip=("id", "telegram_id", "best_topic", "score"))
                                 for q in questions],
    }


def forget_account(*, session: Session, telegram_id: int) -> None:
    """Delete the foundation's rows about a person (call after every feature forgot them)."""
    session.execute(delete(DialogRow).where(col(DialogRow.telegram_id) == telegram_id))
    session.execute(delete(UnansweredQuestion).where(
        col(UnansweredQuestion.telegram_id) == telegram_id))
    session.execute(delete(Member).where(col(Member.telegram_id) == telegram_id))

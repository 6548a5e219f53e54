"""Active members with their profiles: who can be invited to a workshop round or suggested
for an action (the workshop and the action plan read them here)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.accounts.tables import Member
from storage.members.profiles import ACTIVE_ROLES
from storage.members.tables import Profile

# a profile's kind as the action plan's participant group (research, companies, ...)
_PARTICIPANT_GROUP = {"company": "companies", "research": "research", "public": "public_sector",
                      "cluster": "cluster", "other": "others"}


def participant_group(kind: str | None) -> str:
    """The action plan's participant group of a profile kind ("others" when unknown)."""
    return _PARTICIPANT_GROUP.get(kind or "other", "others")


def active_members(*, session: Session, also: frozenset[int] = frozenset()
                   ) -> list[tuple[Member, Profile | None]]:
    """Members (role member or manager, or in `also`) who have written to the bot, each
    with their profile when they have one."""
    rows = session.exec(select(Member, Profile).join(
        Profile, col(Profile.member_telegram_id) == col(Member.telegram_id), isouter=True)
        .where(col(Member.telegram_id) > 0,
               col(Member.role).in_(ACTIVE_ROLES) | col(Member.telegram_id).in_(list(also)))
        .order_by(col(Member.id))).all()
    return [(member, profile) for member, profile in rows]


def people_of(*, session: Session, telegram_ids: set[int]
              ) -> dict[int, tuple[Member, Profile | None]]:
    """Members with their profiles, by Telegram id."""
    if not telegram_ids:
        return {}
    rows = session.exec(select(Member, Profile).join(
        Profile, col(Profile.member_telegram_id) == col(Member.telegram_id), isouter=True)
        .where(col(Member.telegram_id).in_(sorted(telegram_ids)))).all()
    return {member.telegram_id: (member, profile) for member, profile in rows}

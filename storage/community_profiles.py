"""Data access for member profiles: the member's own, imported ones, and what the
matchmaking index loads."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.community import Profile
from storage.models import Member, utcnow

ACTIVE_ROLES = ("member", "manager")


@dataclass(frozen=True)
class IndexRow:
    """What the matchmaking index needs from one profile."""

    profile_id: int
    owner: int | None
    eligible: bool  # visible, and owned by an active member (or not owned: import, demo)
    offers: tuple[str, ...]
    needs: tuple[str, ...]
    text: str  # name, organisation, city and description, for the weaker text match
    updated_at: datetime


def profile_of(*, session: Session, telegram_id: int) -> Profile | None:
    return session.exec(select(Profile).where(Profile.member_telegram_id == telegram_id)).first()


def get_profile(*, session: Session, profile_id: int) -> Profile | None:
    return session.get(Profile, profile_id)


def profiles_by_id(*, session: Session, ids: Iterable[int]) -> dict[int, Profile]:
    wanted = list(ids)
    if not wanted:
        return {}
    rows = session.exec(select(Profile).where(col(Profile.id).in_(wanted))).all()
    return {row.id: row for row in rows if row.id is not None}


def save_profile(*, session: Session, telegram_id: int, name: str, organization: str,
                 kind: str, city: str, offers: Sequence[str], needs: Sequence[str],
                 description: str, visible: bool) -> Profile:
    """Create or replace the member's own profile."""
    profile = profile_of(session=session, telegram_id=telegram_id)
    if profile is None:
        profile = Profile(member_telegram_id=telegram_id, source="member")
    profile.name, profile.organization, profile.kind, profile.city = (
        name, organization, kind, city)
    profile.offers, profile.needs = list(offers), list(needs)
    profile.description, profile.visible, profile.updated_at = description, visible, utcnow()
    session.add(profile)
    session.flush()
    return profile


def set_visible(*, session: Session, telegram_id: int, visible: bool) -> Profile | None:
    profile = profile_of(session=session, telegram_id=telegram_id)
    if profile is not None:
        profile.visible, profile.updated_at = visible, utcnow()
        session.add(profile)
    return profile


def touch_profile_of(*, session: Session, telegram_id: int) -> None:
    """Mark the member's profile as changed (e.g. their role changed), for other processes."""
    profile = profile_of(session=session, telegram_id=telegram_id)
    if profile is not None:
        profile.updated_at = utcnow()
        session.add(profile)


def claim_imported_profile(*, session: Session, member: Member) -> Profile | None:
    """Give an imported profile to the member whose @username it names; they become a member.

    Called whenever a user is seen (core.identity); cheap: one indexed look-up.
    """
    if not member.username:
        return None
    profile = session.exec(select(Profile).where(
        Profile.telegram_username == member.username.lower(),
        col(Profile.member_telegram_id).is_(None))).first()
    if profile is None or profile_of(session=session, telegram_id=member.telegram_id):
        return None
    profile.member_telegram_id, profile.telegram_username = member.telegram_id, None
    profile.updated_at = utcnow()
    session.add(profile)
    if member.role not in ACTIVE_ROLES:
        member.role, member.updated_at = "member", utcnow()
        session.add(member)
    session.flush()
    return profile


def find_import_target(*, session: Session, username: str | None, name: str,
                       organization: str) -> Profile | None:
    """The profile an import row updates: same @username, else same name and organisation."""
    if username:
        owner = session.exec(select(Member).where(
            func.lower(Member.username) == username)).first()
        if owner is not None:
            owned = profile_of(session=session, telegram_id=owner.telegram_id)
            if owned is not None:
                return owned
        named = session.exec(select(Profile).where(Profile.telegram_username == username)).first()
        if named is not None:
            return named
    return session.exec(select(Profile).where(
        func.lower(Profile.name) == name.lower(),
        func.lower(Profile.organization) == organization.lower())).first()


def member_by_username(*, session: Session, username: str) -> Member | None:
    return session.exec(select(Member).where(func.lower(Member.username) == username.lower())
                        ).first()


def all_profiles(*, session: Session) -> list[tuple[Profile, Member | None]]:
    rows = session.exec(select(Profile, Member).join(
        Member, col(Member.telegram_id) == col(Profile.member_telegram_id), isouter=True)
        .order_by(col(Profile.id))).all()
    return [(profile, member) for profile, member in rows]


def count_profiles(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(Profile)).one()


def index_stamp(*, session: Session) -> tuple[int, datetime | None]:
    """How many profiles there are and when the newest change was: the index's freshness."""
    newest = session.exec(select(Profile.updated_at).order_by(
        col(Profile.updated_at).desc()).limit(1)).first()
    return count_profiles(session=session), newest


def index_rows(*, session: Session, manager_ids: frozenset[int],
               since: datetime | None = None, ids: list[int] | None = None
               ) -> Iterator[IndexRow]:
    """Profiles for the matchmaking index: all, those changed at or after `since`, or `ids`
    (streamed, so 100,000 profiles never sit in memory twice)."""
    columns: list[Any] = [
        Profile.id, Profile.member_telegram_id, Profile.visible, Profile.offers, Profile.needs,
        Profile.name, Profile.organization, Profile.city, Profile.description,
        Profile.updated_at, Member.role]
    query = sa_select(*columns).join(
        Member, col(Member.telegram_id) == col(Profile.member_telegram_id), isouter=True)
    if since is not None:
        query = query.where(col(Profile.updated_at) >= since)
    if ids is not None:
        query = query.where(col(Profile.id).in_(ids))
    for (profile_id, owner, visible, offers, needs, name, organization, city, description,
         updated_at, role) in session.execute(query).yield_per(2000):
        active = owner is None or role in ACTIVE_ROLES or owner in manager_ids
        yield IndexRow(profile_id, owner, bool(visible and active), tuple(offers or ()),
                       tuple(needs or ()), " ".join((name, organization, city, description)),
                       updated_at)


def profile_stats(*, session: Session) -> dict[str, int]:
    """Counts for /stats (only the columns needed, so 100,000 profiles stay quick)."""
    columns: list[Any] = [Profile.name, Profile.organization, Profile.kind, Profile.city,
                          Profile.offers, Profile.needs, Profile.visible, Profile.source,
                          Profile.member_telegram_id]
    counts = {"profiles": 0, "complete": 0, "visible": 0, "imported": 0, "unclaimed": 0,
              "demo": 0}
    for name, organization, kind, city, offers, needs, visible, source, owner in \
            session.execute(sa_select(*columns)).yield_per(5000):
        counts["profiles"] += 1
        counts["complete"] += bool(name and organization and kind and city and offers
                                   and needs)
        counts["visible"] += bool(visible)
        counts["imported"] += source == "import"
        counts["unclaimed"] += source == "import" and owner is None
        counts["demo"] += source == "demo"
    return counts

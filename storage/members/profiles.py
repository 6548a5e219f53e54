"""Data access for member profiles: the member's own, imported ones, demo ones, and the
counts /stats shows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.accounts.tables import Member
from storage.clock import utcnow
from storage.members.tables import Profile

ACTIVE_ROLES = ("member", "manager")


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


def add_demo_profile(*, session: Session, name: str, organization: str, kind: str, city: str,
                     offers: Sequence[str], needs: Sequence[str], description: str) -> Profile:
    """A visible profile without an owner, marked as demo."""
    profile = Profile(name=name, organization=organization, kind=kind, city=city,
                      offers=list(offers), needs=list(needs), description=description,
                      visible=True, source="demo")
    session.add(profile)
    session.flush()
    return profile


def store_imported_profile(*, session: Session, target: Profile | None, name: str,
                           organization: str, kind: str, city: str, offers: Sequence[str],
                           needs: Sequence[str], description: str,
                           telegram_username: str | None) -> Profile:
    """Write one import row into `target` (a profile found earlier) or a new profile."""
    profile = target if target is not None else Profile(source="import")
    profile.name, profile.organization, profile.kind, profile.city = (
        name, organization, kind, city)
    profile.offers, profile.needs = list(offers), list(needs)
    profile.description, profile.telegram_username = description, telegram_username
    profile.visible, profile.source, profile.updated_at = True, "import", utcnow()
    session.add(profile)
    session.flush()
    return profile


def claim_imported_profile(*, session: Session, member: Member) -> Profile | None:
    """Give an imported profile to the member whose @username it names; they become a member.

    Called whenever a user is seen (the `identified` hook); cheap: one indexed look-up.
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


def all_profiles(*, session: Session) -> list[tuple[Profile, Member | None]]:
    rows = session.exec(select(Profile, Member).join(
        Member, col(Member.telegram_id) == col(Profile.member_telegram_id), isouter=True)
        .order_by(col(Profile.id))).all()
    return [(profile, member) for profile, member in rows]


def count_profiles(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(Profile)).one()


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

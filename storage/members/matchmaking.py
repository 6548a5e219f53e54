"""Data access for matchmaking: what the in-memory index loads, and saved /match searches
(kept so result pages can be turned after a restart)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.accounts.tables import Member
from storage.members.profiles import ACTIVE_ROLES, count_profiles
from storage.members.tables import MatchSearch, Profile


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


def save_search(*, session: Session, telegram_id: int, query: str) -> MatchSearch:
    search = MatchSearch(telegram_id=telegram_id, query=query)
    session.add(search)
    session.flush()
    return search


def get_search(*, session: Session, search_id: int) -> MatchSearch | None:
    return session.get(MatchSearch, search_id)


def count_searches(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(MatchSearch)).one()

"""Data access for matchmaking: what the in-memory index loads and how it knows it is up to
date, and saved /match searches (kept so result pages can be turned after a restart)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import String, Text, cast, func, or_, type_coerce
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.accounts.tables import Member
from storage.members.profiles import ACTIVE_ROLES, count_profiles
from storage.members.tables import MatchSearch, Profile

BATCH = 2000  # rows fetched (and their keyword lists decoded) at a time
IDS_PER_QUERY = 900  # ids in one IN (...): below SQLite's oldest limit of 999 variables
_EPOCH = datetime(1970, 1, 1)  # naive: UTC
_MICROSECOND = timedelta(microseconds=1)


class IndexRow(NamedTuple):
    """What the matchmaking index needs from one profile (a named tuple: 100,000 of them
    are made at every build, and a tuple is made fastest)."""

    profile_id: int
    owner: int | None
    eligible: bool  # visible, and owned by an active member (or not owned: import, demo)
    offers: tuple[str, ...]
    needs: tuple[str, ...]
    text: str  # name, organisation, city and description, for the weaker text match
    updated_at: datetime


@dataclass(frozen=True)
class IndexStamp:
    """How many profiles there are and the newest change to a profile or to a member (a
    role decides whether an owner's profile is shown): the index's freshness."""

    count: int
    newest_profile: datetime | None
    newest_member: datetime | None


@dataclass(frozen=True)
class IndexVersions:
    """Per profile: its id, its last change (µs since 1970, UTC), whether it is shown and
    its owner (-1 for none) — what a saved index is checked against, row by row."""

    ids: list[int]
    changed: list[int]
    eligible: list[bool]
    owners: list[int]


def micros(moment: datetime) -> int:
    """A stored moment as whole microseconds since 1970 (naive moments are UTC, as SQLite
    hands them back)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return (moment - _EPOCH) // _MICROSECOND


def index_stamp(*, session: Session) -> IndexStamp:
    """The profile count and the newest profile and member changes (three cheap queries:
    `profile.updated_at` is indexed, the member table is small)."""
    newest = session.exec(select(Profile.updated_at).order_by(
        col(Profile.updated_at).desc()).limit(1)).first()
    member = session.execute(sa_select(func.max(Member.updated_at))).scalar()
    return IndexStamp(count_profiles(session=session), newest, member)


def _active(owner: int | None, role: str | None, manager_ids: frozenset[int]) -> bool:
    return owner is None or role in ACTIVE_ROLES or owner in manager_ids


def index_versions(*, session: Session, manager_ids: frozenset[int]) -> IndexVersions:
    """Every profile's id, last change, visibility and owner (no keyword lists: a tenth of
    the cost of `index_rows`)."""
    query = sa_select(Profile.id, type_coerce(Profile.updated_at, String),  # type: ignore[call-overload]
                      Profile.visible, Profile.member_telegram_id, Member.role).join(
        Member, col(Member.telegram_id) == col(Profile.member_telegram_id), isouter=True)
    versions = IndexVersions([], [], [], [])
    # Core rows (session.connection()): the ORM's row handling would double the cost
    for profile_id, updated_at, visible, owner, role in session.connection().execute(
            query.execution_options(yield_per=BATCH * 5)):
        versions.ids.append(profile_id)
        versions.changed.append(micros(_moment(updated_at)))
        versions.eligible.append(bool(visible) and _active(owner, role, manager_ids))
        versions.owners.append(-1 if owner is None else owner)
    return versions


def _keyword_lists(raw: Iterable[str | None]) -> list[Any]:
    """JSON keyword lists decoded in one call per batch (a call per row costs more than
    the decoding)."""
    return json.loads("[" + ",".join(text or "[]" for text in raw) + "]")  # type: ignore[no-any-return]


def index_rows(*, session: Session, manager_ids: frozenset[int],
               since: IndexStamp | None = None, ids: Iterable[int] | None = None
               ) -> Iterator[IndexRow]:
    """Profiles for the matchmaking index: all; those changed at or after `since` (the
    profile, or its owner's role); or `ids`. Streamed, so 100,000 profiles never sit in
    memory twice."""
    if ids is not None:
        wanted = list(ids)
        for start in range(0, len(wanted), IDS_PER_QUERY):
            yield from _rows(session, manager_ids, since, wanted[start:start + IDS_PER_QUERY])
        return
    yield from _rows(session, manager_ids, since, None)


def _rows(session: Session, manager_ids: frozenset[int], since: IndexStamp | None,
          ids: list[int] | None) -> Iterator[IndexRow]:
    columns: list[Any] = [
        Profile.id, Profile.member_telegram_id, Profile.visible, cast(Profile.offers, Text),
        cast(Profile.needs, Text), Profile.name, Profile.organization, Profile.city,
        Profile.description, type_coerce(Profile.updated_at, String), Member.role]
    query = sa_select(*columns).join(
        Member, col(Member.telegram_id) == col(Profile.member_telegram_id), isouter=True)
    if since is not None and since.newest_profile is not None:  # else every profile is new
        query = query.where(or_(
            col(Profile.updated_at) >= since.newest_profile,
            col(Member.id).is_not(None) if since.newest_member is None
            else col(Member.updated_at) >= since.newest_member))
    if ids is not None:
        query = query.where(col(Profile.id).in_(ids))
    query = query.order_by(col(Profile.id)).execution_options(yield_per=BATCH)
    for batch in session.connection().execute(query).partitions():
        offers = _keyword_lists(row[3] for row in batch)
        needs = _keyword_lists(row[4] for row in batch)
        for (profile_id, owner, visible, _, _, name, organization, city, description,
             updated_at, role), offered, needed in zip(batch, offers, needs, strict=True):
            yield IndexRow(profile_id, owner, bool(visible) and _active(owner, role, manager_ids),
                           tuple(offered or ()), tuple(needed or ()),
                           f"{name} {organization} {city} {description}", _moment(updated_at))


def _moment(value: datetime | str) -> datetime:
    """A stored moment; read as text on SQLite, where `fromisoformat` (in C) parses it ten
    times faster than the column type would (PostgreSQL's driver hands back datetimes)."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def save_search(*, session: Session, telegram_id: int, query: str) -> MatchSearch:
    search = MatchSearch(telegram_id=telegram_id, query=query)
    session.add(search)
    session.flush()
    return search


def get_search(*, session: Session, search_id: int) -> MatchSearch | None:
    return session.get(MatchSearch, search_id)


def count_searches(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(MatchSearch)).one()

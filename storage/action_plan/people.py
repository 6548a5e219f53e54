"""The people an action item names: members looked up by id, @username or name, and the
language each recipient reads (keyword-only functions taking `session=`)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.accounts.tables import Member

CHUNK = 500  # bound parameters per IN (...) list (SQLite limits them)


def member_by_id(*, session: Session, member_id: int) -> Member | None:
    return session.get(Member, member_id)


def member_by_username(*, session: Session, username: str) -> Member | None:
    """The member with this Telegram username, ignoring case."""
    return session.exec(select(Member).where(
        func.lower(Member.username) == username.lower())).first()


def members_named(*, session: Session, name: str, limit: int = 2) -> list[Member]:
    """Members whose name is `name`, ignoring case (at most `limit`: enough to see whether
    the name is unique)."""
    return list(session.exec(select(Member).where(
        func.lower(Member.name) == name.lower()).limit(limit)).all())


def members_by_id(*, session: Session, ids: set[int]) -> dict[int, Member]:
    """Members for a set of member ids (chunked: SQLite limits bound parameters)."""
    found: dict[int, Member] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        for member in session.exec(select(Member).where(col(Member.id).in_(chunk))).all():
            assert member.id is not None
            found[member.id] = member
    return found


def languages_of(*, session: Session, telegram_ids: set[int], default: str) -> dict[int, str]:
    """The language of each Telegram user (`default` for someone never seen)."""
    found: dict[int, str] = {}
    ordered = sorted(telegram_ids)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        for telegram_id, language in session.execute(
                select(Member.telegram_id, Member.language)
                .where(col(Member.telegram_id).in_(chunk))).all():
            found[int(telegram_id)] = language
    return {chat: found.get(chat, default) for chat in telegram_ids}

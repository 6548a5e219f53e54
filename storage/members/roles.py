"""Data access for roles: who is who, changing a role, finding a person to promote."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.accounts.queries import get_member
from storage.accounts.tables import Member
from storage.clock import utcnow


def set_role(*, session: Session, member: Member, role: str) -> None:
    member.role, member.updated_at = role, utcnow()
    session.add(member)


def member_by_username(*, session: Session, username: str) -> Member | None:
    return session.exec(select(Member).where(func.lower(Member.username) == username.lower())
                        ).first()


def member_or_placeholder(*, session: Session, telegram_id: int) -> Member:
    """The member with this id; one not seen yet is recorded, so a role can wait for them."""
    member = get_member(session=session, telegram_id=telegram_id)
    if member is None:
        member = Member(telegram_id=telegram_id)
        session.add(member)
        session.flush()
    return member


def members_with_roles(*, session: Session, roles: tuple[str, ...], limit: int,
                       also: frozenset[int] = frozenset()) -> list[Member]:
    """Members with one of `roles`, plus the ids in `also` (MANAGER_IDS), by name."""
    return list(session.exec(select(Member).where(
        col(Member.role).in_(roles) | col(Member.telegram_id).in_(list(also)))
        .order_by(col(Member.name)).limit(limit)))


def role_counts(*, session: Session, excluding: frozenset[int] = frozenset()
                ) -> dict[str, int]:
    """How many people have each stored role, leaving out the ids in `excluding` (the
    MANAGER_IDS managers, who are counted once as managers whatever their row says)."""
    query = select(Member.role, func.count())
    if excluding:
        query = query.where(col(Member.telegram_id).not_in(list(excluding)))
    rows = session.exec(query.group_by(col(Member.role))).all()
    return {role: int(count) for role, count in rows}

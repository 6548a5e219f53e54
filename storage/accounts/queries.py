"""Data access for members: keyword-only functions that take the session to work in."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete
from sqlalchemy import select as select_columns
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, SQLModel, col, select

from storage.accounts.tables import Member
from storage.clock import utcnow
from storage.dialogs.tables import DialogRow


def get_member(*, session: Session, telegram_id: int) -> Member | None:
    return session.exec(select(Member).where(Member.telegram_id == telegram_id)).first()


_MEMBER_TABLE: Any = Member.__table__  # type: ignore[attr-defined]
# built once: the per-update read of who wrote skips building and compiling the statement
_MEMBER_BY_TELEGRAM_ID = select_columns(_MEMBER_TABLE).where(
    _MEMBER_TABLE.c.telegram_id == bindparam("telegram_id"))


def read_member(*, connection: Connection, telegram_id: int) -> Member | None:
    """The member as stored, read with a plain SQL statement instead of an ORM query (a
    quarter of its cost; every update asks it), as a detached instance: added to a session
    later, a change to it is written as an UPDATE of that row, as if it had been loaded."""
    row = connection.execute(_MEMBER_BY_TELEGRAM_ID, {"telegram_id": telegram_id}).first()
    if row is None:
        return None
    member = Member(**row._mapping)
    make_transient_to_detached(member)
    return member


def is_current(member: Member, *, name: str, username: str | None) -> bool:
    """Does the row say what Telegram reports now (so `touch_member` would write nothing)?"""
    return (member.name == name[:200] and member.username == username
            and member.unreachable_since is None)


def touch_member(
    *, session: Session, telegram_id: int, name: str, username: str | None, language: str
) -> Member:
    """Return the member for this Telegram user, creating it on first contact.

    Name and username follow what Telegram reports; the language is only set on creation,
    afterwards it is the member's own choice (/language). Writing again clears a
    "blocked the bot" mark.
    """
    member = get_member(session=session, telegram_id=telegram_id)
    if member is None:
        member = _first_contact(session=session, member=Member(
            telegram_id=telegram_id, name=name[:200], username=username, language=language))
    elif not is_current(member, name=name, username=username):
        # a user who writes again has unblocked the bot: reminders may reach them again
        member.name, member.username, member.updated_at = name[:200], username, utcnow()
        member.unreachable_since = None
        session.add(member)
    return member


def _first_contact(*, session: Session, member: Member) -> Member:
    """Insert a new member, or take the row another update of the same new user inserted at
    the same moment (two updates handled concurrently, or two instances): the insert skips
    an existing telegram_id instead of failing on the UNIQUE constraint, then reads back."""
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    session.execute(module.insert(Member.__table__)  # type: ignore[attr-defined]
                    .values(**member.model_dump(exclude={"id"}))
                    .on_conflict_do_nothing(index_elements=["telegram_id"]))
    stored = get_member(session=session, telegram_id=member.telegram_id)
    if stored is None:  # pragma: no cover - the row exists: inserted or skipped
        raise RuntimeError(f"member {member.telegram_id} neither inserted nor found")
    return stored


def set_language(*, session: Session, telegram_id: int, language: str) -> Member | None:
    member = get_member(session=session, telegram_id=telegram_id)
    if member is not None:
        member.language, member.updated_at = language, utcnow()
        session.add(member)
    return member


def stored_manager_ids(*, session: Session) -> list[int]:
    """Telegram ids of members promoted to manager (MANAGER_IDS are not stored)."""
    return list(session.exec(select(Member.telegram_id).where(Member.role == "manager")))


def all_manager_ids(*, session: Session, configured: Iterable[int]) -> list[int]:
    """Everyone who acts as a manager: the configured MANAGER_IDS and promoted members
    (the console user, id 0, is never one)."""
    stored = stored_manager_ids(session=session)
    return sorted({i for i in (*configured, *stored) if i > 0})


def _row(model: SQLModel, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    data = model.model_dump()
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in data.items()
            if k not in skip}


def account_data(*, session: Session, telegram_id: int) -> dict[str, Any]:
    """The kernel's rows about a person, for their data export: member row, open dialog."""
    member = get_member(session=session, telegram_id=telegram_id)
    dialog = session.get(DialogRow, telegram_id)
    return {
        "member": _row(member, skip=("id",)) if member else None,
        "open_dialog": _row(dialog) if dialog else None,
    }


def forget_account(*, session: Session, telegram_id: int) -> None:
    """Delete the kernel's rows about a person (after every feature has forgotten them)."""
    session.execute(delete(DialogRow).where(col(DialogRow.telegram_id) == telegram_id))
    session.execute(delete(Member).where(col(Member.telegram_id) == telegram_id))

"""Data access for the cluster's linked Telegram groups."""

from __future__ import annotations

from sqlmodel import Session

from storage.clock import utcnow
from storage.members.tables import LinkedGroup


def linked_group(*, session: Session, chat_id: int) -> LinkedGroup | None:
    return session.get(LinkedGroup, chat_id)


def link_group(*, session: Session, chat_id: int, title: str, linked_by: int) -> LinkedGroup:
    group = linked_group(session=session, chat_id=chat_id) or LinkedGroup(chat_id=chat_id)
    group.title, group.linked_by, group.linked_at = title[:128], linked_by, utcnow()
    session.add(group)
    return group


def unlink_group(*, session: Session, chat_id: int) -> bool:
    group = linked_group(session=session, chat_id=chat_id)
    if group is None:
        return False
    session.delete(group)
    return True

"""Data access for open dialogs: one row per user, replaced on every step."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from storage.clock import utcnow
from storage.dialogs.tables import DialogRow

_DIALOGS: Any = DialogRow.__table__  # type: ignore[attr-defined]
# built once: every private message asks for the open dialog
_DIALOG_OF = select(_DIALOGS.c.feature, _DIALOGS.c.step, _DIALOGS.c.data,
                    _DIALOGS.c.updated_at).where(
    _DIALOGS.c.telegram_id == bindparam("telegram_id"))


def save_dialog(*, session: Session, telegram_id: int, feature: str, step: str,
                data: dict[str, Any]) -> None:
    """Open or move on the user's dialog (any earlier one is replaced)."""
    row = session.get(DialogRow, telegram_id) or DialogRow(telegram_id=telegram_id)
    row.feature, row.step, row.data, row.updated_at = feature, step, data, utcnow()
    session.add(row)


def load_dialog(*, connection: Connection, telegram_id: int,
                max_age: timedelta) -> tuple[str, str, dict[str, Any], datetime] | None:
    """(feature, step, data, last saved) of the user's dialog; an older one is deleted as
    abandoned.

    A plain SQL read, not the ORM's: every private message asks it, and it is almost
    always "none" or one row that only needs reading."""
    row = connection.execute(_DIALOG_OF, {"telegram_id": telegram_id}).first()
    if row is None:
        return None
    feature, step, data, updated = row
    if updated.tzinfo is None:
        updated = updated.replace(tzinfo=utcnow().tzinfo)
    if utcnow() - updated > max_age:
        connection.execute(delete(_DIALOGS).where(_DIALOGS.c.telegram_id == telegram_id))
        return None
    return feature, step, dict(data or {}), updated


def delete_dialog(*, session: Session, telegram_id: int) -> bool:
    """Close the user's dialog; True when there was one."""
    row = session.get(DialogRow, telegram_id)
    if row is None:
        return False
    session.delete(row)
    return True

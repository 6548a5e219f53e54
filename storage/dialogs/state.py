"""Data access for open dialogs: one row per user, replaced on every step."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session

from storage.clock import utcnow
from storage.dialogs.tables import DialogRow


def save_dialog(*, session: Session, telegram_id: int, feature: str, step: str,
                data: dict[str, Any]) -> None:
    """Open or move on the user's dialog (any earlier one is replaced)."""
    row = session.get(DialogRow, telegram_id) or DialogRow(telegram_id=telegram_id)
    row.feature, row.step, row.data, row.updated_at = feature, step, data, utcnow()
    session.add(row)


def load_dialog(*, session: Session, telegram_id: int,
                max_age: timedelta) -> tuple[str, str, dict[str, Any]] | None:
    """(feature, step, data) of the user's dialog; an older one is deleted as abandoned."""
    row = session.get(DialogRow, telegram_id)
    if row is None:
        return None
    updated = row.updated_at if row.updated_at.tzinfo else row.updated_at.replace(
        tzinfo=utcnow().tzinfo)
    if utcnow() - updated > max_age:
        session.delete(row)
        return None
    return row.feature, row.step, dict(row.data or {})


def delete_dialog(*, session: Session, telegram_id: int) -> bool:
    """Close the user's dialog; True when there was one."""
    row = session.get(DialogRow, telegram_id)
    if row is None:
        return False
    session.delete(row)
    return True

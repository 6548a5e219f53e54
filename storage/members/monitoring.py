"""Data access for the monitoring figures managers record (events, participants, talks,
projects)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.accounts.tables import Member
from storage.members.tables import MonitoringEntry


def add_monitoring(*, session: Session, kind: str, value: int, recorded_by: int
                   ) -> MonitoringEntry:
    entry = MonitoringEntry(kind=kind, value=value, recorded_by=recorded_by)
    session.add(entry)
    session.flush()
    return entry


def monitoring_totals(*, session: Session) -> dict[str, int]:
    rows = session.exec(select(MonitoringEntry.kind, func.sum(MonitoringEntry.value))
                        .group_by(col(MonitoringEntry.kind))).all()
    return {kind: int(total or 0) for kind, total in rows}


def recent_monitoring(*, session: Session, limit: int) -> list[tuple[MonitoringEntry, str]]:
    """The newest entries with the recorder's name ('' when unknown or forgotten)."""
    rows = session.exec(select(MonitoringEntry, Member.name).join(
        Member, col(Member.telegram_id) == col(MonitoringEntry.recorded_by), isouter=True)
        .order_by(col(MonitoringEntry.id).desc()).limit(limit)).all()
    return [(entry, name or "") for entry, name in rows]

"""Data access for the cluster's funding records and the stored founding year."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.clock import utcnow
from storage.pitfalls.tables import Funding, PitfallSetting

FOUNDED_KEY = "cluster_founded"


def funding_years(*, session: Session) -> list[Funding]:
    return list(session.exec(select(Funding).order_by(col(Funding.year))).all())


def get_funding(*, session: Session, year: int) -> Funding | None:
    return session.exec(select(Funding).where(Funding.year == year)).first()


def save_funding(*, session: Session, year: int, membership_fees: int, public_funding: int,
                 services: int, projects: int, updated_by: int | None) -> Funding:
    """Create or replace the record of one year."""
    row = get_funding(session=session, year=year) or Funding(year=year)
    row.membership_fees, row.public_funding = membership_fees, public_funding
    row.services, row.projects = services, projects
    row.updated_at, row.updated_by = utcnow(), updated_by
    session.add(row)
    session.flush()
    return row


def delete_funding(*, session: Session, year: int) -> bool:
    """Delete the record of one year; False when there is none."""
    row = get_funding(session=session, year=year)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def stored_founded_year(*, session: Session) -> int | None:
    row = session.get(PitfallSetting, FOUNDED_KEY)
    return int(row.value) if row is not None and row.value.isdigit() else None


def store_founded_year(*, session: Session, year: int) -> None:
    row = session.get(PitfallSetting, FOUNDED_KEY) or PitfallSetting(key=FOUNDED_KEY)
    row.value, row.updated_at = str(year), utcnow()
    session.add(row)

"""The members feature's part of /export_my_data and /forget_me: profiles, requests,
invites, searches, figures and groups of one person."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, SQLModel, col, select

from storage.members.tables import (
    ContactRequest,
    Invite,
    InviteUse,
    JoinRequest,
    LinkedGroup,
    MatchSearch,
    MonitoringEntry,
    Profile,
)


def _row(model: SQLModel, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    data = model.model_dump()
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in data.items()
            if k not in skip}


def member_data(*, session: Session, telegram_id: int) -> dict[str, Any]:
    """Everything this feature stores about one person, as JSON-ready data."""
    profile = session.exec(select(Profile).where(Profile.member_telegram_id == telegram_id)
                           ).first()
    sent = session.exec(select(ContactRequest).where(ContactRequest.requester_id == telegram_id)
                        .order_by(col(ContactRequest.id))).all()
    received = session.exec(select(ContactRequest)
                            .where(ContactRequest.target_telegram_id == telegram_id)
                            .order_by(col(ContactRequest.id))).all()
    return {
        "profile": _row(profile) if profile else None,
        # the other side's identity is theirs, not yours: only ids and states are exported
        "contact_requests_sent": [_row(r, skip=("requester_id", "target_telegram_id"))
                                  for r in sent],
        "contact_requests_received": [_row(r, skip=("requester_id", "target_telegram_id"))
                                      for r in received],
        "join_requests": [_row(r, skip=("decided_by",)) for r in session.exec(
            select(JoinRequest).where(JoinRequest.telegram_id == telegram_id))],
        "invites_used": [_row(r) for r in session.exec(
            select(InviteUse).where(InviteUse.telegram_id == telegram_id))],
        "invites_created": [_row(r, skip=("token",)) for r in session.exec(
            select(Invite).where(Invite.created_by == telegram_id))],
        "match_searches": [_row(r) for r in session.exec(
            select(MatchSearch).where(MatchSearch.telegram_id == telegram_id))],
        "monitoring_figures_recorded": [_row(r) for r in session.exec(
            select(MonitoringEntry).where(MonitoringEntry.recorded_by == telegram_id))],
        "groups_linked": [_row(r) for r in session.exec(
            select(LinkedGroup).where(LinkedGroup.linked_by == telegram_id))],
    }


def forget_member(*, session: Session, telegram_id: int) -> None:
    """Delete this person's profile and requests; cluster records keep no trace of them.

    Invites, monitoring figures and linked groups belong to the cluster: they stay, without
    the person's id.
    """
    profile_ids = list(session.exec(select(Profile.id).where(
        Profile.member_telegram_id == telegram_id)))
    session.execute(delete(ContactRequest).where(
        (col(ContactRequest.requester_id) == telegram_id)
        | (col(ContactRequest.target_telegram_id) == telegram_id)
        | col(ContactRequest.profile_id).in_(profile_ids)))
    session.execute(delete(JoinRequest).where(col(JoinRequest.telegram_id) == telegram_id))
    session.execute(delete(InviteUse).where(col(InviteUse.telegram_id) == telegram_id))
    session.execute(delete(MatchSearch).where(col(MatchSearch.telegram_id) == telegram_id))
    session.execute(delete(Profile).where(col(Profile.member_telegram_id) == telegram_id))
    session.execute(update(JoinRequest).where(col(JoinRequest.decided_by) == telegram_id)
                    .values(decided_by=None))
    session.execute(update(Invite).where(col(Invite.created_by) == telegram_id)
                    .values(created_by=None))
    session.execute(update(MonitoringEntry).where(col(MonitoringEntry.recorded_by) == telegram_id)
                    .values(recorded_by=None))
    session.execute(update(LinkedGroup).where(col(LinkedGroup.linked_by) == telegram_id)
                    .values(linked_by=None))

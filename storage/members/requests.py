"""Data access for requests someone decides once: join requests (a manager decides) and
contact requests (the member asked decides)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.clock import utcnow
from storage.members.tables import ContactRequest, JoinRequest

OPEN, ACCEPTED, DECLINED, FORWARDED = "open", "accepted", "declined", "forwarded"


def decide_request(*, session: Session, request: JoinRequest | ContactRequest, accepted: bool,
                   decided_by: int | None = None) -> None:
    """Record the one decision on an open request (and, for join requests, who took it)."""
    request.status, request.decided_at = (ACCEPTED if accepted else DECLINED), utcnow()
    if isinstance(request, JoinRequest):
        request.decided_by = decided_by
    session.add(request)


# ------------------------------------------------------------------ join requests
def open_join_request(*, session: Session, telegram_id: int) -> JoinRequest | None:
    return session.exec(select(JoinRequest).where(JoinRequest.telegram_id == telegram_id,
                                                  JoinRequest.status == OPEN)).first()


def create_join_request(*, session: Session, telegram_id: int, note: str) -> JoinRequest:
    request = JoinRequest(telegram_id=telegram_id, note=note)
    session.add(request)
    session.flush()
    return request


def get_join_request(*, session: Session, request_id: int) -> JoinRequest | None:
    return session.get(JoinRequest, request_id)


def count_open_join_requests(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(JoinRequest)
                        .where(JoinRequest.status == OPEN)).one()


# ------------------------------------------------------------------ contact requests
def requests_since(*, session: Session, requester_id: int, since: datetime) -> int:
    return session.exec(select(func.count()).select_from(ContactRequest).where(
        ContactRequest.requester_id == requester_id,
        col(ContactRequest.created_at) >= since)).one()


def oldest_request_since(*, session: Session, requester_id: int, since: datetime
                         ) -> datetime | None:
    return session.exec(select(ContactRequest.created_at).where(
        ContactRequest.requester_id == requester_id, col(ContactRequest.created_at) >= since)
        .order_by(col(ContactRequest.created_at)).limit(1)).first()


def latest_request_between(*, session: Session, requester_id: int, profile_id: int
                           ) -> ContactRequest | None:
    return session.exec(select(ContactRequest).where(
        ContactRequest.requester_id == requester_id, ContactRequest.profile_id == profile_id)
        .order_by(col(ContactRequest.id).desc()).limit(1)).first()


def create_contact_request(*, session: Session, requester_id: int, profile_id: int,
                           target_telegram_id: int | None, status: str) -> ContactRequest:
    request = ContactRequest(requester_id=requester_id, profile_id=profile_id,
                             target_telegram_id=target_telegram_id, status=status)
    session.add(request)
    session.flush()
    return request


def get_contact_request(*, session: Session, request_id: int) -> ContactRequest | None:
    return session.get(ContactRequest, request_id)


def contact_stats(*, session: Session) -> dict[str, int]:
    rows = session.exec(select(ContactRequest.status, func.count())
                        .group_by(col(ContactRequest.status))).all()
    counts = {status: int(count) for status, count in rows}
    counts["total"] = sum(counts.values())
    return counts

"""Data access for joining and introductions: invites, join requests, contact requests,
saved searches, linked groups, roles and the monitoring figures."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.community import (
    ContactRequest,
    Invite,
    InviteUse,
    JoinRequest,
    LinkedGroup,
    MatchSearch,
    MonitoringEntry,
)
from storage.models import Member, utcnow


# ------------------------------------------------------------------ invites
def create_invite(*, session: Session, token: str, created_by: int, valid_days: int) -> Invite:
    now = utcnow()
    invite = Invite(token=token, created_by=created_by, created_at=now,
                    expires_at=now + timedelta(days=valid_days))
    session.add(invite)
    session.flush()
    return invite


def invite_by_token(*, session: Session, token: str) -> Invite | None:
    return session.exec(select(Invite).where(Invite.token == token)).first()


def get_invite(*, session: Session, invite_id: int) -> Invite | None:
    return session.get(Invite, invite_id)


def active_invites(*, session: Session) -> list[tuple[Invite, int]]:
    """Invites neither expired nor revoked, newest first, with how often each was used."""
    now = utcnow()
    uses = (select(InviteUse.invite_id, func.count().label("uses"))
            .group_by(col(InviteUse.invite_id)).subquery())
    rows = session.exec(select(Invite, uses.c.uses).join(
        uses, uses.c.invite_id == col(Invite.id), isouter=True)
        .where(col(Invite.revoked_at).is_(None), col(Invite.expires_at) > now)
        .order_by(col(Invite.id).desc())).all()
    return [(invite, int(count or 0)) for invite, count in rows]


def record_invite_use(*, session: Session, invite_id: int, telegram_id: int) -> None:
    session.add(InviteUse(invite_id=invite_id, telegram_id=telegram_id))


def invite_use_count(*, session: Session, invite_id: int) -> int:
    return session.exec(select(func.count()).select_from(InviteUse)
                        .where(InviteUse.invite_id == invite_id)).one()


# ------------------------------------------------------------------ roles and members
def set_role(*, session: Session, member: Member, role: str) -> None:
    member.role, member.updated_at = role, utcnow()
    session.add(member)


def members_with_roles(*, session: Session, roles: tuple[str, ...], limit: int,
                       also: frozenset[int] = frozenset()) -> list[Member]:
    """Members with one of `roles`, plus the ids in `also` (MANAGER_IDS), by name."""
    return list(session.exec(select(Member).where(
        col(Member.role).in_(roles) | col(Member.telegram_id).in_(list(also)))
        .order_by(col(Member.name)).limit(limit)))


def role_counts(*, session: Session) -> dict[str, int]:
    rows = session.exec(select(Member.role, func.count()).group_by(col(Member.role))).all()
    return {role: int(count) for role, count in rows}


# ------------------------------------------------------------------ join requests
def open_join_request(*, session: Session, telegram_id: int) -> JoinRequest | None:
    return session.exec(select(JoinRequest).where(JoinRequest.telegram_id == telegram_id,
                                                  JoinRequest.status == "open")).first()


def create_join_request(*, session: Session, telegram_id: int, note: str) -> JoinRequest:
    request = JoinRequest(telegram_id=telegram_id, note=note)
    session.add(request)
    session.flush()
    return request


def get_join_request(*, session: Session, request_id: int) -> JoinRequest | None:
    return session.get(JoinRequest, request_id)


def count_open_join_requests(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(JoinRequest)
                        .where(JoinRequest.status == "open")).one()


# ------------------------------------------------------------------ linked groups
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


# ------------------------------------------------------------------ searches
def save_search(*, session: Session, telegram_id: int, query: str) -> MatchSearch:
    search = MatchSearch(telegram_id=telegram_id, query=query)
    session.add(search)
    session.flush()
    return search


def get_search(*, session: Session, search_id: int) -> MatchSearch | None:
    return session.get(MatchSearch, search_id)


def count_searches(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(MatchSearch)).one()


# ------------------------------------------------------------------ monitoring figures
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

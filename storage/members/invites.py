"""Data access for invite links: creating, looking up, revoking, and who used them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.clock import utcnow
from storage.members.tables import Invite, InviteUse


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


def revoke_invite(*, session: Session, invite: Invite) -> None:
    invite.revoked_at = utcnow()
    session.add(invite)


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

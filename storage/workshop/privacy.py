"""The workshop's part of /export_my_data and /forget_me: contributions, votes,
participation and participant invitations are the person's; rounds belong to the cluster."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.workshop.contributions import forget_author
from storage.workshop.plan import invites_of
from storage.workshop.tables import (
    WorkshopContribution,
    WorkshopInvite,
    WorkshopParticipant,
    WorkshopVote,
)


def member_data(*, session: Session, telegram_id: int) -> dict[str, Any]:
    mine = session.exec(select(WorkshopContribution).where(
        WorkshopContribution.author_id == telegram_id)).all()
    votes = session.exec(select(WorkshopVote.contribution_id).where(
        WorkshopVote.voter_id == telegram_id)).all()
    rounds = session.exec(select(WorkshopParticipant.round_id).where(
        WorkshopParticipant.telegram_id == telegram_id)).all()
    return {
        "rounds": list(rounds),
        "contributions": [{"id": c.id, "round": c.round_id, "step": c.step, "text": c.text,
                           "lang": c.lang, "swot_field": c.swot_field,
                           "actor_group": c.actor_group, "draft": c.draft,
                           "status": c.status, "created_at": c.created_at.isoformat()}
                          for c in mine],
        "votes_for": list(votes),
        "invites": [{"item": i.item_id, "status": i.status}
                    for i in invites_of(session=session, telegram_id=telegram_id)],
    }


def forget_member(*, session: Session, telegram_id: int) -> None:
    forget_author(session=session, telegram_id=telegram_id)
    # a synergy naming them as partner says something about them: it goes too
    session.execute(delete(WorkshopContribution).where(
        col(WorkshopContribution.partner_id) == telegram_id))
    session.execute(delete(WorkshopParticipant).where(
        col(WorkshopParticipant.telegram_id) == telegram_id))
    session.execute(delete(WorkshopInvite).where(
        col(WorkshopInvite.telegram_id) == telegram_id))

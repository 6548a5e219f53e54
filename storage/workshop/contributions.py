"""Data access for contributions and votes (keyword-only functions taking `session=`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from storage.workshop.tables import WorkshopContribution, WorkshopVote


def add_contribution(*, session: Session, round_id: int, step: int, author_id: int,
                     text: str, lang: str, **fields: Any) -> WorkshopContribution:
    found = WorkshopContribution(round_id=round_id, step=step, author_id=author_id,
                                 text=text, lang=lang, **fields)
    session.add(found)
    session.flush()
    return found


def get_contribution(*, session: Session, contribution_id: int
                     ) -> WorkshopContribution | None:
    return session.get(WorkshopContribution, contribution_id)


def contributions(*, session: Session, round_id: int, step: int | None = None,
                  open_only: bool = True) -> list[WorkshopContribution]:
    """A round's contributions (one step's, or all), oldest first."""
    query = select(WorkshopContribution).where(WorkshopContribution.round_id == round_id)
    if step is not None:
        query = query.where(WorkshopContribution.step == step)
    if open_only:
        query = query.where(col(WorkshopContribution.status).in_(("open", "planned")))
    return list(session.exec(query.order_by(col(WorkshopContribution.id))))


def find_same(*, session: Session, round_id: int, step: int, author_id: int, text: str,
              partner_id: int | None = None) -> WorkshopContribution | None:
    """The author's own open contribution with exactly this text (a double tap)."""
    return session.exec(select(WorkshopContribution).where(
        WorkshopContribution.round_id == round_id, WorkshopContribution.step == step,
        WorkshopContribution.author_id == author_id, WorkshopContribution.text == text,
        WorkshopContribution.partner_id == partner_id,
        WorkshopContribution.status == "open")).first()


def save_contribution(*, session: Session, found: WorkshopContribution) -> None:
    session.add(found)


def vote_counts(*, session: Session, round_id: int) -> dict[int, int]:
    """👍 per contribution of a round."""
    rows = session.exec(select(WorkshopVote.contribution_id, func.count())
                        .join(WorkshopContribution, col(WorkshopContribution.id)
                              == col(WorkshopVote.contribution_id))
                        .where(WorkshopContribution.round_id == round_id)
                        .group_by(col(WorkshopVote.contribution_id))).all()
    return {int(cid): int(count) for cid, count in rows}


def toggle_vote(*, session: Session, contribution_id: int, voter_id: int) -> bool:
    """Give or take back one person's 👍; True when it is given now."""
    existing = session.exec(select(WorkshopVote).where(
        WorkshopVote.contribution_id == contribution_id,
        WorkshopVote.voter_id == voter_id)).first()
    if existing is not None:
        session.delete(existing)
        return False
    session.add(WorkshopVote(contribution_id=contribution_id, voter_id=voter_id))
    session.flush()
    return True


def move_votes(*, session: Session, source_id: int, target_id: int) -> None:
    """The votes of a merged contribution count for the one it was merged into (one per
    person: someone who voted for both keeps one)."""
    already = set(session.exec(select(WorkshopVote.voter_id).where(
        WorkshopVote.contribution_id == target_id)))
    for vote in session.exec(select(WorkshopVote).where(
            WorkshopVote.contribution_id == source_id)).all():
        if vote.voter_id in already:
            session.delete(vote)
        else:
            vote.contribution_id = target_id
            session.add(vote)


def forget_author(*, session: Session, telegram_id: int) -> None:
    """Remove everything the person contributed or voted (their /forget_me)."""
    session.execute(delete(WorkshopVote).where(col(WorkshopVote.voter_id) == telegram_id))
    mine = list(session.exec(select(WorkshopContribution.id).where(
        WorkshopContribution.author_id == telegram_id)))
    if mine:
        session.execute(delete(WorkshopVote).where(
            col(WorkshopVote.contribution_id).in_(mine)))
        # others' statements merged into one of theirs stand on their own again
        session.execute(update(WorkshopContribution).where(
            col(WorkshopContribution.merged_into).in_(mine)).values(status="open",
                                                                  merged_into=None))
        session.execute(delete(WorkshopContribution).where(
            col(WorkshopContribution.id).in_(mine)))

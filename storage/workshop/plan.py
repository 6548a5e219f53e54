"""A draft of step 4 becomes an action item: written through the action plan's storage
(the item, its first history entry and the "you are responsible" notice in one unit of
work), so the plan's reminder pass tells the responsible person exactly as it does for
/plan_add, with the never-lost guarantee; and participant invitations to that item."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select

from storage.accounts.tables import Member
from storage.action_plan.items import add_item
from storage.action_plan.notices import add_notice
from storage.action_plan.people import member_by_username, members_named
from storage.action_plan.tables import NOTICE_ASSIGNED, PlanItem
from storage.workshop.tables import WorkshopInvite


def find_responsible(*, session: Session, text: str) -> Member | None:
    """The member an answer names: '@anna' or an exact, unique name."""
    text = " ".join(text.split()).strip()
    if not text:
        return None
    if text.startswith("@"):
        return member_by_username(session=session, username=text[1:])
    named = members_named(session=session, name=text, limit=2)
    if len(named) == 1:
        return named[0]
    return member_by_username(session=session, username=text)


def create_item(*, session: Session, topic: str, action: str, deadline: date,
                responsible: Member | None, responsible_text: str, participants: str,
                groups: list[str], kpi: str, by_telegram_id: int, by_name: str,
                now: datetime) -> PlanItem:
    """Store the item with its history entry and, when someone else is responsible, the
    notice that the reminder pass delivers. Its reminders are planned at the next pass
    (`next_reminder_at` = now makes the pass look at it)."""
    item = PlanItem(topic=topic, action=action, deadline=deadline, participants=participants,
                    participant_groups=groups, kpi=kpi, created_by=by_telegram_id,
                    updated_by=by_telegram_id, created_at=now, updated_at=now,
                    planned_from=now)
    if responsible is not None:
        item.responsible_id = responsible.id
    elif responsible_text.startswith("@") and len(responsible_text) > 1:
        item.responsible_username = responsible_text[1:64]
    elif responsible_text:
        item.responsible_name = responsible_text[:200]
    if item.responsible_id is not None or item.responsible_username:
        item.next_reminder_at = now
    add_item(session=session, item=item, by_name=by_name)
    assert item.id is not None
    told_themselves = responsible is not None and responsible.telegram_id == by_telegram_id
    if item.next_reminder_at is not None and not told_themselves:
        add_notice(session=session, item_id=item.id, kind=NOTICE_ASSIGNED, now=now)
    return item


def invite(*, session: Session, item_id: int, telegram_id: int, matched: list[str],
           invited_by: int) -> WorkshopInvite | None:
    """Invite a member to take part in an item; None when they were invited already."""
    if session.exec(select(WorkshopInvite).where(
            WorkshopInvite.item_id == item_id,
            WorkshopInvite.telegram_id == telegram_id)).first() is not None:
        return None
    found = WorkshopInvite(item_id=item_id, telegram_id=telegram_id, matched=matched[:5],
                           invited_by=invited_by)
    session.add(found)
    session.flush()
    return found


def get_invite(*, session: Session, invite_id: int) -> WorkshopInvite | None:
    return session.get(WorkshopInvite, invite_id)


def decide_invite(*, session: Session, found: WorkshopInvite, accepted: bool,
                  now: datetime) -> None:
    found.status, found.decided_at = ("accepted" if accepted else "declined"), now
    session.add(found)


def get_item(*, session: Session, item_id: int) -> PlanItem | None:
    return session.get(PlanItem, item_id)


def add_participant_name(*, session: Session, item: PlanItem, name: str, limit: int
                         ) -> None:
    """Name an accepting member among the item's participants (free text, kept short)."""
    names = [n.strip() for n in item.participants.split(",") if n.strip()]
    if name not in names:
        joined = ", ".join([*names, name])
        if len(joined) <= limit:
            item.participants = joined
            session.add(item)


def invites_of(*, session: Session, telegram_id: int) -> list[WorkshopInvite]:
    return list(session.exec(select(WorkshopInvite).where(
        WorkshopInvite.telegram_id == telegram_id).order_by(col(WorkshopInvite.id))))

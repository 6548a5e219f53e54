"""Telling people about changes to the plan that concern them.

The responsible person is told when they are named (/plan_add, an edit of the responsible
field, a CSV import), when items are handed to them after someone's /forget_me, and when
someone else moves their deadline. Each notice is a `reminder` row recorded in the unit of
work of the change (`note_assignment`, `note_moved`; storage.action_plan.notices), so the
reminder pass delivers it with the never-lost guarantee - to an @username too, at the first
pass after that person starts the bot. An interactive reply takes the notices of its item at
once (`deliver_now`, for `Reply.extra`) and records them as sent, so the pass never repeats
them. Nobody is told about what they did themselves.

The notice also counts as the reminder of any occasion whose moment had already passed when
the item was saved or its deadline changed: such occasions never apply (schedule), later
ones stay planned - so no reminder is lost or doubled.

The creator of an item - or the managers, when the creator is gone - hears when someone else
marks it done or postpones it (`tell_creator`).
"""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date, datetime

from sqlmodel import Session

from core.action_plan.buttons import ACTIONS
from core.action_plan.due import Batch, clock_for, manager_chat_ids
from core.action_plan.fields import member_display
from core.action_plan.notify import render_batch
from core.action_plan.rules import is_active
from core.actor import Actor
from core.i18n import t
from core.locale import format_date
from core.reply import Outgoing, Reply
from core.services import Services
from storage.accounts.queries import get_member
from storage.action_plan.notices import add_notice, drop_notices, take, waiting_notices
from storage.action_plan.people import languages_of, member_by_id
from storage.action_plan.tables import NOTICE_ASSIGNED, NOTICE_MOVED, PlanItem
from storage.clock import utcnow
from storage.engine import session_scope


def _told_by_themselves(session: Session, item: PlanItem, by_telegram_id: int | None) -> bool:
    """Whether the person responsible for `item` is the one who made the change."""
    if by_telegram_id is None or item.responsible_id is None:
        return False
    member = member_by_id(session=session, member_id=item.responsible_id)
    return member is not None and member.telegram_id == by_telegram_id


def _reachable_later(item: PlanItem) -> bool:
    """A member or an @username: someone the bot can message (now or once they start it)."""
    return is_active(item) and (item.responsible_id is not None
                                or bool(item.responsible_username))


def note_assignment(session: Session, item: PlanItem, *, by_telegram_id: int | None,
                    now: datetime, kind: str = NOTICE_ASSIGNED) -> None:
    """In the change's unit of work: the (new) responsible person is to be told; a notice
    still waiting for whoever was responsible before is dropped."""
    assert item.id is not None
    if not _reachable_later(item) or _told_by_themselves(session, item, by_telegram_id):
        drop_notices(session=session, item_id=item.id)
        return
    add_notice(session=session, item_id=item.id, kind=kind, now=now)


def note_moved(session: Session, item: PlanItem, *, by_telegram_id: int | None,
               now: datetime) -> None:
    """In the change's unit of work: someone else moved the deadline; tell the responsible."""
    assert item.id is not None
    if _reachable_later(item) and not _told_by_themselves(session, item, by_telegram_id):
        add_notice(session=session, item_id=item.id, kind=NOTICE_MOVED, now=now)


def deliver_now(services: Services, item_ids: list[int], *, actor: Actor | None = None,
                now: datetime | None = None) -> tuple[Outgoing, ...]:
    """The waiting notices of these items whose recipient can be reached right now, as
    messages to send with the reply; recorded as sent. Others stay for the reminder pass.
    A notice for `actor` themselves is recorded as sent too: the reply shows them the card."""
    now = now or utcnow()
    batches: dict[int, Batch] = {}
    with session_scope(services.engine) as session:
        waiting = waiting_notices(session=session, item_ids=item_ids)
    for notice in waiting:
        if notice.chat_id is None or notice.language is None:
            continue
        batch = batches.setdefault(notice.chat_id, Batch(notice.chat_id, notice.language))
        batch.reminder_ids.append(notice.id)
        batch.item_ids.append(notice.item_id)
        batch.notices[notice.item_id] = notice.kind
    taken: list[Batch] = []
    for chat_id, batch in batches.items():
        with session_scope(services.engine) as session:  # one chat's rows at a time
            if take(session=session, ids=batch.reminder_ids, chat_id=chat_id, now=now):
                taken.append(batch)  # else the pass is sending them right now
    clock = clock_for(services, now)
    messages = ((batch.chat_id, render_batch(services, batch, clock)) for batch in taken
                if actor is None or batch.chat_id != actor.user_id)
    return tuple(Outgoing(chat_id, reply) for chat_id, reply in messages if reply is not None)


def tell_creator(services: Services, actor: Actor, item: PlanItem, key: str,
                 **dates: date) -> tuple[Outgoing, ...]:
    """A message for the item's creator - or, when the creator is gone, the managers -
    that `actor` changed it (`key`: plan_creator_done, plan_creator_postponed, with `dates`
    shown in each reader's language); nothing when the actor is the creator."""
    if item.created_by == actor.user_id:
        return ()
    with session_scope(services.engine) as session:
        by = get_member(session=session, telegram_id=actor.user_id)
        creator = (get_member(session=session, telegram_id=item.created_by)
                   if item.created_by is not None else None)
        if creator is not None and creator.telegram_id > 0:
            chats = [creator.telegram_id]
        else:
            chats = [c for c in manager_chat_ids(session, services) if c != actor.user_id]
        languages = languages_of(session=session, telegram_ids=set(chats),
                                 default=services.settings.default_language)
    who = html.escape(member_display(by) if by is not None else actor.name)
    topic = html.escape(item.topic[:80])

    def message(lang: str) -> Reply:
        shown = {name: format_date(value, lang) for name, value in dates.items()}
        return Reply(t(lang, key, who=who, id=item.id, topic=topic, **shown),
                     ((ACTIONS.button(t(lang, "plan_btn_show"), "card", item.id),),))

    return tuple(Outgoing(chat, message(languages[chat])) for chat in chats)


def with_messages(reply: Reply, messages: tuple[Outgoing, ...]) -> Reply:
    """`reply` with more messages to other chats."""
    return replace(reply, extra=reply.extra + messages) if messages else reply

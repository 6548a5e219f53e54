"""Changing the plan: create items, change status, postpone, edit fields.

Every function re-reads the item and re-checks the caller's rights inside one unit of work, so
a stale or forged button press changes nothing; it raises `PlanProblem` with the text key
that says why. Status and deadline changes are written to the history; naming someone
responsible, or moving someone else's deadline, records a notice for them in the same unit
of work (core.action_plan.notices).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session

from core.action_plan.due import next_reminder_at
from core.action_plan.fields import (
    GROUPS,
    Responsible,
    member_display,
    parse_participants,
    resolve_responsible,
)
from core.action_plan.notices import note_assignment, note_moved
from core.action_plan.rules import Viewer, editable_fields, is_active, may_update, may_view
from core.actor import Actor
from core.i18n import t
from core.locale import format_date, format_number
from core.services import Services
from storage.accounts.queries import get_member
from storage.accounts.tables import Member
from storage.action_plan.items import (
    add_item,
    get_item,
    link_username,
    record_change,
    replan,
    save_item,
)
from storage.action_plan.people import member_by_id
from storage.action_plan.tables import (
    ACTION_MAX,
    KPI_MAX,
    PARTICIPANTS_MAX,
    TOPIC_MAX,
    ItemStatus,
    PlanItem,
)
from storage.clock import utcnow
from storage.engine import session_scope

LIMITS = {"topic": TOPIC_MAX, "action": ACTION_MAX, "participants": PARTICIPANTS_MAX,
          "kpi": KPI_MAX}
# Which status a button may move an item to, from which statuses.
TRANSITIONS = {
    ItemStatus.IN_PROGRESS: (ItemStatus.OPEN,),
    ItemStatus.DONE: (ItemStatus.OPEN, ItemStatus.IN_PROGRESS),
    ItemStatus.OPEN: (ItemStatus.IN_PROGRESS, ItemStatus.DONE, ItemStatus.CANCELLED),
    ItemStatus.CANCELLED: (ItemStatus.OPEN, ItemStatus.IN_PROGRESS),
}


class PlanProblem(Exception):
    """Why a change was refused or not possible: a text key and its values (escaped)."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values

    def text(self, lang: str) -> str:
        values = dict(self.values)
        if "field" in values:  # a field name: shown in the reader's language
            values["field"] = t(lang, f"plan_field_{values['field']}")
        for name in ("limit", "length"):  # amounts, with the language's digit grouping
            if isinstance(values.get(name), int):
                values[name] = format_number(values[name], lang)  # type: ignore[arg-type]
        return t(lang, self.key, **values)


@dataclass
class Draft:
    """A new item as entered, checked field by field before anything is saved."""

    topic: str
    action: str
    deadline: date
    responsible: str
    participants: str = ""
    kpi: str = ""
    groups: list[str] = field(default_factory=list)  # ticked participant groups


def viewer_in(session: Session, actor: Actor) -> Viewer:
    """The actor with their member row; items waiting for their @username become theirs."""
    member = get_member(session=session, telegram_id=actor.user_id)
    if member is not None and member.username:
        link_username(session=session, member=member)
    return Viewer(actor, member)


def viewer(services: Services, actor: Actor) -> Viewer:
    with session_scope(services.engine) as session:
        return viewer_in(session, actor)


def check_text(name: str, text: str) -> str:
    """A text field cleaned up, or PlanProblem when it is empty (required) or too long."""
    value = " ".join(text.split()) if name != "action" else text.strip()
    if name in ("topic", "action") and not value:
        raise PlanProblem("plan_field_empty", field=name)
    if len(value) > LIMITS[name]:
        raise PlanProblem("plan_field_too_long", field=name, limit=LIMITS[name],
                          length=len(value))
    return value


def _by_name(viewer: Viewer) -> str:
    return member_display(viewer.member) if viewer.member else viewer.actor.name


def _apply_responsible(item: PlanItem, who: Responsible | None) -> None:
    item.responsible_id = who.member_id if who else None
    item.responsible_username = who.username if who else None
    item.responsible_name = who.name if who else None


def responsible_note(who: Responsible | None, lang: str) -> str | None:
    """What the creator should know about a responsible person who can't be reminded."""
    if who is None:
        return t(lang, "plan_note_nobody")
    if who.username:
        return t(lang, "plan_note_not_started", username=html.escape(who.username))
    if who.name:
        return t(lang, "plan_note_free_text", name=html.escape(who.name))
    return None


def create(services: Services, actor: Actor, draft: Draft, *, now: datetime | None = None
           ) -> tuple[PlanItem, Responsible | None]:
    """Save a new item (all fields already checked) with its first history entry."""
    now = now or utcnow()
    parsed, free = parse_participants(draft.participants)
    groups = [g for g in GROUPS if g in parsed or g in draft.groups]
    with session_scope(services.engine) as session:
        who_viewer = viewer_in(session, actor)
        who = resolve_responsible(session, draft.responsible, self_id=who_viewer.member_id)
        item = PlanItem(topic=check_text("topic", draft.topic),
                        action=check_text("action", draft.action), deadline=draft.deadline,
                        participants=check_text("participants", free),
                        participant_groups=groups, kpi=check_text("kpi", draft.kpi),
                        created_by=actor.user_id, updated_by=actor.user_id, created_at=now,
                        updated_at=now, planned_from=now)
        _apply_responsible(item, who)
        item.next_reminder_at = next_reminder_at(services, item, now)
        add_item(session=session, item=item, by_name=_by_name(who_viewer))
        note_assignment(session, item, by_telegram_id=actor.user_id, now=now)
    return item, who


def _load(session: Session, viewer: Viewer, item_id: int) -> PlanItem:
    item = get_item(session=session, item_id=item_id)
    if item is None or not may_view(viewer, item):
        raise PlanProblem("plan_not_found", id=item_id)
    if not may_update(viewer, item):
        raise PlanProblem("plan_not_yours", id=item_id)
    return item


def change_status(services: Services, actor: Actor, item_id: int, status: ItemStatus, *,
                  now: datetime | None = None) -> PlanItem:
    """Move an item to `status` if the caller may and the item is where the button thought."""
    now = now or utcnow()
    with session_scope(services.engine) as session:
        who = viewer_in(session, actor)
        item = _load(session, who, item_id)
        if status is ItemStatus.CANCELLED and not who.is_manager:
            raise PlanProblem("plan_cancel_managers_only")
        if item.status == status.value:
            raise PlanProblem("plan_already_status", id=item_id,
                              status=t(actor.language, f"plan_status_{status.value}"))
        if ItemStatus(item.status) not in TRANSITIONS[status]:
            raise PlanProblem("plan_status_stale", id=item_id,
                              status=t(actor.language, f"plan_status_{item.status}"))
        previous = item.status
        item.status, item.updated_by, item.updated_at = status.value, actor.user_id, now
        item.done_at = now if status is ItemStatus.DONE else None
        reopened = is_active(item) and previous not in (ItemStatus.OPEN.value,
                                                         ItemStatus.IN_PROGRESS.value)
        if reopened or not is_active(item):  # remind again / no more reminders
            replan(session=session, item=item, now=now,
                   next_at=next_reminder_at(services, item, now))
        record_change(session=session, item=item, by_id=actor.user_id, by_name=_by_name(who),
                      at=now, from_status=previous)
        save_item(session=session, item=item)
        return item


def postpone(services: Services, actor: Actor, item_id: int, deadline: date, *,
             now: datetime | None = None) -> tuple[PlanItem, date]:
    """Give an open item a new deadline; its unsent reminders are planned anew."""
    now = now or utcnow()
    with session_scope(services.engine) as session:
        who = viewer_in(session, actor)
        item = _load(session, who, item_id)
        if not is_active(item):
            raise PlanProblem("plan_status_stale", id=item_id,
                              status=t(actor.language, f"plan_status_{item.status}"))
        if item.deadline == deadline:
            raise PlanProblem("plan_same_deadline", id=item_id,
                              date=format_date(deadline, actor.language))
        previous = item.deadline
        item.deadline, item.updated_by, item.updated_at = deadline, actor.user_id, now
        replan(session=session, item=item, now=now,
               next_at=next_reminder_at(services, item, now))
        record_change(session=session, item=item, by_id=actor.user_id, by_name=_by_name(who),
                      at=now, from_status=item.status, from_deadline=previous)
        save_item(session=session, item=item)
        note_moved(session, item, by_telegram_id=actor.user_id, now=now)
        return item, previous


def may_edit(services: Services, actor: Actor, item_id: int, name: str) -> PlanItem:
    """The item if the caller may edit field `name` of it now, else PlanProblem."""
    with session_scope(services.engine) as session:
        who = viewer_in(session, actor)
        item = get_item(session=session, item_id=item_id)
        if item is None or not may_view(who, item):
            raise PlanProblem("plan_not_found", id=item_id)
        if name not in editable_fields(who, item):
            raise PlanProblem("plan_not_yours", id=item_id)
        if not is_active(item):
            raise PlanProblem("plan_status_stale", id=item_id,
                              status=t(actor.language, f"plan_status_{item.status}"))
        return item


def edit(services: Services, actor: Actor, item_id: int, name: str, text: str, *,
         now: datetime | None = None) -> tuple[PlanItem, str | None]:
    """Change one text field (not the deadline: see `postpone`); returns a note to show."""
    now = now or utcnow()
    may_edit(services, actor, item_id, name)
    note: str | None = None
    with session_scope(services.engine) as session:
        who = viewer_in(session, actor)
        item = _load(session, who, item_id)
        if name in ("topic", "action", "kpi"):
            setattr(item, name, check_text(name, text))
        elif name == "participants":
            groups, free = parse_participants(text)
            item.participants, item.participant_groups = check_text("participants", free), \
                groups
        elif name == "responsible":
            responsible = resolve_responsible(session, text, self_id=who.member_id)
            if responsible is None:
                raise PlanProblem("plan_responsible_missing")
            before = (item.responsible_id, item.responsible_username, item.responsible_name)
            _apply_responsible(item, responsible)
            if before != (item.responsible_id, item.responsible_username,
                          item.responsible_name):  # someone else: remind and tell them
                replan(session=session, item=item, now=now,
                       next_at=next_reminder_at(services, item, now))
                note_assignment(session, item, by_telegram_id=actor.user_id, now=now)
            note = responsible_note(responsible, actor.language)
        item.updated_by, item.updated_at = actor.user_id, now
        save_item(session=session, item=item)
        return item, note


def responsible_member(session: Session, item: PlanItem) -> Member | None:
    """The member responsible for `item`, when it names one who has written to the bot."""
    if item.responsible_id is None:
        return None
    return member_by_id(session=session, member_id=item.responsible_id)

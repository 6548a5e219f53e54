"""Updating items: `/done ID`, `/postpone ID DATE`, the card's buttons (done, in progress,
postpone, edit, cancel) and the short dialogs for a new deadline or a changed field."""

from __future__ import annotations

import html
from datetime import date, timedelta
from typing import Any

from core import dialogs
from core.action_plan import items as plan_items
from core.action_plan.browse import parse_item_id, show_card, today_of
from core.action_plan.dates import DateAnswer, format_date, parse_deadline, problem_text
from core.action_plan.entry import FEATURE, date_choices
from core.action_plan.items import PlanProblem
from core.action_plan.rules import EDIT_FIELDS, editable_fields
from core.actor import Actor, Role
from core.i18n import t
from core.reply import Choice, Reply, refused_press, rows
from core.services import Services
from storage.engine import session_scope
from storage.models import utcnow
from storage.plan import ItemStatus
from storage.plan_items import get_item

STEP_POSTPONE = "postpone"
STEP_EDIT = "edit"
QUICK_POSTPONE = {"w1": 7, "w2": 14, "m1": 30, "m3": 91}


def _refused(problem: PlanProblem, lang: str, *, pressed: bool) -> Reply:
    text = problem.text(lang)
    return refused_press(text) if pressed else Reply(text)


def set_status(services: Services, actor: Actor, item_id: int, status: ItemStatus, *,
               pressed: bool, in_place: bool = True) -> Reply:
    """Change the status and show the updated card (in place when pressed on the card)."""
    lang = actor.language
    try:
        plan_items.change_status(services, actor, item_id, status)
    except PlanProblem as problem:
        return _refused(problem, lang, pressed=pressed)
    done = t(lang, f"plan_now_{status.value}", id=item_id)
    return show_card(services, actor, item_id, edit=pressed and in_place, before=done,
                     notice=done if pressed else "")


def done_command(services: Services, actor: Actor, args: str) -> Reply:
    """/done ID: mark an item done."""
    item_id = parse_item_id(args)
    if item_id is None:
        return Reply(t(actor.language, "plan_done_usage"))
    return set_status(services, actor, item_id, ItemStatus.DONE, pressed=False)


def postpone_command(services: Services, actor: Actor, args: str) -> Reply:
    """/postpone ID DATE: a new deadline; without DATE, ask for it."""
    lang = actor.language
    first, _, rest = args.strip().partition(" ")
    item_id = parse_item_id(first)
    if item_id is None:
        return Reply(t(lang, "plan_postpone_usage"))
    if not rest.strip():
        return ask_new_deadline(services, actor, item_id, pressed=False)
    return _postpone_to_text(services, actor, item_id, rest)


def _postpone_to_text(services: Services, actor: Actor, item_id: int, typed: str) -> Reply:
    answer = parse_deadline(typed, now=utcnow(), tz=services.settings.tz)
    if not answer.ok or answer.value is None:
        return _ask_again(services, actor, item_id, answer, typed)
    return postpone_to(services, actor, item_id, answer.value, pressed=False)


def _ask_again(services: Services, actor: Actor, item_id: int, answer: DateAnswer,
               typed: str) -> Reply:
    """A deadline we can't take as typed: keep asking for this item (nothing changed)."""
    lang = actor.language
    try:
        plan_items.may_edit(services, actor, item_id, "deadline")
    except PlanProblem as problem:
        return Reply(problem.text(lang))
    dialogs.begin(services, actor, FEATURE, STEP_POSTPONE, {"item": item_id})
    buttons = date_choices(answer, lang, f"plan:ppto:{item_id}")
    buttons.append(Choice(t(lang, "plan_btn_abort"), "plan:abort"))
    text = problem_text(answer, typed, lang) + "\n\n" + t(lang, "plan_ask_deadline_again")
    return Reply(text, rows(buttons))


def postpone_to(services: Services, actor: Actor, item_id: int, deadline: date, *,
                pressed: bool) -> Reply:
    """Set the new deadline (re-checked) and show the card."""
    lang = actor.language
    if deadline < today_of(services):
        answer = DateAnswer(deadline, problem="past")
        return _ask_again(services, actor, item_id, answer, format_date(deadline, lang))
    try:
        item, previous = plan_items.postpone(services, actor, item_id, deadline)
    except PlanProblem as problem:
        return _refused(problem, lang, pressed=pressed)
    state = dialogs.current(services, actor)
    if state is not None and state.feature == FEATURE and state.step == STEP_POSTPONE:
        dialogs.finish(services, actor)
    done = t(lang, "plan_postponed", id=item_id, old=format_date(previous, lang),
             new=format_date(item.deadline, lang))
    return show_card(services, actor, item_id, edit=pressed, before=done,
                     notice=done if pressed else "")


def ask_new_deadline(services: Services, actor: Actor, item_id: int, *, pressed: bool
                     ) -> Reply:
    """Start the postpone dialog: quick choices or a typed date."""
    lang = actor.language
    if not actor.is_private_chat:
        return _refused(PlanProblem("plan_private_chat"), lang, pressed=pressed)
    try:
        item = plan_items.may_edit(services, actor, item_id, "deadline")
    except PlanProblem as problem:
        return _refused(problem, lang, pressed=pressed)
    dialogs.begin(services, actor, FEATURE, STEP_POSTPONE, {"item": item_id})
    base = max(item.deadline, today_of(services))
    buttons = [Choice(t(lang, f"plan_btn_pp_{key}", date=format_date(
        base + timedelta(days=days), lang)), f"plan:ppto:{item_id}:"
        f"{(base + timedelta(days=days)).isoformat()}") for key, days in QUICK_POSTPONE.items()]
    buttons.append(Choice(t(lang, "plan_btn_abort"), "plan:abort"))
    text = t(lang, "plan_ask_postpone", id=item_id, topic=html.escape(item.topic[:80]),
             deadline=format_date(item.deadline, lang))
    return Reply(text, rows(buttons, 2))


def choose_field(services: Services, actor: Actor, item_id: int) -> Reply:
    """The edit menu: one button per field this viewer may change."""
    lang = actor.language
    with session_scope(services.engine) as session:
        viewer = plan_items.viewer_in(session, actor)
        item = get_item(session=session, item_id=item_id)
        fields = editable_fields(viewer, item) if item is not None else ()
    if item is None or not fields:
        return refused_press(t(lang, "plan_not_yours", id=item_id))
    if item.status not in (ItemStatus.OPEN.value, ItemStatus.IN_PROGRESS.value):
        return refused_press(t(lang, "plan_status_stale", id=item_id,
                               status=t(lang, f"plan_status_{item.status}")))
    buttons = [Choice(t(lang, f"plan_field_{name}"), f"plan:ef:{item_id}:{name}")
               for name in fields]
    buttons.append(Choice(t(lang, "plan_btn_back_card"), f"plan:card:{item_id}"))
    return Reply(t(lang, "plan_edit_choose", id=item_id), rows(buttons, 2), edit=True)


def ask_field(services: Services, actor: Actor, item_id: int, name: str) -> Reply:
    """Start the edit dialog for one field (the deadline goes through postpone)."""
    lang = actor.language
    if name not in EDIT_FIELDS:
        return refused_press(t(lang, "stale_button"))
    if name == "deadline":
        return ask_new_deadline(services, actor, item_id, pressed=True)
    if not actor.is_private_chat:
        return refused_press(t(lang, "plan_private_chat"))
    try:
        item = plan_items.may_edit(services, actor, item_id, name)
    except PlanProblem as problem:
        return refused_press(problem.text(lang))
    current: Any = getattr(item, name, "")
    if name == "responsible":
        current = item.responsible_username or item.responsible_name or "…"
    dialogs.begin(services, actor, FEATURE, STEP_EDIT, {"item": item_id, "field": name})
    return Reply(t(lang, "plan_ask_edit", field=t(lang, f"plan_field_{name}"),
                   current=html.escape(str(current)[:300]) or "–"),
                 rows([Choice(t(lang, "plan_btn_abort"), "plan:abort")]))


def edit_step(services: Services, actor: Actor, state: dialogs.DialogState, text: str
              ) -> Reply:
    """The new value for the field being edited, or the new deadline."""
    lang = actor.language
    item_id = int(state.data.get("item", 0))
    if state.step == STEP_POSTPONE:
        return _postpone_to_text(services, actor, item_id, text)
    name = str(state.data.get("field", ""))
    try:
        _, note = plan_items.edit(services, actor, item_id, name, text)
    except PlanProblem as problem:
        if problem.key in ("plan_not_found", "plan_not_yours", "plan_status_stale"):
            dialogs.finish(services, actor)
        return Reply(problem.text(lang))
    dialogs.finish(services, actor)
    saved = t(lang, "plan_field_saved", field=t(lang, f"plan_field_{name}"))
    return show_card(services, actor, item_id, before=saved + (f"\n{note}" if note else ""))


def confirm_cancel(services: Services, actor: Actor, item_id: int) -> Reply:
    """Ask a manager before cancelling an item."""
    lang = actor.language
    if not actor.at_least(Role.MANAGER):
        return refused_press(t(lang, "plan_cancel_managers_only"))
    with session_scope(services.engine) as session:
        item = get_item(session=session, item_id=item_id)
    if item is None:
        return refused_press(t(lang, "plan_not_found", id=item_id))
    return Reply(t(lang, "plan_cancel_confirm", id=item_id, topic=html.escape(item.topic[:80])),
                 rows([Choice(t(lang, "plan_btn_cancel_yes"), f"plan:cancelok:{item_id}"),
                       Choice(t(lang, "plan_btn_back_card"), f"plan:card:{item_id}")], 2),
                 edit=True)

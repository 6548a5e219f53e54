"""Updating items: `/done ID`, `/postpone ID DATE`, the card's buttons (done, in progress,
postpone, edit, cancel) and the short dialog for a new deadline or a changed field.

That dialog is open to anyone (VISITOR): the responsible person may change their own item
before they are admitted; every step re-checks who may change what."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from core import dialogs
from core.action_plan import items as plan_items
from core.action_plan.browse import parse_item_id, show_card, today_of
from core.action_plan.buttons import ACTIONS, FROM_REMINDER
from core.action_plan.dates import DateAnswer, add_period, parse_deadline, problem_text
from core.action_plan.entry import ADD_DIALOG, abort_button, date_choices
from core.action_plan.items import PlanProblem
from core.action_plan.notices import deliver_now, tell_creator, with_messages
from core.action_plan.rules import editable_fields
from core.action_plan.views import back_to_card
from core.actor import Actor, Role
from core.i18n import t
from core.locale import format_date
from core.reply import Reply, refused_press, rows
from core.services import Services
from storage.action_plan.items import get_item
from storage.action_plan.tables import ItemStatus
from storage.clock import utcnow
from storage.engine import session_scope

CHANGE_DIALOG = "plan"  # the postpone and edit steps (the add dialog is entry.ADD_DIALOG)
STEP_POSTPONE = "postpone"
STEP_EDIT = "edit"
# the quick choices: weeks are 7 days, months are calendar months (31 Jan + 1 month = 28 Feb)
QUICK_POSTPONE = {"w1": ("weeks", 1), "w2": ("weeks", 2), "m1": ("months", 1),
                  "m3": ("months", 3)}


def _refused(problem: PlanProblem, lang: str, *, pressed: bool) -> Reply:
    text = problem.text(lang)
    return refused_press(text) if pressed else Reply(text)


def set_status(services: Services, actor: Actor, item_id: int, status: ItemStatus, *,
               pressed: bool, in_place: bool = True) -> Reply:
    """Change the status and show the updated card (in place when pressed on the card)."""
    lang = actor.language
    try:
        item = plan_items.change_status(services, actor, item_id, status)
    except PlanProblem as problem:
        return _refused(problem, lang, pressed=pressed)
    done = t(lang, f"plan_now_{status.value}", id=item_id)
    shown = show_card(services, actor, item_id, edit=pressed and in_place, before=done,
                      notice=done if pressed else "")
    if status is not ItemStatus.DONE:
        return shown
    return with_messages(shown, tell_creator(services, actor, item, "plan_creator_done"))


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
    dialogs.begin(services, actor, CHANGE_DIALOG, STEP_POSTPONE, {"item": item_id})
    buttons = date_choices(answer, lang, "postpone_to", item_id) + [abort_button(lang)]
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
    if state is not None and state.feature == CHANGE_DIALOG and state.step == STEP_POSTPONE:
        dialogs.finish(services, actor)
    done = t(lang, "plan_postponed", id=item_id, old=format_date(previous, lang),
             new=format_date(item.deadline, lang))
    shown = show_card(services, actor, item_id, edit=pressed, before=done,
                      notice=done if pressed else "")
    return with_messages(shown, deliver_now(services, [item_id], actor=actor) + tell_creator(
        services, actor, item, "plan_creator_postponed", old=previous, new=item.deadline))


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
    dialogs.begin(services, actor, CHANGE_DIALOG, STEP_POSTPONE, {"item": item_id})
    base = max(item.deadline, today_of(services))
    choices = {key: add_period(base, unit, amount)
               for key, (unit, amount) in QUICK_POSTPONE.items()}
    buttons = [ACTIONS.button(t(lang, f"plan_btn_pp_{key}", date=format_date(day, lang)),
                              "postpone_to", item_id, day.isoformat())
               for key, day in choices.items()]
    buttons.append(abort_button(lang))
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
    buttons = [ACTIONS.button(t(lang, f"plan_field_{name}"), "edit_field", item_id, name)
               for name in fields]
    buttons.append(back_to_card(lang, item_id))
    return Reply(t(lang, "plan_edit_choose", id=item_id), rows(buttons, 2), edit=True)


def ask_field(services: Services, actor: Actor, item_id: int, name: str) -> Reply:
    """Start the edit dialog for one field (the deadline goes through postpone)."""
    lang = actor.language
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
    dialogs.begin(services, actor, CHANGE_DIALOG, STEP_EDIT, {"item": item_id, "field": name})
    return Reply(t(lang, "plan_ask_edit", field=t(lang, f"plan_field_{name}"),
                   current=html.escape(str(current)[:300]) or "–"),
                 rows([abort_button(lang)]))


def edit_step(services: Services, actor: Actor, state: dialogs.DialogState, text: str
              ) -> Reply:
    """The new value for the field being edited, or the new deadline."""
    lang = actor.language
    item_id = int(state.data.get("item", 0))
    if state.step == STEP_POSTPONE:
        return _postpone_to_text(services, actor, item_id, text)
    if state.step != STEP_EDIT:  # a step this version no longer has
        dialogs.finish(services, actor)
        return Reply(t(lang, "plan_dialog_stale"))
    name = str(state.data.get("field", ""))
    try:
        _, note = plan_items.edit(services, actor, item_id, name, text)
    except PlanProblem as problem:
        if problem.key in ("plan_not_found", "plan_not_yours", "plan_status_stale"):
            dialogs.finish(services, actor)
        return Reply(problem.text(lang))
    dialogs.finish(services, actor)
    saved = t(lang, "plan_field_saved", field=t(lang, f"plan_field_{name}"))
    shown = show_card(services, actor, item_id, before=saved + (f"\n{note}" if note else ""))
    return with_messages(shown, deliver_now(services, [item_id], actor=actor))  # new owner


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
                 rows([ACTIONS.button(t(lang, "plan_btn_cancel_yes"), "cancel_confirmed", item_id),
                       back_to_card(lang, item_id)], 2),
                 edit=True)


# ---------------------------------------------------------------- what the buttons run
def _press_status(services: Services, actor: Actor, item_id: int, status: ItemStatus,
                  origin: str | None = None) -> Reply:
    # under a reminder the card comes as a new message; on the card it replaces it
    return set_status(services, actor, item_id, status, pressed=True,
                      in_place=origin != FROM_REMINDER)


def press_done(services: Services, actor: Actor, item_id: int,
               origin: str | None = None) -> Reply:
    """✅ Done (on the card or under a reminder)."""
    return _press_status(services, actor, item_id, ItemStatus.DONE, origin)


def press_progress(services: Services, actor: Actor, item_id: int,
                   origin: str | None = None) -> Reply:
    """🔄 In progress (on the card or under a reminder)."""
    return _press_status(services, actor, item_id, ItemStatus.IN_PROGRESS, origin)


def press_reopen(services: Services, actor: Actor, item_id: int) -> Reply:
    """↩️ Back to open / reopen."""
    return _press_status(services, actor, item_id, ItemStatus.OPEN)


def press_cancel_confirmed(services: Services, actor: Actor, item_id: int) -> Reply:
    """🗑 Yes, cancel it (managers; `change_status` checks that again)."""
    return _press_status(services, actor, item_id, ItemStatus.CANCELLED)


def press_postpone(services: Services, actor: Actor, item_id: int) -> Reply:
    """📅 Postpone: the quick choices."""
    return ask_new_deadline(services, actor, item_id, pressed=True)


def press_postpone_to(services: Services, actor: Actor, item_id: int, deadline: date
                      ) -> Reply:
    """A quick choice or one reading of an ambiguous date: the new deadline."""
    return postpone_to(services, actor, item_id, deadline, pressed=True)


def press_abort(services: Services, actor: Actor) -> Reply:
    """✖️ Stop: end the open plan dialog (add, postpone or edit) without saving."""
    state = dialogs.current(services, actor)
    had = (state is not None and state.feature in (ADD_DIALOG, CHANGE_DIALOG)
           and dialogs.finish(services, actor))
    return Reply(t(actor.language, "cancelled" if had else "nothing_to_cancel"), edit=True)

"""Adding items: `/plan_add` as a guided dialog (named steps, /cancel ends it) and as one line
`/plan_add Topic | Action | Deadline | @responsible | Participants | KPI`.

Answers are kept in the dialog state in the database; the item is saved only when every field
is there and valid, so nothing is saved half-way. A deadline that is ambiguous or past is asked
back; the one-line form then continues as a dialog at the deadline step.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from core import dialogs
from core.action_plan import items as plan_items
from core.action_plan.browse import today_of
from core.action_plan.buttons import ACTIONS
from core.action_plan.dates import DateAnswer, parse_deadline, problem_text
from core.action_plan.fields import GROUPS, participants_label, resolve_responsible
from core.action_plan.items import Draft, PlanProblem, check_text, responsible_note
from core.action_plan.notices import deliver_now, with_messages
from core.action_plan.participants import with_suggestions
from core.action_plan.views import card
from core.actor import Actor, Role
from core.i18n import t
from core.locale import format_date
from core.reply import Choice, Reply, refused_press, rows
from core.services import Services
from storage.clock import utcnow
from storage.engine import session_scope

ADD_DIALOG = "plan_add"  # the dialog's name: managers only (the router checks every step)
STEP_TOPIC = "topic"
STEP_ACTION = "action"
STEP_DEADLINE = "deadline"
STEP_RESPONSIBLE = "responsible"
STEP_PARTICIPANTS = "participants"
STEP_KPI = "kpi"
ADD_STEPS = (STEP_TOPIC, STEP_ACTION, STEP_DEADLINE, STEP_RESPONSIBLE, STEP_PARTICIPANTS,
             STEP_KPI)
SELF = "ich"  # stands for "the creator" in the responsible field


def abort_button(lang: str) -> Choice:
    """Ends the open plan dialog (add, postpone or edit); nothing is saved."""
    return ACTIONS.button(t(lang, "plan_btn_abort"), "abort")


def date_choices(answer: DateAnswer, lang: str, action: str, *before: object) -> list[Choice]:
    """One button per reading of an ambiguous date: `action` with `before` and the date."""
    return [ACTIONS.button(format_date(d, lang), action, *before, d.isoformat())
            for d in answer.options]


def prompt(actor: Actor, step: str, data: dict[str, Any], *, before: str = "",
           edit: bool = False) -> Reply:
    """Ask for `step`, with the buttons that step offers."""
    lang = actor.language
    number = ADD_STEPS.index(step) + 1
    text = t(lang, f"plan_ask_{step}", step=number, steps=len(ADD_STEPS))
    buttons: list[Choice] = []
    if step == STEP_RESPONSIBLE:
        buttons.append(ACTIONS.button(t(lang, "plan_btn_me"), "myself"))
    elif step == STEP_PARTICIPANTS:
        ticked = set(data.get("groups", []))
        buttons += [ACTIONS.button(("✅ " if g in ticked else "▫️ ") + t(lang, f"plan_group_{g}"),
                                   "group", g) for g in GROUPS]
        buttons.append(ACTIONS.button(t(lang, "plan_btn_next"), "groups_done"))
    elif step == STEP_KPI:
        buttons.append(ACTIONS.button(t(lang, "plan_btn_no_kpi"), "no_kpi"))
    buttons.append(abort_button(lang))
    return Reply(f"{before}\n\n{text}" if before else text,
                 rows(buttons, 2 if step == STEP_PARTICIPANTS else 1), edit=edit)


def _next_step(data: dict[str, Any]) -> str | None:
    return next((step for step in ADD_STEPS if step not in data), None)


def continue_or_save(services: Services, actor: Actor, data: dict[str, Any], *,
                     before: str = "") -> Reply:
    """Ask for the next missing field, or save the item when all are there."""
    step = _next_step(data)
    if step is not None:
        dialogs.advance(services, actor, ADD_DIALOG, step, data)
        return prompt(actor, step, data, before=before)
    dialogs.finish(services, actor)
    return save(services, actor, data)


def save(services: Services, actor: Actor, data: dict[str, Any]) -> Reply:
    """Create the item from complete dialog data, show its card and tell the responsible."""
    lang = actor.language
    draft = Draft(topic=data[STEP_TOPIC], action=data[STEP_ACTION],
                  deadline=date.fromisoformat(data[STEP_DEADLINE]),
                  responsible=data[STEP_RESPONSIBLE], participants=data[STEP_PARTICIPANTS],
                  kpi=data[STEP_KPI], groups=list(data.get("groups", [])))
    try:
        item, who = plan_items.create(services, actor, draft)
    except PlanProblem as problem:
        return Reply(problem.text(lang))
    notes = [t(lang, "plan_saved", id=item.id)]
    note = responsible_note(who, lang)
    if note:
        notes.append(note)
    if not item.kpi:
        notes.append(t(lang, "plan_kpi_hint"))
    with session_scope(services.engine) as session:
        viewer = plan_items.viewer_in(session, actor)
        member = plan_items.responsible_member(session, item)
    assert item.id is not None
    saved = card(viewer, item, member, today_of(services), before="\n".join(notes))
    saved = with_suggestions(services, saved, item, actor, member)  # issue #13
    return with_messages(saved, deliver_now(services, [item.id], actor=actor))  # their notice


def plan_add(services: Services, actor: Actor, args: str) -> Reply:
    """/plan_add: start the dialog, or take the whole item in one line separated by |."""
    if "|" in args:
        return one_line(services, actor, args)
    data: dict[str, Any] = {}
    if args.strip():
        try:
            data[STEP_TOPIC] = check_text(STEP_TOPIC, args)
        except PlanProblem as problem:
            return Reply(problem.text(actor.language))
    return continue_or_save(services, actor, data,
                            before="" if data else t(actor.language, "plan_add_intro"))


def one_line(services: Services, actor: Actor, args: str) -> Reply:
    """Topic | Action | Deadline | @responsible | Participants | KPI, all checked first."""
    lang = actor.language
    parts = [part.strip() for part in args.split("|")]
    if len(parts) < 3 or len(parts) > len(ADD_STEPS):
        return Reply(t(lang, "plan_add_usage"))
    parts += [""] * (len(ADD_STEPS) - len(parts))
    problems: list[str] = []
    data: dict[str, Any] = {}
    for step, value in ((STEP_TOPIC, parts[0]), (STEP_ACTION, parts[1]),
                        (STEP_PARTICIPANTS, parts[4]), (STEP_KPI, parts[5])):
        try:
            data[step] = check_text(step, value)
        except PlanProblem as problem:
            problems.append(problem.text(lang))
    data[STEP_RESPONSIBLE] = parts[3] or SELF
    if problems:
        return Reply("\n".join(problems) + "\n\n" + t(lang, "plan_add_usage"))
    answer = parse_deadline(parts[2], now=utcnow(), tz=services.settings.tz)
    if not answer.ok:
        return ask_deadline_again(services, actor, data, answer, parts[2])
    data[STEP_DEADLINE] = answer.value.isoformat() if answer.value else ""
    return continue_or_save(services, actor, data)


def ask_deadline_again(services: Services, actor: Actor, data: dict[str, Any],
                       answer: DateAnswer, typed: str) -> Reply:
    """Keep the answers so far and ask for the deadline again (nothing is saved yet)."""
    dialogs.advance(services, actor, ADD_DIALOG, STEP_DEADLINE, data)
    lang = actor.language
    text = problem_text(answer, typed, lang) + "\n\n" + t(lang, "plan_ask_deadline_again")
    buttons = date_choices(answer, lang, "deadline") + [abort_button(lang)]
    return Reply(text, rows(buttons))


def add_step(services: Services, actor: Actor, state: dialogs.DialogState, text: str
             ) -> Reply:
    """Take the answer to the current step of the add dialog and move on."""
    lang, data, step = actor.language, dict(state.data), state.step
    text = text.strip()
    if step in (STEP_TOPIC, STEP_ACTION, STEP_PARTICIPANTS, STEP_KPI):
        value = "" if text in ("-", "–") and step in (STEP_PARTICIPANTS, STEP_KPI) else text
        try:
            data[step] = check_text(step, value)
        except PlanProblem as problem:
            return prompt(actor, step, data, before=problem.text(lang))
    elif step == STEP_DEADLINE:
        answer = parse_deadline(text, now=utcnow(), tz=services.settings.tz)
        if not answer.ok:
            return ask_deadline_again(services, actor, data, answer, text)
        data[step] = answer.value.isoformat() if answer.value else ""
        before = t(lang, "plan_deadline_taken",
                   date=format_date(answer.value, lang)) if answer.value else ""
        return continue_or_save(services, actor, data, before=before)
    elif step == STEP_RESPONSIBLE:
        with session_scope(services.engine) as session:
            who = resolve_responsible(session, text, self_id=None)
        if who is None:
            return prompt(actor, step, data, before=t(lang, "plan_responsible_missing"))
        data[step] = text
    return continue_or_save(services, actor, data)


def press_new(services: Services, actor: Actor) -> Reply:
    """The list's "new action" button: /plan_add (managers, private chat)."""
    lang = actor.language
    if not actor.at_least(Role.MANAGER):
        return refused_press(t(lang, "not_allowed_manager", command="plan_add"))
    if not actor.is_private_chat:
        return refused_press(t(lang, "plan_private_chat"))
    return plan_add(services, actor, "")


def _open_step(services: Services, actor: Actor, step: str) -> dialogs.DialogState | Reply:
    """The add dialog if it waits for `step` and the actor may go on; else the refusal."""
    lang = actor.language
    state = dialogs.current(services, actor)
    if state is None or state.feature != ADD_DIALOG or state.step != step:
        return refused_press(t(lang, "plan_dialog_stale"))
    if not actor.at_least(Role.MANAGER):  # demoted while the dialog was open
        dialogs.finish(services, actor)
        return refused_press(t(lang, "not_allowed_manager", command="plan_add"))
    return state


def press_deadline(services: Services, actor: Actor, chosen: date) -> Reply:
    """One reading of an ambiguous deadline, chosen."""
    state = _open_step(services, actor, STEP_DEADLINE)
    if isinstance(state, Reply):
        return state
    if chosen < today_of(services):
        return refused_press(t(actor.language, "plan_dialog_stale"))
    data = {**state.data, STEP_DEADLINE: chosen.isoformat()}
    return continue_or_save(services, actor, data, before=t(
        actor.language, "plan_deadline_taken", date=format_date(chosen, actor.language)))


def press_myself(services: Services, actor: Actor) -> Reply:
    """The "me" button: the creator is responsible."""
    state = _open_step(services, actor, STEP_RESPONSIBLE)
    if isinstance(state, Reply):
        return state
    return continue_or_save(services, actor, {**state.data, STEP_RESPONSIBLE: SELF})


def press_group(services: Services, actor: Actor, group: str) -> Reply:
    """Tick or untick one participant group, in place."""
    state = _open_step(services, actor, STEP_PARTICIPANTS)
    if isinstance(state, Reply):
        return state
    ticked = set(state.data.get("groups", [])) ^ {group}
    data = {**state.data, "groups": [g for g in GROUPS if g in ticked]}
    dialogs.advance(services, actor, ADD_DIALOG, STEP_PARTICIPANTS, data)
    return prompt(actor, STEP_PARTICIPANTS, data, edit=True)


def press_groups_done(services: Services, actor: Actor) -> Reply:
    """The ticked groups are the participants; on to the KPI."""
    state = _open_step(services, actor, STEP_PARTICIPANTS)
    if isinstance(state, Reply):
        return state
    data = {**state.data, STEP_PARTICIPANTS: ""}
    chosen_groups = participants_label(data.get("groups", []), "", actor.language)
    return continue_or_save(services, actor, data, before=html.escape(chosen_groups))


def press_no_kpi(services: Services, actor: Actor) -> Reply:
    """Save without a KPI (the card then says how to add one)."""
    state = _open_step(services, actor, STEP_KPI)
    if isinstance(state, Reply):
        return state
    return continue_or_save(services, actor, {**state.data, STEP_KPI: ""})

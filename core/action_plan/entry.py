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
from core.action_plan.dates import DateAnswer, format_date, parse_deadline, problem_text
from core.action_plan.fields import GROUPS, participants_label, resolve_responsible
from core.action_plan.items import Draft, PlanProblem, check_text, responsible_note
from core.action_plan.views import card
from core.actor import Actor
from core.i18n import t
from core.reply import Choice, Reply, refused_press, rows
from core.services import Services
from storage.engine import session_scope
from storage.models import utcnow

FEATURE = "plan"
STEP_TOPIC = "topic"
STEP_ACTION = "action"
STEP_DEADLINE = "deadline"
STEP_RESPONSIBLE = "responsible"
STEP_PARTICIPANTS = "participants"
STEP_KPI = "kpi"
ADD_STEPS = (STEP_TOPIC, STEP_ACTION, STEP_DEADLINE, STEP_RESPONSIBLE, STEP_PARTICIPANTS,
             STEP_KPI)
SELF = "ich"  # stands for "the creator" in the responsible field


def _abort_button(lang: str) -> Choice:
    return Choice(t(lang, "plan_btn_abort"), "plan:abort")


def date_choices(answer: DateAnswer, lang: str, data_prefix: str) -> list[Choice]:
    """One button per reading of an ambiguous date ("plan:dt:2027-04-03")."""
    return [Choice(format_date(d, lang), f"{data_prefix}:{d.isoformat()}")
            for d in answer.options]


def prompt(actor: Actor, step: str, data: dict[str, Any], *, before: str = "",
           edit: bool = False) -> Reply:
    """Ask for `step`, with the buttons that step offers."""
    lang = actor.language
    number = ADD_STEPS.index(step) + 1
    text = t(lang, f"plan_ask_{step}", step=number, steps=len(ADD_STEPS))
    buttons: list[Choice] = []
    if step == STEP_RESPONSIBLE:
        buttons.append(Choice(t(lang, "plan_btn_me"), "plan:me"))
    elif step == STEP_PARTICIPANTS:
        ticked = set(data.get("groups", []))
        buttons += [Choice(("✅ " if g in ticked else "▫️ ") + t(lang, f"plan_group_{g}"),
                           f"plan:grp:{g}") for g in GROUPS]
        buttons.append(Choice(t(lang, "plan_btn_next"), "plan:grpok"))
    elif step == STEP_KPI:
        buttons.append(Choice(t(lang, "plan_btn_no_kpi"), "plan:nokpi"))
    buttons.append(_abort_button(lang))
    return Reply(f"{before}\n\n{text}" if before else text,
                 rows(buttons, 2 if step == STEP_PARTICIPANTS else 1), edit=edit)


def _next_step(data: dict[str, Any]) -> str | None:
    return next((step for step in ADD_STEPS if step not in data), None)


def continue_or_save(services: Services, actor: Actor, data: dict[str, Any], *,
                     before: str = "") -> Reply:
    """Ask for the next missing field, or save the item when all are there."""
    step = _next_step(data)
    if step is not None:
        dialogs.advance(services, actor, FEATURE, step, data)
        return prompt(actor, step, data, before=before)
    dialogs.finish(services, actor)
    return save(services, actor, data)


def save(services: Services, actor: Actor, data: dict[str, Any]) -> Reply:
    """Create the item from complete dialog data and show its card."""
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
    return card(viewer, item, member, today_of(services), before="\n".join(notes))


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
    dialogs.advance(services, actor, FEATURE, STEP_DEADLINE, data)
    lang = actor.language
    text = problem_text(answer, typed, lang) + "\n\n" + t(lang, "plan_ask_deadline_again")
    buttons = date_choices(answer, lang, "plan:dt") + [_abort_button(lang)]
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


def press_in_dialog(services: Services, actor: Actor, action: str, arg: str) -> Reply:
    """Buttons inside the add dialog: date reading, me, participant groups, no KPI, abort."""
    lang = actor.language
    state = dialogs.current(services, actor)
    if action == "abort":
        had = state is not None and state.feature == FEATURE and dialogs.finish(services, actor)
        return Reply(t(lang, "cancelled" if had else "nothing_to_cancel"), edit=True)
    expected = {"dt": STEP_DEADLINE, "me": STEP_RESPONSIBLE, "grp": STEP_PARTICIPANTS,
                "grpok": STEP_PARTICIPANTS, "nokpi": STEP_KPI}[action]
    if state is None or state.feature != FEATURE or state.step != expected:
        return refused_press(t(lang, "plan_dialog_stale"))
    data = dict(state.data)
    if action == "dt":
        try:
            chosen = date.fromisoformat(arg)
        except ValueError:
            return refused_press(t(lang, "plan_dialog_stale"))
        if chosen < today_of(services):
            return refused_press(t(lang, "plan_dialog_stale"))
        data[STEP_DEADLINE] = chosen.isoformat()
        return continue_or_save(services, actor, data, before=t(
            lang, "plan_deadline_taken", date=format_date(chosen, lang)))
    if action == "me":
        data[STEP_RESPONSIBLE] = SELF
        return continue_or_save(services, actor, data)
    if action == "grp":
        if arg not in GROUPS:
            return refused_press(t(lang, "plan_dialog_stale"))
        ticked = set(data.get("groups", []))
        ticked ^= {arg}
        data["groups"] = [g for g in GROUPS if g in ticked]
        dialogs.advance(services, actor, FEATURE, STEP_PARTICIPANTS, data)
        return prompt(actor, STEP_PARTICIPANTS, data, edit=True)
    if action == "grpok":
        data[STEP_PARTICIPANTS] = ""
        chosen_groups = participants_label(data.get("groups", []), "", lang)
        return continue_or_save(services, actor, data, before=html.escape(chosen_groups))
    data[STEP_KPI] = ""  # nokpi
    return continue_or_save(services, actor, data)

"""The action plan: items, permissions, reminders and digest (issue #3).

Modules: fields (status words, participant groups, responsible), dates (deadlines as typed),
rules (who may do what), items (changes), views (how items look), browse (/plan), entry
(/plan_add), actions (/done, /postpone, card buttons), press (button routing), schedule and
reminders (the reminder pass), notify (reminder and digest texts), transfer (CSV, iCalendar),
demo (the talk's examples).
"""

from __future__ import annotations

from core import dialogs
from core.action_plan import actions, entry
from core.action_plan.browse import plan_command
from core.action_plan.demo import seed_demo
from core.action_plan.press import press
from core.action_plan.transfer import csv_export, ics_export
from core.actor import Actor, Role
from core.i18n import t
from core.registry import Button, Command, DialogFunction
from core.reply import Attachment, Reply
from core.services import Services
from storage.engine import session_scope
from storage.plan_items import count_items


def export_command(services: Services, actor: Actor, args: str) -> Reply:
    """/plan_export: the plan as CSV (for Excel) and .ics (for calendars)."""
    lang = actor.language
    with session_scope(services.engine) as session:
        total = count_items(session=session)
    if not total:
        return Reply(t(lang, "plan_export_empty"))
    files = (Attachment("aktionsplan.csv" if lang == "de" else "action-plan.csv",
                        csv_export(services, lang)),
             Attachment("aktionsplan.ics" if lang == "de" else "action-plan.ics",
                        ics_export(services, lang)))
    return Reply(t(lang, "plan_export_done", count=total), attachments=files)


def dialog(services: Services, actor: Actor, state: dialogs.DialogState, text: str) -> Reply:
    """Free text while a plan dialog is open: the add steps, a new deadline or field value."""
    if state.step in entry.ADD_STEPS:
        if not actor.at_least(Role.MANAGER):  # demoted while the dialog was open
            dialogs.finish(services, actor)
            return Reply(t(actor.language, "not_allowed_manager", command="plan_add"))
        return entry.add_step(services, actor, state, text)
    if state.step in (actions.STEP_POSTPONE, actions.STEP_EDIT):
        return actions.edit_step(services, actor, state, text)
    dialogs.finish(services, actor)
    return Reply(t(actor.language, "plan_dialog_stale"))


COMMANDS: tuple[Command, ...] = (
    Command("plan", Role.MEMBER,
            {"de": "Aktionsplan: alle, meine, überfällige, bald fällige Aufgaben",
             "en": "Action plan: all, mine, overdue, due soon"}, plan_command,
            private_only=True),
    Command("done", Role.MEMBER, {"de": "Aufgabe erledigt: /done ID",
                                  "en": "Mark an action done: /done ID"},
            actions.done_command, private_only=True),
    Command("postpone", Role.MEMBER, {"de": "Frist verschieben: /postpone ID DATUM",
                                      "en": "Move a deadline: /postpone ID DATE"},
            actions.postpone_command, private_only=True),
    Command("plan_export", Role.MEMBER, {"de": "Aktionsplan als CSV und Kalender (.ics)",
                                         "en": "Action plan as CSV and calendar (.ics)"},
            export_command, private_only=True),
    Command("plan_add", Role.MANAGER, {"de": "Neue Aufgabe in den Aktionsplan",
                                       "en": "Add an action to the plan"},
            entry.plan_add, private_only=True),
)
# VISITOR here: the responsible person may act on their own item before they are admitted
# as a member; every plan: button checks membership or responsibility itself.
BUTTONS: dict[str, Button] = {"plan": Button(Role.VISITOR, press)}
DIALOGS: dict[str, DialogFunction] = {entry.FEATURE: dialog}

__all__ = ["BUTTONS", "COMMANDS", "DIALOGS", "seed_demo"]

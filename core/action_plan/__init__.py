"""The action plan: items, permissions, reminders and digest (issue #3).

Modules: fields (status words, participant groups, responsible), dates (deadlines as typed),
rules (who may do what), items (changes), buttons (the `plan:` button table), views (how
items look), browse (/plan), entry (/plan_add), actions (/done, /postpone, card buttons),
schedule, due and reminders (the reminder pass), notices (telling the responsible person
and the creator), notify (reminder, notice and digest texts), csv_import and transfer (CSV
in, CSV and iCalendar out), demo (the talk's examples).
"""

from __future__ import annotations

from core.action_plan import actions, browse, buttons, entry
from core.action_plan.demo import seed_demo
from core.action_plan.reminders import REMINDER_JOB
from core.action_plan.transfer import csv_export, ics_export
from core.actor import Actor, Role
from core.feature import Command, Dialog, Feature, Privacy
from core.i18n import t
from core.reply import Attachment, Reply
from core.services import Services
from storage.action_plan.items import count_items
from storage.action_plan.privacy import forget_member, member_data
from storage.engine import session_scope


def export_command(services: Services, actor: Actor, args: str) -> Reply:
    """/plan_export: the plan as CSV (for Excel) and .ics (for calendars)."""
    lang = actor.language
    with session_scope(services.engine) as session:
        total = count_items(session=session)
    if not total:
        return Reply(t(lang, "plan_export_empty"))
    files = (Attachment(t(lang, "plan_export_csv_name"), csv_export(services, lang)),
             Attachment(t(lang, "plan_export_ics_name"), ics_export(services, lang)))
    return Reply(t(lang, "plan_export_done", count=total), attachments=files)


# the `plan:` buttons as declared in core/action_plan/buttons.py, each with what it runs
ACTIONS = buttons.ACTIONS.bound({
    "page": browse.press_page,
    "card": browse.press_card,
    "history": browse.show_history,
    "done": actions.press_done,
    "progress": actions.press_progress,
    "reopen": actions.press_reopen,
    "postpone": actions.press_postpone,
    "postpone_to": actions.press_postpone_to,
    "edit": actions.choose_field,
    "edit_field": actions.ask_field,
    "cancel": actions.confirm_cancel,
    "cancel_confirmed": actions.press_cancel_confirmed,
    "new": entry.press_new,
    "deadline": entry.press_deadline,
    "myself": entry.press_myself,
    "group": entry.press_group,
    "groups_done": entry.press_groups_done,
    "no_kpi": entry.press_no_kpi,
    "abort": actions.press_abort,
})

FEATURE = Feature(
    name="action_plan",
    commands=(
        Command("plan", Role.MEMBER, browse.plan_command, private_only=True),
        Command("done", Role.MEMBER, actions.done_command, private_only=True),
        Command("postpone", Role.MEMBER, actions.postpone_command, private_only=True),
        Command("plan_export", Role.MEMBER, export_command, private_only=True),
        Command("plan_add", Role.MANAGER, entry.plan_add, private_only=True),
    ),
    actions=(ACTIONS,),
    dialogs=(
        Dialog(entry.ADD_DIALOG, entry.add_step, Role.MANAGER),
        # VISITOR: the responsible person may postpone or edit their own item before they
        # are admitted; every step checks responsibility itself
        Dialog(actions.CHANGE_DIALOG, actions.edit_step, Role.VISITOR),
    ),
    privacy=Privacy(
        export=lambda session, telegram_id: member_data(session=session,
                                                        telegram_id=telegram_id),
        # items the person owns go to the successor (a manager), not away
        forget=lambda session, telegram_id, successor_id: forget_member(
            session=session, telegram_id=telegram_id, successor_telegram_id=successor_id)),
    demo=seed_demo,
    jobs=(REMINDER_JOB,),
)

__all__ = ["ACTIONS", "FEATURE"]

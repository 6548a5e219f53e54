"""How items look: list lines, the item card with its buttons, the history.

Every piece of user text goes through html.escape here; dates are shown in the cluster's time
zone (dd.mm.yyyy in German, yyyy-mm-dd in English).
"""

from __future__ import annotations

import html
from datetime import date
from zoneinfo import ZoneInfo

from core.action_plan.buttons import ACTIONS
from core.action_plan.dates import relative_days
from core.action_plan.fields import member_display, participants_label, status_label
from core.action_plan.rules import Viewer, editable_fields, is_active, may_update
from core.i18n import t
from core.locale import format_date
from core.reply import Choice, Reply, rows
from storage.accounts.tables import Member
from storage.action_plan.tables import ItemStatus, PlanHistory, PlanItem


def short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def responsible_label(item: PlanItem, member: Member | None, lang: str) -> str:
    """The responsible person as shown, with a hint when they can't be reminded."""
    if member is not None:
        label = html.escape(member_display(member))
        if member.unreachable_since is not None:
            label += " " + t(lang, "plan_blocked_hint")
        return label
    if item.responsible_username:
        return "@" + html.escape(item.responsible_username) + " " + t(lang,
                                                                      "plan_not_started_hint")
    if item.responsible_name:
        return html.escape(item.responsible_name) + " " + t(lang, "plan_no_reminder_hint")
    return t(lang, "plan_nobody")


def deadline_label(item: PlanItem, lang: str, today: date) -> str:
    shown = format_date(item.deadline, lang)
    if item.status in (ItemStatus.DONE.value, ItemStatus.CANCELLED.value):
        return shown
    return f"{shown} ({relative_days(item.deadline, today, lang)})"


def item_line(item: PlanItem, member: Member | None, lang: str, today: date) -> str:
    """Two lines for lists: id, deadline, status, responsible; then topic and action."""
    overdue = is_active(item) and item.deadline < today
    mark = "🔴 " if overdue else ""
    head = (f"{mark}<b>#{item.id}</b> · {deadline_label(item, lang, today)} · "
            f"{status_label(item.status, lang)} · {responsible_label(item, member, lang)}")
    return f"{head}\n<i>{html.escape(short(item.topic, 60))}</i> – " \
           f"{html.escape(short(item.action, 100))}"


def card_text(item: PlanItem, member: Member | None, lang: str, today: date) -> str:
    """Every field of an item."""
    lines = [
        t(lang, "plan_card_title", id=item.id, topic=html.escape(item.topic)),
        t(lang, "plan_card_action", action=html.escape(item.action)),
        t(lang, "plan_card_deadline", deadline=deadline_label(item, lang, today)),
        t(lang, "plan_card_status", status=status_label(item.status, lang)),
        t(lang, "plan_card_responsible", responsible=responsible_label(item, member, lang)),
    ]
    participants = participants_label(item.participant_groups or [], item.participants, lang)
    lines.append(t(lang, "plan_card_participants",
                   participants=html.escape(participants) or "–"))
    lines.append(t(lang, "plan_card_kpi", kpi=html.escape(item.kpi) if item.kpi else
                   t(lang, "plan_card_no_kpi")))
    return "\n".join(lines)


def card_buttons(viewer: Viewer, item: PlanItem) -> list[Choice]:
    """The buttons this viewer may use on the item right now."""
    lang = viewer.actor.language

    def button(key: str, action: str) -> Choice:
        return ACTIONS.button(t(lang, key), action, item.id)

    buttons: list[Choice] = []
    if may_update(viewer, item):
        if item.status == ItemStatus.OPEN.value:
            buttons += [button("plan_btn_done", "done"),
                        button("plan_btn_progress", "progress")]
        elif item.status == ItemStatus.IN_PROGRESS.value:
            buttons += [button("plan_btn_done", "done"),
                        button("plan_btn_back_open", "reopen")]
        else:
            buttons.append(button("plan_btn_reopen", "reopen"))
        if is_active(item):
            buttons.append(button("plan_btn_postpone", "postpone"))
    if is_active(item) and editable_fields(viewer, item):
        buttons.append(button("plan_btn_edit", "edit"))
    if viewer.is_manager and is_active(item):
        buttons.append(button("plan_btn_cancel_item", "cancel"))
    buttons += [button("plan_btn_history", "history"), list_button(lang)]
    return buttons


def list_button(lang: str) -> Choice:
    """Back to the first page of the plan."""
    return ACTIONS.button(t(lang, "plan_btn_list"), "page", "all", 0)


def back_to_card(lang: str, item_id: int) -> Choice:
    return ACTIONS.button(t(lang, "plan_btn_back_card"), "card", item_id)


def card(viewer: Viewer, item: PlanItem, member: Member | None, today: date, *,
         edit: bool = False, before: str = "", notice: str = "") -> Reply:
    """The item card: all fields, and the buttons this viewer may use right now."""
    lang = viewer.actor.language
    text = card_text(item, member, lang, today)
    return Reply(f"{before}\n\n{text}" if before else text, rows(card_buttons(viewer, item), 2),
                 edit=edit, notice=notice)


def history_text(item: PlanItem, entries: list[PlanHistory], lang: str, tz: ZoneInfo) -> str:
    lines = [t(lang, "plan_history_title", id=item.id, topic=html.escape(short(item.topic, 60)))]
    for entry in entries:
        when = format_date(entry.at.astimezone(tz).date(), lang)
        who = html.escape(entry.by_name or "CLI")
        if entry.from_deadline is not None and entry.to_deadline is not None:
            change = t(lang, "plan_history_deadline", old=format_date(entry.from_deadline, lang),
                       new=format_date(entry.to_deadline, lang))
        elif entry.from_status is None:
            change = t(lang, "plan_history_created")
        else:
            change = f"{status_label(entry.from_status, lang)} → " \
                     f"{status_label(entry.to_status, lang)}"
        lines.append(f"• {when} {who}: {change}")
    return "\n".join(lines)

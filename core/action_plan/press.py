"""The `plan:` buttons. Each press is checked again: role, item rights and the item's current
state; a forged or stale press changes nothing and says why (a notice only)."""

from __future__ import annotations

from datetime import date

from core.action_plan import actions, browse, entry
from core.actor import Actor, Role
from core.i18n import t
from core.parsing import is_number
from core.reply import Reply, refused_press
from core.services import Services
from storage.plan import ItemStatus
from storage.plan_items import FILTERS

_DIALOG_BUTTONS = ("abort", "dt", "me", "grp", "grpok", "nokpi")
_STATUS_BUTTONS = {"done": ItemStatus.DONE, "prog": ItemStatus.IN_PROGRESS,
                   "open": ItemStatus.OPEN, "cancelok": ItemStatus.CANCELLED}
FROM_REMINDER = "r"  # last part of data pressed under a reminder: answer with a new message


def press(services: Services, actor: Actor, parts: list[str]) -> Reply:
    """Route plan:<action>[:<args>]."""
    lang = actor.language
    action, args = parts[0], parts[1:]
    stale = refused_press(t(lang, "stale_button"))
    if action in _DIALOG_BUTTONS:
        return entry.press_in_dialog(services, actor, action, args[0] if args else "")
    if action == "new":
        if not actor.at_least(Role.MANAGER):
            return refused_press(t(lang, "not_allowed_manager", command="plan_add"))
        if not actor.is_private_chat:
            return refused_press(t(lang, "plan_private_chat"))
        return entry.plan_add(services, actor, "")
    if action == "page":
        if not actor.at_least(Role.MEMBER):
            return refused_press(t(lang, "not_allowed_member", command="plan"))
        if len(args) != 2 or args[0] not in FILTERS or not is_number(args[1]):
            return stale
        return browse.page(services, actor, args[0], int(args[1]), edit=True)
    item_id = browse.parse_item_id(args[0]) if args else None
    if item_id is None:
        return stale
    rest = args[1:]
    if action == "card":
        return browse.show_card(services, actor, item_id, edit=True)
    if action == "hist":
        return browse.show_history(services, actor, item_id)
    if action in _STATUS_BUTTONS:
        in_place = FROM_REMINDER not in rest
        return actions.set_status(services, actor, item_id, _STATUS_BUTTONS[action],
                                  pressed=True, in_place=in_place)
    if action == "pp":
        return actions.ask_new_deadline(services, actor, item_id, pressed=True)
    if action == "ppto" and rest:
        try:
            deadline = date.fromisoformat(rest[0])
        except ValueError:
            return stale
        return actions.postpone_to(services, actor, item_id, deadline, pressed=True)
    if action == "edit":
        return actions.choose_field(services, actor, item_id)
    if action == "ef" and rest:
        return actions.ask_field(services, actor, item_id, rest[0])
    if action == "cancel":
        return actions.confirm_cancel(services, actor, item_id)
    return stale

"""The command table: which commands exist, for whom, and what they do — collected from
the feature modules listed in FEATURES.

/help, Telegram's command menus, the console chat and the Telegram handlers all read it, so
a command is added once, in its feature. `run_command` and `press_button` are the only entry
points the transports call; they check the caller's role on every call (buttons can be
forged) and refuse group use of private-only commands.
"""

from __future__ import annotations

import html
from types import ModuleType

from core import action_plan, members, pitfalls, questions, start
from core.actor import Actor, Role
from core.i18n import t
from core.registry import Button, Command, DialogFunction
from core.reply import Reply, refused_press
from core.services import Services

# Order = order in /help and in Telegram's command menu.
FEATURES: tuple[ModuleType, ...] = (start, questions, members, action_plan, pitfalls)

COMMANDS: tuple[Command, ...] = tuple(c for feature in FEATURES for c in feature.COMMANDS)
BUTTONS: dict[str, Button] = {p: b for feature in FEATURES for p, b in feature.BUTTONS.items()}
DIALOGS: dict[str, DialogFunction] = {
    name: dialog for feature in FEATURES for name, dialog in getattr(feature, "DIALOGS",
                                                                     {}).items()}

DIALOG_ROLES: dict[str, Role] = {
    name: role for feature in FEATURES for name, role in getattr(feature, "DIALOG_ROLES",
                                                                 {}).items()}

_BY_NAME = {command.name: command for command in COMMANDS}
if len(_BY_NAME) != len(COMMANDS):
    raise RuntimeError("two features define the same command")


def find(name: str) -> Command | None:
    return _BY_NAME.get(name.lower())


def commands_for(role: Role) -> list[Command]:
    """The commands someone with `role` may use, in table order."""
    return [command for command in COMMANDS if actor_may(role, command.role)]


def actor_may(role: Role, needed: Role) -> bool:
    order = [Role.VISITOR, Role.MEMBER, Role.MANAGER]
    return order.index(role) >= order.index(needed)


def refusal(actor: Actor, needed: Role, name: str) -> Reply:
    """The polite 'not for you' reply, naming what is needed."""
    key = "not_allowed_manager" if needed is Role.MANAGER else "not_allowed_member"
    return Reply(t(actor.language, key, command=html.escape(name)))


def run_command(services: Services, actor: Actor, name: str, args: str) -> Reply:
    """Run /name with its argument text for this actor, or explain why not."""
    command = find(name)
    if command is None:
        return Reply(t(actor.language, "unknown_command", command=html.escape(name[:40])))
    if not actor.at_least(command.role):
        return refusal(actor, command.role, command.name)
    if command.private_only and not actor.is_private_chat:
        return Reply(t(actor.language, "private_only", command=command.name))
    return command.run(services, actor, args.strip())


def press_button(services: Services, actor: Actor, data: str) -> Reply:
    """Handle a button press; unknown, malformed or forbidden data changes nothing."""
    feature, _, rest = data.partition(":")
    button = BUTTONS.get(feature)
    if button is None or not rest:
        return refused_press(t(actor.language, "stale_button"))
    if not actor.at_least(button.role):
        return refused_press(refusal(actor, button.role, feature).text)
    return button.press(services, actor, rest.split(":"))

"""The command table: one place that says which commands exist, for whom, and what they do.

/help, Telegram's command menu, the console chat and the Telegram handlers all read it, so
a command is added once. `run_command` and `press_button` are the only entry points the
transports call; they check the caller's role on every call (buttons can be forged).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from core import questions, start
from core.actor import Actor, Role
from core.i18n import t
from core.reply import Reply
from core.services import Services

CommandFunction = Callable[[Services, Actor, str], Reply]
ButtonFunction = Callable[[Services, Actor, list[str]], Reply]


@dataclass(frozen=True)
class Command:
    name: str
    feature: str
    role: Role
    description: dict[str, str]
    run: CommandFunction


COMMANDS: tuple[Command, ...] = (
    Command("start", "start", Role.VISITOR,
            {"de": "Begrüßung und erste Schritte", "en": "Welcome and first steps"}, start.start),
    Command("help", "start", Role.VISITOR,
            {"de": "Alle Befehle", "en": "All commands"}, start.help_command),
    Command("language", "start", Role.VISITOR,
            {"de": "Sprache wählen (de/en)", "en": "Choose language (de/en)"}, start.language),
    Command("ask", "questions", Role.VISITOR,
            {"de": "Eine Frage stellen", "en": "Ask a question"}, questions.ask_command),
    Command("topics", "questions", Role.VISITOR,
            {"de": "Themen durchblättern", "en": "Browse topics"}, questions.topics),
    Command("unanswered", "questions", Role.MANAGER,
            {"de": "Unbeantwortete Fragen", "en": "Unanswered questions"},
            questions.unanswered),
)

# Button data is "feature:action:arg…"; the feature prefix picks the function.
BUTTONS: dict[str, tuple[Role, ButtonFunction]] = {
    "kb": (Role.VISITOR, questions.press),
    "lang": (Role.VISITOR, start.press),
}

_BY_NAME = {command.name: command for command in COMMANDS}


def find(name: str) -> Command | None:
    return _BY_NAME.get(name.lower())


def commands_for(role: Role) -> list[Command]:
    """The commands someone with `role` may use, in table order."""
    return [command for command in COMMANDS if actor_may(role, command.role)]


def actor_may(role: Role, needed: Role) -> bool:
    order = [Role.VISITOR, Role.MEMBER, Role.MANAGER]
    return order.index(role) >= order.index(needed)


def _refusal(actor: Actor, needed: Role, name: str) -> Reply:
    key = "not_allowed_manager" if needed is Role.MANAGER else "not_allowed_member"
    return Reply(t(actor.language, key, command=html.escape(name)))


def run_command(services: Services, actor: Actor, name: str, args: str) -> Reply:
    """Run /name with its argument text for this actor, or explain why not."""
    command = find(name)
    if command is None:
        return Reply(t(actor.language, "unknown_command", command=html.escape(name[:40])))
    if not actor.at_least(command.role):
        return _refusal(actor, command.role, command.name)
    return command.run(services, actor, args.strip())


def press_button(services: Services, actor: Actor, data: str) -> Reply:
    """Handle a button press; unknown, malformed or forbidden data changes nothing."""
    feature, _, rest = data.partition(":")
    entry = BUTTONS.get(feature)
    if entry is None or not rest:
        return Reply(t(actor.language, "stale_button"), notice=t(actor.language, "stale_button"))
    needed, function = entry
    if not actor.at_least(needed):
        return _refusal(actor, needed, feature)
    return function(services, actor, rest.split(":"))

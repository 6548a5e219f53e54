"""The one way in for every transport: commands, button presses and free text.

Telegram's handlers and the console call only these three functions. Each checks the
caller's role on every call (buttons can be forged, roles change while a dialog is open)
and refuses group use of private-only commands; unknown or malformed data changes nothing.
"""

from __future__ import annotations

import html
from dataclasses import replace

from sqlalchemy.exc import OperationalError

from core import dialogs
from core.actor import Actor, Role
from core.feature import SEPARATOR
from core.i18n import t
from core.reply import Choice, Reply, refused_press
from core.services import Services


def refusal(actor: Actor, needed: Role, name: str) -> Reply:
    """The polite 'not for you' reply, naming what is needed and how to get there."""
    key = "not_allowed_manager" if needed is Role.MANAGER else "not_allowed_member"
    return Reply(t(actor.language, key, command=html.escape(name)))


def private_only(services: Services, actor: Actor, name: str) -> Reply:
    """A private-only command used in a group: say so, with a button to the private chat."""
    text = t(actor.language, "private_only", command=name)
    if not services.bot_username:
        return Reply(text)
    link = Choice(t(actor.language, "open_private_chat"),
                  url=f"https://t.me/{services.bot_username}")
    return Reply(text, ((link,),))


def run_command(services: Services, actor: Actor, name: str, args: str) -> Reply:
    """Run /name with its argument text for this actor, or explain why not."""
    command = services.registry.command(name)
    if command is None:
        return Reply(t(actor.language, "unknown_command", command=html.escape(name[:40])))
    if not actor.at_least(command.role):
        return refusal(actor, command.role, command.name)
    if command.private_only and not actor.is_private_chat:
        return private_only(services, actor, command.name)
    before = _open_dialog(services, actor)
    reply = command.run(services, actor, args.strip())
    if before is not None and reply.text and _open_dialog(services, actor) == before:
        # the command left a dialog open that it did not start: the next message goes
        # there, which a member who moved on to /plan or /help would not expect
        reply = replace(reply, text=reply.text + "\n\n" + t(actor.language, "dialog_still_open"))
    return reply


def press_button(services: Services, actor: Actor, data: str) -> Reply:
    """Handle a button press; unknown, malformed or forbidden data changes nothing."""
    prefix, _, rest = data.partition(SEPARATOR)
    table = services.registry.actions(prefix)
    parsed = table.parse(rest) if table is not None else None
    if table is None or parsed is None:
        return refused_press(t(actor.language, "stale_button"))
    action, arguments = parsed
    needed = action.role or table.role
    if not actor.at_least(needed):
        return refused_press(refusal(actor, needed, prefix).text)
    return action.run(services, actor, *arguments)


def _open_dialog(services: Services, actor: Actor) -> dialogs.DialogState | None:
    """The actor's open dialog; none in groups, and none while the database is away (the
    question is then answered from the knowledge base instead of failing)."""
    if not actor.is_private_chat:
        return None
    try:
        return dialogs.current(services, actor)
    except OperationalError:
        return None


def handle_text(services: Services, actor: Actor, text: str) -> Reply:
    """Route free text: to the open dialog's step, else to the feature that answers text."""
    state = _open_dialog(services, actor)
    if state is not None:
        dialog = services.registry.dialog(state.feature)
        if dialog is None:  # a dialog of a feature that is no longer there
            dialogs.finish(services, actor)
        elif not actor.at_least(dialog.role):
            dialogs.finish(services, actor)  # the role was taken away while it was open
            return refusal(actor, dialog.role, state.feature)
        else:
            return dialog.run(services, actor, state, text)
    reply = services.registry.answer_free_text(services, actor, text)
    return reply if reply is not None else Reply(t(actor.language, "help_free_text"))

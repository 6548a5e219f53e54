"""Telegram updates into the core's router, for every feature the registry holds.

Nothing here knows a feature: commands, button prefixes, free text, group posts and the
"reply to someone's message names that person" rule all come from the declarations in
`core.feature`. Every callback builds an `Actor` and hands the update to `core.router` — in a
worker thread of the application's own (`handlers.workers`), since that is database and
matching work: a slow /match never holds up the replies to other chats
(`handlers.throttle.ChatOrder` lets updates of different chats run at the same time, each
chat's one after the other: its dialog state is in the database).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError
from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from core.actor import Actor
from core.feature import Command, GroupPost
from core.identity import identify, role_and_language, unrecorded_actor
from core.registry import Registry
from core.reply import Outgoing, Reply
from core.router import handle_text, press_button, run_command
from handlers.context import AdvisorContext
from handlers.menus import refresh_menus
from handlers.render import deliver_extra, show
from handlers.throttle import retry_seconds

# Group -1 runs before the default group 0, and a match there does not stop group 0: the
# watcher only records who writes in a group, the message is still answered (or ignored).
WATCHER_GROUP = -1
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What the worker thread found: the core's reply and whose command menus to refresh."""

    reply: Reply
    menus: tuple[int, ...]


def actor_for(update: Update, context: AdvisorContext) -> Actor | None:
    """The Actor behind an update, or None for updates without a user (channel posts)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    private = chat.type == ChatType.PRIVATE
    try:
        return identify(context.services, user_id=user.id, chat_id=chat.id,
                        name=user.full_name, username=user.username,
                        language_code=user.language_code, is_private_chat=private)
    except OperationalError:  # the database is away: questions can still be answered
        logger.warning("Database unavailable: %s treated as a visitor for now", user.id)
        return unrecorded_actor(context.services, user_id=user.id, chat_id=chat.id,
                                name=user.full_name, username=user.username,
                                language_code=user.language_code, is_private_chat=private)


def outcome_of(update: Update, context: AdvisorContext, core: Callable[[Actor], Reply], *,
               follow: bool = False) -> Outcome | None:
    """In a worker thread: who wrote, the core's reply, and whose menus change — and the
    actor's own when the update changed their role or language (`follow`)."""
    actor = actor_for(update, context)
    if actor is None:
        return None
    reply = core(actor)
    concerned = list(reply.menus)
    if (follow and not reply.notice_only and actor.is_private_chat
            and _changed(context, actor)):
        concerned.append(actor.user_id)
    return Outcome(reply, tuple(concerned))


async def answer(update: Update, context: AdvisorContext, reply: Reply,
                 actor: Actor | None = None) -> None:
    """Show a reply worked out on the event loop (the fallbacks) like `respond` does, and
    refresh the actor's menu when the update changed their role or language."""
    concerned = list(reply.menus)
    if (actor is not None and actor.is_private_chat
            and await context.workers.run(_changed, context, actor)):
        concerned.append(actor.user_id)
    await respond(update, context, Outcome(reply, tuple(concerned)))


async def respond(update: Update, context: AdvisorContext, outcome: Outcome) -> None:
    """Show the core's reply in the update's chat, send its messages to other people in the
    background (a throttled recipient must not hold up this chat), refresh the menus."""
    chat = update.effective_chat
    reply = outcome.reply
    if chat is not None:
        try:
            await show(context.bot, chat.id, reply, update.callback_query)
        except RetryAfter as exc:  # throttled for longer than the bot waits: say so, go on
            logger.warning("Reply to chat %s not sent: Telegram asks to wait %.0f s",
                           chat.id, retry_seconds(exc))
    send_extra(update, context, reply.extra)
    if outcome.menus:
        await refresh_menus(context.bot, context.services, outcome.menus)


def send_extra(update: Update, context: AdvisorContext, extra: tuple[Outgoing, ...]) -> None:
    """Deliver messages to other chats in a task of their own (PTB awaits it at shutdown)."""
    if extra:
        context.application.create_task(deliver_extra(context.bot, extra), update=update,
                                        name=f"extra:{update.update_id}")


def _changed(context: AdvisorContext, actor: Actor) -> bool:
    """Did this update change the actor's role or language (so their menu must follow)?"""
    try:
        return role_and_language(context.services, actor.user_id) != (actor.role, actor.language)
    except OperationalError:
        return False


def _reply_target(update: Update, context: AdvisorContext) -> str:
    """The id of the person whose message this command replies to, recorded as a user."""
    message = update.effective_message
    replied = message.reply_to_message if message is not None else None
    target = replied.from_user if replied is not None else None
    if target is None or target.is_bot:
        return ""
    identify(context.services, user_id=target.id, chat_id=target.id, name=target.full_name,
             username=target.username, language_code=target.language_code,
             is_private_chat=False)
    return str(target.id)


def command_handler(command: Command) -> CommandHandler:
    """A CommandHandler that runs `command` through the router's permission check."""

    async def callback(update: Update, context: AdvisorContext) -> None:
        args = " ".join(context.args or [])

        def core(actor: Actor) -> Reply:
            target = args
            if not target and command.reply_target:
                target = _reply_target(update, context)
            return run_command(context.services, actor, command.name, target)

        outcome = await context.workers.run(outcome_of, update, context, core, follow=True)
        if outcome is not None:
            await respond(update, context, outcome)

    callback.__doc__ = f"Run /{command.name}."
    return CommandHandler(command.name, callback)


def button_handler(prefix: str) -> CallbackQueryHandler:
    """A CallbackQueryHandler for `prefix:...` data: answer first, then show the result."""

    async def callback(update: Update, context: AdvisorContext) -> None:
        query = update.callback_query
        if query is None:
            return
        data = str(query.data or "")
        outcome = await context.workers.run(
            outcome_of, update, context,
            lambda actor: press_button(context.services, actor, data), follow=True)
        if outcome is None:
            return
        reply = outcome.reply
        await query.answer(reply.notice[:200] or None, show_alert=reply.notice_only)
        if not reply.notice_only:
            await respond(update, context, outcome)

    callback.__doc__ = f"Handle {prefix}: buttons."
    return CallbackQueryHandler(callback, pattern=rf"^{re.escape(prefix)}:")


async def private_text(update: Update, context: AdvisorContext) -> None:
    """Plain text in a private chat: the open dialog's step, or a question."""
    message = update.effective_message
    if message is None:
        return
    text = message.text or ""
    outcome = await context.workers.run(
        outcome_of, update, context, lambda actor: handle_text(context.services, actor, text))
    if outcome is not None:
        await respond(update, context, outcome)


def addressed_text(message: Message, bot_username: str, bot_id: int) -> str | None:
    """The question in a group message meant for the bot: a mention or a reply to it."""
    text = message.text or ""
    mention = re.compile(rf"@{re.escape(bot_username)}\b", re.IGNORECASE)
    if bot_username and mention.search(text):
        return mention.sub(" ", text).strip()
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return text
    return None


async def group_text(update: Update, context: AdvisorContext) -> None:
    """In groups, answer only mentions of the bot and replies to its messages."""
    message = update.effective_message
    if message is None:
        return
    question = addressed_text(message, context.bot.username or "", context.bot.id)
    if question is None:
        return
    # never a dialog step in a group: the router sees a group actor
    outcome = await context.workers.run(
        outcome_of, update, context,
        lambda actor: handle_text(context.services, actor, question))
    if outcome is not None:
        await respond(update, context, outcome)


async def watch_group(update: Update, context: AdvisorContext) -> None:
    """Tell the features who wrote in a group (the members' linked group)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot:
        return
    post = GroupPost(chat_id=chat.id, user_id=user.id, name=user.full_name,
                     username=user.username, language_code=user.language_code)
    followups = await context.workers.run(context.services.registry.watch_group,
                                        context.services, post)
    for followup in followups:  # never posted in the group: only notices and menus
        send_extra(update, context, followup.extra)
        if followup.menus:
            await refresh_menus(context.bot, context.services, followup.menus)


def register_features(application: Application, registry: Registry) -> None:
    """A handler per command and button prefix, then free text in private chats and groups."""
    application.add_handler(MessageHandler(filters.ChatType.GROUPS & filters.UpdateType.MESSAGE,
                                           watch_group), group=WATCHER_GROUP)
    for command in registry.commands:
        application.add_handler(command_handler(command))
    for prefix in registry.button_prefixes:
        application.add_handler(button_handler(prefix))
    text = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    application.add_handler(MessageHandler(text & filters.ChatType.PRIVATE, private_text))
    application.add_handler(MessageHandler(text & filters.ChatType.GROUPS, group_text))

"""What every handler module shares: Update -> Actor, and Reply -> Telegram messages.

Nothing here knows about features; it only translates between Telegram and the core.
"""

from __future__ import annotations

import logging
from types import ModuleType

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import AdvisorContext
from core.actor import Actor
from core.commands import press_button, run_command
from core.identity import identify
from core.registry import Command
from core.reply import Reply, to_plain_text

logger = logging.getLogger(__name__)
MESSAGE_LIMIT = 4096


def actor_for(update: Update, context: AdvisorContext) -> Actor | None:
    """The Actor behind an update, or None for updates without a user (channel posts)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    return identify(context.services, user_id=user.id, chat_id=chat.id,
                    name=user.full_name, username=user.username,
                    language_code=user.language_code,
                    is_private_chat=chat.type == ChatType.PRIVATE)


def fit(text: str) -> tuple[str, str | None]:
    """Text and parse mode within Telegram's 4,096-character limit.

    Cutting HTML could break a tag and get the whole message refused, so an over-long
    message is sent as plain text, shortened.
    """
    if len(text) <= MESSAGE_LIMIT:
        return text, ParseMode.HTML
    plain = to_plain_text(text)
    return (plain if len(plain) <= MESSAGE_LIMIT else plain[:MESSAGE_LIMIT - 1] + "…"), None


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.choices:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(c.label, callback_data=c.data) for c in row]
         for row in reply.choices])


async def send_reply(update: Update, context: AdvisorContext, reply: Reply) -> None:
    """Show a reply: edit the pressed message or send anew, then files and notifications."""
    chat = update.effective_chat
    query = update.callback_query
    if chat is None:
        return
    if reply.edit and query is not None and query.message is not None:
        try:
            text, mode = fit(reply.text)
            await query.edit_message_text(text, parse_mode=mode, reply_markup=markup(reply))
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise
    else:
        text, mode = fit(reply.text)
        await context.bot.send_message(chat.id, text, parse_mode=mode,
                                       reply_markup=markup(reply))
    for attachment in reply.attachments:
        if attachment.kind == "photo":
            await context.bot.send_photo(chat.id, attachment.content,
                                         filename=attachment.filename)
        else:
            await context.bot.send_document(chat.id, attachment.content,
                                            filename=attachment.filename)
    for outgoing in reply.extra:
        try:
            text, mode = fit(outgoing.reply.text)
            await context.bot.send_message(outgoing.chat_id, text, parse_mode=mode,
                                           reply_markup=markup(outgoing.reply))
        except Forbidden:
            logger.warning("Could not reach user %s: they blocked the bot", outgoing.chat_id)
        except BadRequest as exc:  # e.g. "chat not found": the user never started the bot
            logger.warning("Could not reach user %s: %s", outgoing.chat_id, exc)


def command_handler(command: Command) -> CommandHandler:
    """A CommandHandler that runs `command` through the core's permission check."""

    async def callback(update: Update, context: AdvisorContext) -> None:
        actor = actor_for(update, context)
        if actor is None:
            return
        args = " ".join(context.args or [])
        await send_reply(update, context, run_command(context.services, actor, command.name,
                                                      args))

    callback.__doc__ = f"Run /{command.name}."
    return CommandHandler(command.name, callback)


def button_handler(prefix: str) -> CallbackQueryHandler:
    """A CallbackQueryHandler for `prefix:...` data: answer first, then show the result."""

    async def callback(update: Update, context: AdvisorContext) -> None:
        query = update.callback_query
        actor = actor_for(update, context)
        if query is None or actor is None:
            return
        reply = press_button(context.services, actor, str(query.data or ""))
        await query.answer(reply.notice[:200] or None, show_alert=reply.notice_only)
        if not reply.notice_only:
            await send_reply(update, context, reply)

    callback.__doc__ = f"Handle {prefix}: buttons."
    return CallbackQueryHandler(callback, pattern=rf"^{prefix}:")


def register_feature(application: Application, feature: ModuleType) -> None:
    """Add a CommandHandler per command and a CallbackQueryHandler per button prefix."""
    for command in feature.COMMANDS:
        application.add_handler(command_handler(command))
    for prefix in feature.BUTTONS:
        application.add_handler(button_handler(prefix))

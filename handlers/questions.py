"""Telegram wiring for questions: /ask, /topics, /unanswered, topic buttons, free text.

Free text in a private chat goes to `core.dialogs.handle_text`, which hands it to an open
dialog (profile, plan entry ...) or asks the knowledge base.
"""

from __future__ import annotations

import re

from telegram import Message, Update
from telegram.ext import Application, MessageHandler, filters

from bot.context import AdvisorContext
from core import questions
from core.dialogs import handle_text
from core.questions import ask
from handlers.common import actor_for, register_feature, send_reply


async def private_question(update: Update, context: AdvisorContext) -> None:
    """Answer plain text in a private chat: a dialog step or a question."""
    message = update.effective_message
    actor = actor_for(update, context)
    if message is None or actor is None:
        return
    await send_reply(update, context, handle_text(context.services, actor, message.text or ""))


def _addressed_text(message: Message, bot_username: str, bot_id: int) -> str | None:
    """The question in a group message meant for the bot: a mention or a reply to it."""
    text = message.text or ""
    mention = re.compile(rf"@{re.escape(bot_username)}\b", re.IGNORECASE)
    if bot_username and mention.search(text):
        return mention.sub(" ", text).strip()
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return text
    return None


async def group_question(update: Update, context: AdvisorContext) -> None:
    """In groups, answer only mentions of the bot and replies to its messages."""
    message = update.effective_message
    if message is None:
        return
    question = _addressed_text(message, context.bot.username or "", context.bot.id)
    if question is None:
        return
    actor = actor_for(update, context)
    if actor is not None:
        await send_reply(update, context, ask(context.services, actor, question))


def register(application: Application) -> None:
    register_feature(application, questions)
    text = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    application.add_handler(MessageHandler(text & filters.ChatType.PRIVATE, private_question))
    application.add_handler(MessageHandler(text & filters.ChatType.GROUPS, group_question))

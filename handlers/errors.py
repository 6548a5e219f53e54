"""The global error handler: log with traceback, tell the user briefly, keep running."""

from __future__ import annotations

import logging

from sqlalchemy.exc import OperationalError
from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application

from core.i18n import t
from handlers.context import AdvisorContext

logger = logging.getLogger(__name__)


async def on_error(update: object, context: AdvisorContext) -> None:
    """Log the failure and, when there is a chat, apologise in both languages."""
    database_down = isinstance(context.error, OperationalError)
    if database_down:  # one line, not a traceback per update while the database is away
        logger.error("Update %s failed: the database is unavailable (%s)",
                     getattr(update, "update_id", "?"), str(context.error).splitlines()[0])
    else:
        logger.error("Update %s failed", getattr(update, "update_id", "?"),
                     exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(context.error, Forbidden):  # the user blocked the bot: nobody to tell
        return
    key = "database_unavailable" if database_down else "error"
    text = t("de", key) + "\n" + t("en", key)
    try:
        await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError:
        logger.warning("Could not tell chat %s about the error", update.effective_chat.id)


def register(application: Application) -> None:
    application.add_error_handler(on_error)

"""What no feature took: unknown commands, non-text messages, unknown buttons.

Registered last in the default handler group: within a group only the first matching
handler runs, so these see only what every feature before them passed over.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from core.i18n import t
from core.reply import Reply
from core.router import press_button, run_command
from handlers.context import AdvisorContext
from handlers.dispatch import actor_for, answer


async def unknown_command(update: Update, context: AdvisorContext) -> None:
    """Tell the user the command does not exist and point to /help."""
    message = update.effective_message
    actor = actor_for(update, context)
    if message is None or actor is None or not message.text:
        return
    name = message.text.split()[0][1:].split("@")[0]
    await answer(update, context, run_command(context.services, actor, name, ""))


async def non_text(update: Update, context: AdvisorContext) -> None:
    """Explain that only text is understood (stickers, photos, voice...)."""
    actor = actor_for(update, context)
    if actor is not None:
        await answer(update, context, Reply(t(actor.language, "only_text")))


async def unknown_button(update: Update, context: AdvisorContext) -> None:
    """Answer a button whose data no feature recognises; nothing changes."""
    query = update.callback_query
    actor = actor_for(update, context)
    if query is None or actor is None:
        return
    reply = press_button(context.services, actor, str(query.data or ""))
    await query.answer(reply.notice[:200] or None, show_alert=True)


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    application.add_handler(MessageHandler(private & filters.COMMAND, unknown_command))
    application.add_handler(MessageHandler(private & ~filters.TEXT, non_text))
    application.add_handler(CallbackQueryHandler(unknown_button))

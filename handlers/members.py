"""Telegram wiring for joining, roles, profiles, matchmaking, privacy.

Besides the feature's commands and buttons: a watcher of group messages (people who write in
the cluster's linked group become members) and /promote, /demote as a reply to someone's
group message (Telegram tells us whom the reply is to; the core only sees an id).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.context import AdvisorContext
from core import members
from core.commands import run_command
from core.identity import identify
from core.members.joining import group_message
from handlers.common import actor_for, register_feature, send_reply

# Group -1 runs before the default group 0, and a match there does not stop group 0: the
# watcher only records membership, the message is still answered (or ignored) as usual.
WATCHER_GROUP = -1


async def watch_group(update: Update, context: AdvisorContext) -> None:
    """Make the author of a message in a linked group a member (nothing else happens)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot:
        return
    group_message(context.services, chat_id=chat.id, user_id=user.id, name=user.full_name,
                  username=user.username, language_code=user.language_code)


def _role_command(name: str) -> CommandHandler:
    """/promote or /demote; without an argument, the author of the replied-to message."""

    async def callback(update: Update, context: AdvisorContext) -> None:
        actor = actor_for(update, context)
        message = update.effective_message
        if actor is None or message is None:
            return
        args = " ".join(context.args or [])
        replied = message.reply_to_message
        target = replied.from_user if replied is not None else None
        if not args and target is not None and not target.is_bot:
            identify(context.services, user_id=target.id, chat_id=target.id,
                     name=target.full_name, username=target.username,
                     language_code=target.language_code, is_private_chat=False)
            args = str(target.id)
        await send_reply(update, context, run_command(context.services, actor, name, args))

    callback.__doc__ = f"Run /{name}, taking the person from a replied-to message."
    return CommandHandler(name, callback)


def register(application: Application) -> None:
    application.add_handler(MessageHandler(filters.ChatType.GROUPS & filters.UpdateType.MESSAGE,
                                           watch_group), group=WATCHER_GROUP)
    # before register_feature: within a group the first matching handler wins
    application.add_handler(_role_command("promote"))
    application.add_handler(_role_command("demote"))
    register_feature(application, members)

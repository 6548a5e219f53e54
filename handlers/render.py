"""The one place that turns a core `Reply` into Bot API calls.

Replies to an update and messages the bot starts itself (reminders, notices to another
member) both go through `deliver`, so limits, parse mode and buttons are handled alike.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import Bot, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError
from telegram.ext import ExtBot

from core.delivery import SendResult
from core.reply import Attachment, Outgoing, Reply, to_plain_text
from handlers.throttle import ChatThrottle, retry_seconds, waiting_at_most

logger = logging.getLogger(__name__)
MESSAGE_LIMIT = 4096
# The reminder pass waits at most this long for one chat; a longer 429 leaves the rows
# pending for a later pass, so the other people's messages go out meanwhile.
SENDER_PATIENCE = 2.0
SEND_TRIES = 3  # only for bots without ChatThrottle, which retries a 429 itself


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
        [[InlineKeyboardButton(c.label, url=c.url) if c.url
          else InlineKeyboardButton(c.label, callback_data=c.data) for c in row]
         for row in reply.choices])


async def deliver(bot: Bot, chat_id: int, reply: Reply) -> None:
    """Send a reply as a new message to `chat_id`, then its files."""
    text, mode = fit(reply.text)
    await bot.send_message(chat_id, text, parse_mode=mode, reply_markup=markup(reply))
    for attachment in reply.attachments:
        await send_file(bot, chat_id, attachment)


async def show(bot: Bot, chat_id: int, reply: Reply, query: CallbackQuery | None) -> None:
    """Show the answer to an update: edit the pressed message or send anew (the messages to
    the other people it concerns are `deliver_extra`'s)."""
    if reply.edit and query is not None and query.message is not None:
        text, mode = fit(reply.text)
        try:
            await query.edit_message_text(text, parse_mode=mode, reply_markup=markup(reply))
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise
        for attachment in reply.attachments:
            await send_file(bot, chat_id, attachment)
    else:
        await deliver(bot, chat_id, reply)


async def deliver_extra(bot: Bot, extra: Sequence[Outgoing]) -> None:
    """Tell the other people a reply concerns (a manager, the other side of an introduction)."""
    for outgoing in extra:
        await deliver_quietly(bot, outgoing.chat_id, outgoing.reply)


async def deliver_quietly(bot: Bot, chat_id: int, reply: Reply) -> None:
    """Send a notice to someone else; that they can't be reached is logged, not raised."""
    try:
        await deliver(bot, chat_id, reply)
    except Forbidden:
        logger.warning("Could not reach user %s: they blocked the bot", chat_id)
    except BadRequest as exc:  # e.g. "chat not found": the user never started the bot
        logger.warning("Could not reach user %s: %s", chat_id, exc)
    except RetryAfter as exc:  # throttled for longer than the bot waits (already logged)
        logger.warning("Notice to user %s not sent: Telegram asks to wait %.0f s",
                       chat_id, retry_seconds(exc))


async def send_file(bot: Bot, chat_id: int, attachment: Attachment) -> None:
    """A chart as photo, an export as document."""
    if attachment.kind == "photo":
        await bot.send_photo(chat_id, attachment.content, filename=attachment.filename)
    else:
        await bot.send_document(chat_id, attachment.content, filename=attachment.filename)


class TelegramSender:
    """The core's `Sender` over a PTB bot: Bot API answers become `SendResult`s.

    It never waits long for one chat: a 429 beyond `SENDER_PATIENCE` comes back at once as
    `retry_after`, and the reminder pass goes on with the next person.
    """

    def __init__(self, bot: Bot, *,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        self.bot = bot
        self.sleep = sleep
        throttled = isinstance(bot, ExtBot) and isinstance(bot.rate_limiter, ChatThrottle)
        self.tries = 1 if throttled else SEND_TRIES  # ChatThrottle retries a short 429

    async def send(self, chat_id: int, reply: Reply) -> SendResult:
        """Send one message; a short 429 is waited for, a long one reported, 403 unreachable."""
        for attempt in range(1, self.tries + 1):
            try:
                with waiting_at_most(SENDER_PATIENCE):
                    await deliver(self.bot, chat_id, reply)
                return SendResult(ok=True)
            except RetryAfter as exc:
                wait = retry_seconds(exc)
                if wait > SENDER_PATIENCE or attempt == self.tries:
                    return SendResult(ok=False, retry_after=wait, error=f"429: {exc}")
                await self.sleep(wait)
            except Forbidden as exc:
                return SendResult(ok=False, unreachable=True, error=f"403: {exc}")
            except BadRequest as exc:
                if "chat not found" in str(exc).lower():  # never started the bot
                    return SendResult(ok=False, unreachable=True, error=f"400: {exc}")
                return SendResult(ok=False, error=f"400: {exc}")
            except InvalidToken as exc:  # revoked: no message can go out until it is fixed
                return SendResult(ok=False, halt=True, error=f"401: {exc}")
            except TelegramError as exc:  # network trouble, time-outs, 5xx
                return SendResult(ok=False, error=f"{type(exc).__name__}: {exc}")
        return SendResult(ok=False, error="no attempt made")  # pragma: no cover

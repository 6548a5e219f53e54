"""Telegram wiring for the action plan and its reminders.

Commands and `plan:` buttons go through the core like every feature. Reminders: the job
queue runs one reminder pass per minute (job "reminders:pass", first run right at start so
reminders missed while the bot was down go out at once). The job queue is only a cache of
the `reminder` table: APScheduler keeps jobs in memory and may skip a late run; the next
run catches up from the database. `TelegramSender` turns the Bot API's answers into the
core's `SendResult`.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application

from bot.context import AdvisorContext, BotData
from core import action_plan
from core.action_plan.reminders import SendResult, recover_in_flight, run_pass
from core.reply import Reply
from handlers.common import markup, register_feature

logger = logging.getLogger(__name__)

PASS_JOB = "reminders:pass"
PASS_INTERVAL_SECONDS = 60
# seconds after start; 0 would be "already past" for APScheduler, which then waits a whole
# interval
FIRST_RUN_AFTER = 1
MAX_RETRY_WAIT = 60.0  # longer 429 waits are left to a later pass (rows stay pending)
SEND_TRIES = 4
_pass_lock = asyncio.Lock()


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramSender:
    """Send reminder messages through a PTB bot, mapping errors to SendResult."""

    def __init__(self, bot: Bot, *,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        self.bot = bot
        self.sleep = sleep

    async def send(self, chat_id: int, reply: Reply) -> SendResult:
        """Send one message; wait and retry on 429, report 403 as unreachable."""
        for attempt in range(1, SEND_TRIES + 1):
            try:
                await self.bot.send_message(chat_id, reply.text, parse_mode=ParseMode.HTML,
                                            reply_markup=markup(reply))
                return SendResult(ok=True)
            except RetryAfter as exc:
                with warnings.catch_warnings():  # PTB 22 deprecates int retry_after
                    warnings.simplefilter("ignore")
                    wait = _seconds(exc.retry_after)
                if wait > MAX_RETRY_WAIT or attempt == SEND_TRIES:
                    return SendResult(ok=False, retry_after=wait, error=f"429: {exc}")
                logger.warning("Telegram asks to wait %.0f s before messaging chat %s",
                               wait, chat_id)
                await self.sleep(wait)
            except Forbidden as exc:
                return SendResult(ok=False, unreachable=True, error=f"403: {exc}")
            except BadRequest as exc:
                if "chat not found" in str(exc).lower():  # never started the bot
                    return SendResult(ok=False, unreachable=True, error=f"400: {exc}")
                return SendResult(ok=False, error=f"400: {exc}")
            except TelegramError as exc:  # network trouble, time-outs, 5xx
                return SendResult(ok=False, error=f"{type(exc).__name__}: {exc}")
        return SendResult(ok=False, error="no attempt made")  # pragma: no cover


async def reminder_pass(context: AdvisorContext) -> None:
    """Job: one reminder and digest pass (never two at once in this process)."""
    if _pass_lock.locked():
        return
    async with _pass_lock:
        report = await run_pass(context.services, TelegramSender(context.bot))
    if report.messages or report.unreachable or report.retrying or report.failed:
        logger.info("Reminder pass: %s", report.summary())


def arm_reminders(application: Application) -> None:
    """At start-up: resend what a killed process left in flight, then run the pass job."""
    bot_data: BotData = application.bot_data
    if bot_data.services is None:
        raise RuntimeError("services must be started before the reminders are armed")
    recover_in_flight(bot_data.services)
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("python-telegram-bot[job-queue] is needed for reminders")
    for job in queue.get_jobs_by_name(PASS_JOB):
        job.schedule_removal()
    queue.run_repeating(reminder_pass, interval=PASS_INTERVAL_SECONDS, first=FIRST_RUN_AFTER,
                        name=PASS_JOB,
                        job_kwargs={"misfire_grace_time": None, "coalesce": True,
                                    "max_instances": 1})


def disarm_reminders(application: Application) -> None:
    """At shutdown: drop the pass job (a pass in flight finishes or is resent at start)."""
    queue = application.job_queue
    if queue is not None:
        for job in queue.get_jobs_by_name(PASS_JOB):
            job.schedule_removal()


def register(application: Application) -> None:
    register_feature(application, action_plan)

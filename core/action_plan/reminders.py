"""The reminder pass: decide what is due, then deliver it exactly once.

The database holds the reminder state; whoever runs a pass (the bot's job every minute, or
`cluster-advisor reminders run-once`) only looks at it. A pass

1. creates a `reminder` row for each occasion that has become due (idempotent: unique key),
   and one digest row per manager once the weekly digest time has come;
2. groups the pending rows per recipient - one message per person listing all their due
   items and notices (core.action_plan.notices), so nobody gets a burst (Telegram allows one
   message per second per chat);
3. per recipient: marks the rows 'sending' and COMMITS, then calls the sender, then marks
   them 'sent' (or unreachable / pending for a retry / failed). Rows with nothing to say (a
   digest of an empty week, items closed meanwhile) are marked 'skipped' and never sent.

A process killed between 3's commit and the API's answer leaves rows in 'sending';
`recover_in_flight` (run at start-up) puts them back to 'pending', so that one message may
go out twice - never zero times. Nothing else is sent twice.

In the running bot this is the job `reminders:pass` (`PASS_JOB`): every minute, first
right after start, with `recover_in_flight` before its first run.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.action_plan.due import Batch, clock_for, decide
from core.action_plan.notify import render_batch
from core.action_plan.schedule import Clock
from core.delivery import Sender, SendResult
from core.feature import Job
from core.services import Services
from storage.action_plan.reminders import (
    attempts_of,
    claim,
    finish,
    recheck_all,
    recover_sending,
    schedule_marker,
    set_reachability,
    set_schedule_marker,
    skip,
)
from storage.action_plan.tables import ReminderState
from storage.clock import utcnow
from storage.engine import session_scope

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # then 'failed' (logged and shown in the digest)
PER_CHAT_GAP = 1.05  # seconds between two messages to the same chat
PASS_JOB = "reminders:pass"
PASS_INTERVAL_SECONDS = 60
# seconds after start; 0 would be "already past" for APScheduler, which then waits a whole
# interval
FIRST_RUN_AFTER = 1


@dataclass
class PassReport:
    """What one pass did, for logs and the CLI."""

    created: int = 0
    messages: int = 0
    reminders: int = 0
    digests: int = 0
    unreachable: int = 0
    retrying: int = 0
    failed: int = 0
    waiting: int = 0
    skipped: int = 0  # messages with nothing to say (an empty digest)
    decide_seconds: float = 0.0

    def summary(self) -> str:
        return (f"{self.messages} message(s) sent ({self.reminders} reminder(s), "
                f"{self.digests} digest(s)); {self.unreachable} unreachable, "
                f"{self.retrying} to retry, {self.failed} failed, {self.waiting} item(s) "
                f"waiting for people who have not started the bot, {self.skipped} with "
                f"nothing to say; decided in "
                f"{self.decide_seconds * 1000:.0f} ms")


def recover_in_flight(services: Services) -> int:
    """At start-up: rows a killed process left in 'sending' are sent again (at most once);
    and if REMINDER_OFFSETS, REMINDER_TIME or TIMEZONE changed, every open item is
    looked at again by the next pass."""
    settings = services.settings
    fingerprint = hashlib.sha1(
        f"{settings.reminder_offsets}|{settings.reminder_time}|{settings.timezone}".encode()
    ).hexdigest()[:16]
    with session_scope(services.engine) as session:
        count = recover_sending(session=session, now=utcnow())
        if schedule_marker(session=session) != fingerprint:
            recheck_all(session=session)
            set_schedule_marker(session=session, fingerprint=fingerprint, now=utcnow())
    if count:
        logger.warning("%d reminder(s) were being sent when the bot stopped; sending again",
                       count)
    return count


def _record(services: Services, batch: Batch, result: SendResult, clock: Clock,
            report: PassReport) -> None:
    """Write the outcome of one send; log every failure (nothing is dropped silently)."""
    ids, now = batch.reminder_ids, utcnow()
    with session_scope(services.engine) as session:
        if result.ok:
            finish(session=session, ids=ids, state=ReminderState.SENT, now=now)
            set_reachability(session=session, telegram_id=batch.chat_id, unreachable_since=None)
            report.messages += 1
            report.digests += 1 if batch.digest else 0
            report.reminders += 0 if batch.digest else len(ids)
            return
        if result.unreachable:
            logger.warning("Chat %s can't be reached (%s): %d reminder(s) marked unreachable",
                           batch.chat_id, result.error, len(ids))
            finish(session=session, ids=ids, state=ReminderState.UNREACHABLE, now=now,
                   error=result.error)
            set_reachability(session=session, telegram_id=batch.chat_id, unreachable_since=now)
            report.unreachable += len(ids)
            return
        attempts = attempts_of(session=session, ids=ids) + 1
        if result.retry_after is not None:
            wait = timedelta(seconds=result.retry_after)
        else:
            wait = timedelta(minutes=min(2 ** attempts, 60))
        if attempts >= MAX_ATTEMPTS and result.retry_after is None:
            logger.error("Giving up on %d reminder(s) to chat %s after %d attempts: %s",
                         len(ids), batch.chat_id, attempts, result.error)
            finish(session=session, ids=ids, state=ReminderState.FAILED, now=now,
                   error=result.error)
            report.failed += len(ids)
            return
        logger.warning("Reminder(s) to chat %s not sent (attempt %d, %s); retrying after %s",
                       batch.chat_id, attempts, result.error, wait)
        finish(session=session, ids=ids, state=ReminderState.PENDING, now=now,
               error=result.error, not_before=clock.now + wait)
        report.retrying += len(ids)


async def run_pass(services: Services, sender: Sender, now: datetime | None = None, *,
                   pause: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> PassReport:
    """One reminder and digest pass as of `now` (default: the real time)."""
    now = now or utcnow()
    clock = clock_for(services, now)
    decision = await asyncio.to_thread(decide, services, now)  # keep the bot responsive
    report = PassReport(created=decision.created, waiting=decision.waiting,
                        decide_seconds=decision.seconds)
    last_sent: dict[int, float] = {}
    for batch in decision.batches:
        reply = render_batch(services, batch, clock)
        if reply is None:
            with session_scope(services.engine) as session:
                skip(session=session, ids=batch.reminder_ids, now=utcnow())
            report.skipped += 1
            continue
        gap = PER_CHAT_GAP - (time.monotonic() - last_sent.get(batch.chat_id, -1e9))
        if gap > 0:  # before claiming: a shutdown while waiting leaves the rows pending
            await pause(gap)
        with session_scope(services.engine) as session:  # committed before sending
            if not claim(session=session, ids=batch.reminder_ids, chat_id=batch.chat_id,
                         now=utcnow()):
                continue  # another pass took these rows meanwhile
        try:
            result = await sender.send(batch.chat_id, reply)
        except Exception as exc:  # a bug or an unmapped error: keep the rows, log it
            logger.exception("Sending to chat %s failed", batch.chat_id)
            result = SendResult(ok=False, error=f"{type(exc).__name__}: {exc}")
        last_sent[batch.chat_id] = time.monotonic()
        _record(services, batch, result, clock, report)
    return report


async def pass_job(services: Services, sender: Sender) -> None:
    """The bot's job: one pass now; what it did is logged when it did anything."""
    report = await run_pass(services, sender)
    if report.messages or report.unreachable or report.retrying or report.failed:
        logger.info("Reminder pass: %s", report.summary())


def recover_at_start(services: Services) -> None:
    """Before the job's first run: what a killed process left in flight goes out again."""
    recover_in_flight(services)


REMINDER_JOB = Job(PASS_JOB, pass_job, interval_seconds=PASS_INTERVAL_SECONDS,
                   first_after_seconds=FIRST_RUN_AFTER, on_start=recover_at_start)

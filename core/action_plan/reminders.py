"""The reminder pass: decide what is due, then deliver it exactly once.

The database holds the reminder state; whoever runs a pass (the bot's job every minute in
each instance, or `cluster-advisor reminders run-once`) only looks at it. A pass

1. frees rows whose sender is gone (a lease that ran out, a process that died here);
2. creates a `reminder` row for each occasion that has become due (idempotent: unique key),
   and one digest row per manager once the weekly digest time has come;
3. groups the pending rows per recipient - one message per person listing all their due
   items and notices (core.action_plan.notices), so nobody gets a burst (Telegram allows one
   message per second per chat);
4. per recipient: claims the rows - 'sending', with this claim's token and a lease
   (storage.leases) - and COMMITS, then calls the sender (bounded by half the lease), then
   writes the outcome ('sent', unreachable, pending for a retry, failed) on the rows the
   claim still holds. Rows with nothing to say (a digest of an empty week, items closed
   meanwhile) are marked 'skipped' and never sent.

Several passes at once - two instances of the bot on one PostgreSQL, plus a `run-once` -
never claim the same rows, and none writes over another's outcome. A process killed between
4's commit and the API's answer leaves its rows 'sending': the next pass of any process
takes them once the lease has run out (at once when the killed process ran on the same
machine), so that one message may go out twice - never zero times. Nothing else is sent
twice.

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

from sqlmodel import Session

from core.action_plan.due import Batch, Decision, clock_for, decide
from core.action_plan.notify import render_batch
from core.action_plan.schedule import Clock
from core.delivery import Sender, SendResult
from core.feature import Job
from core.reply import Reply
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
from storage.leases import WORK_TIMEOUT, new_token

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # then 'failed' (logged and shown in the digest)
HALT_WAIT = timedelta(minutes=5)  # a revoked token: look again after this
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
    taken_over: int = 0  # claims another process took over before the outcome was written
    recovered: int = 0  # rows in flight of a process that is gone, freed for this pass
    decide_seconds: float = 0.0

    def summary(self) -> str:
        return (f"{self.messages} message(s) sent ({self.reminders} reminder(s), "
                f"{self.digests} digest(s)); {self.unreachable} unreachable, "
                f"{self.retrying} to retry, {self.failed} failed, {self.waiting} item(s) "
                f"waiting for people who have not started the bot, {self.skipped} with "
                f"nothing to say{self._takeover()}; decided in "
                f"{self.decide_seconds * 1000:.0f} ms")

    def _takeover(self) -> str:
        if not (self.recovered or self.taken_over):
            return ""
        return (f", {self.recovered} taken over from a stopped sender, {self.taken_over} "
                f"claim(s) lost to another sender")


def recover_in_flight(services: Services) -> int:
    """At start-up: rows a killed process left in 'sending' are sent again (at most once) -
    once their lease has run out, or at once if it died on this machine; and if
    REMINDER_OFFSETS, REMINDER_TIME or TIMEZONE changed, every open item is looked at again
    by the next pass."""
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


def _take_over_stopped(services: Services) -> int:
    """Before each pass: rows of a sender that is gone (lease ran out) are pending again, so
    an instance that never restarts does not keep its rows from the others."""
    with session_scope(services.engine) as session:
        count = recover_sending(session=session, now=utcnow())
    if count:
        logger.warning("%d reminder(s) of a stopped sender are sent again", count)
    return count


def _recover_then_decide(services: Services, now: datetime) -> tuple[int, Decision]:
    return _take_over_stopped(services), decide(services, now)


def _skip(services: Services, batch: Batch) -> None:
    with session_scope(services.engine) as session:
        skip(session=session, ids=batch.reminder_ids, now=utcnow())


def _claim(services: Services, batch: Batch, token: str, due: datetime) -> bool:
    with session_scope(services.engine) as session:  # committed before sending
        return claim(session=session, ids=batch.reminder_ids, chat_id=batch.chat_id,
                     now=utcnow(), token=token, due=due)


def _record(services: Services, batch: Batch, token: str, result: SendResult, clock: Clock,
            report: PassReport) -> None:
    """Write the outcome of one send while the claim holds; log every failure (nothing is
    dropped silently)."""
    ids, now = batch.reminder_ids, utcnow()
    with session_scope(services.engine) as session:
        state, error, not_before, count = _outcome(session, batch, result, clock, now)
        settled = finish(session=session, ids=ids, state=state, now=now, token=token,
                         error=error, not_before=not_before, attempt=not result.halt)
        if settled < len(ids):  # the lease ran out and another sender took over
            logger.warning("Reminder(s) %s to chat %s: the claim was taken over while sending "
                           "(%s); the other sender's outcome stands", ids, batch.chat_id,
                           "sent" if result.ok else result.error)
            report.taken_over += 1
        if settled and result.ok:
            set_reachability(session=session, telegram_id=batch.chat_id, unreachable_since=None)
        elif settled and result.unreachable:
            set_reachability(session=session, telegram_id=batch.chat_id, unreachable_since=now)
    if result.ok:
        report.messages += 1
        report.digests += 1 if batch.digest else 0
        report.reminders += 0 if batch.digest else len(ids)
    elif state is ReminderState.UNREACHABLE:
        report.unreachable += count
    elif state is ReminderState.FAILED:
        report.failed += count
    else:
        report.retrying += count


def _outcome(session: Session, batch: Batch, result: SendResult, clock: Clock, now: datetime
             ) -> tuple[ReminderState, str | None, datetime | None, int]:
    """State, error and retry time for a send's result; logs what went wrong."""
    ids = batch.reminder_ids
    if result.ok:
        return ReminderState.SENT, None, None, len(ids)
    if result.unreachable:
        logger.warning("Chat %s can't be reached (%s): %d reminder(s) marked unreachable",
                       batch.chat_id, result.error, len(ids))
        return ReminderState.UNREACHABLE, result.error, None, len(ids)
    if result.halt:  # nobody can be reached (revoked token): not this chat's attempt
        return ReminderState.PENDING, result.error, clock.now + HALT_WAIT, len(ids)
    attempts = attempts_of(session=session, ids=ids) + 1
    if result.retry_after is not None:  # however long: kept, and tried again after it
        wait = timedelta(seconds=result.retry_after)
    else:
        wait = timedelta(minutes=min(2 ** attempts, 60))
    if attempts >= MAX_ATTEMPTS and result.retry_after is None:
        logger.error("Giving up on %d reminder(s) to chat %s after %d attempts: %s",
                     len(ids), batch.chat_id, attempts, result.error)
        return ReminderState.FAILED, result.error, None, len(ids)
    logger.warning("Reminder(s) to chat %s not sent (attempt %d, %s); retrying after %s",
                   batch.chat_id, attempts, result.error, wait)
    return ReminderState.PENDING, result.error, clock.now + wait, len(ids)


async def _send(sender: Sender, batch: Batch, reply: Reply) -> SendResult:
    """One send, bounded well inside the lease (a hung connection must not outlive it)."""
    try:
        return await asyncio.wait_for(sender.send(batch.chat_id, reply), WORK_TIMEOUT)
    except TimeoutError:
        logger.warning("Sending to chat %s took longer than %.0f s; retrying later",
                       batch.chat_id, WORK_TIMEOUT)
        return SendResult(ok=False, error=f"no answer within {WORK_TIMEOUT:.0f} s")
    except Exception as exc:  # a bug or an unmapped error: keep the rows, log it
        logger.exception("Sending to chat %s failed", batch.chat_id)
        return SendResult(ok=False, error=f"{type(exc).__name__}: {exc}")


async def run_pass(services: Services, sender: Sender, now: datetime | None = None, *,
                   pause: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> PassReport:
    """One reminder and digest pass as of `now` (default: the real time).

    Database work runs in a thread, so the bot keeps answering during a pass.
    """
    now = now or utcnow()
    clock = clock_for(services, now)
    recovered, decision = await asyncio.to_thread(_recover_then_decide, services, now)
    report = PassReport(created=decision.created, waiting=decision.waiting,
                        decide_seconds=decision.seconds, recovered=recovered)
    last_sent: dict[int, float] = {}
    for batch in decision.batches:
        reply = await asyncio.to_thread(render_batch, services, batch, clock)
        if reply is None:
            await asyncio.to_thread(_skip, services, batch)
            report.skipped += 1
            continue
        gap = PER_CHAT_GAP - (time.monotonic() - last_sent.get(batch.chat_id, -1e9))
        if gap > 0:  # before claiming: a shutdown while waiting leaves the rows pending
            await pause(gap)
        token = new_token()
        if not await asyncio.to_thread(_claim, services, batch, token, clock.now):
            continue  # another pass (here or in another instance) has these rows
        result = await _send(sender, batch, reply)
        last_sent[batch.chat_id] = time.monotonic()
        await asyncio.to_thread(_record, services, batch, token, result, clock, report)
        if result.halt:
            logger.error("Telegram refuses the bot (%s): reminder pass stopped, every due "
                         "message stays pending until TELEGRAM_BOT_TOKEN works again",
                         result.error)
            break
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

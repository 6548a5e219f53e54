"""The events' pass: the day-before reminder and the follow-up questions, each sent once.

The database is the truth, as for the plan's reminders (core/action_plan/reminders.py): a
pass first creates one `event_notice` row per occasion that has become due - unique by key,
so a second pass, a second process or a restart creates nothing twice - and then, per row:
marks it 'sending' and COMMITS, sends, and marks it 'sent' (or unreachable, or pending
for a retry). A process killed between the commit and Telegram's answer leaves the row in
'sending'; `recover_at_start` puts it back to 'pending', so that one message may go out
twice, never zero times. A normal restart sends nothing again.

Occasions:
- `remind:<event>:<person>`: from REMINDER_TIME on the day before the event (in TIMEZONE)
  until it starts, for everyone registered then (someone registering later gets it at the
  next pass, still before the start);
- `followup:<source>:<id>:<months>:<person>`: 3 and 6 months after an accepted introduction
  or meeting, for both sides, unless they said "don't ask me again" (or already reported a
  project at 3 months).
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.actor import Actor, Role
from core.delivery import Sender, SendResult
from core.events.common import now as current_time
from core.events.followup import followup_question
from core.events.views import card
from core.feature import Job
from core.i18n import t
from core.reply import Reply
from core.services import Services
from storage.engine import session_scope
from storage.events.events import (
    aware,
    get_event,
    is_registered,
    members_by_telegram_id,
    participant_ids,
    upcoming_events,
)
from storage.events.followup import (
    HORIZON_DAYS,
    add_followups,
    get_followup,
    months_ago,
    occasions_since,
    opted_out,
    projects_reported,
)
from storage.events.notices import (
    claim,
    due_notices,
    existing_keys,
    finish,
    insert_notices,
    recover_sending,
    release,
    skip,
)
from storage.events.tables import EventNotice, NoticeState
from storage.leases import new_token

logger = logging.getLogger(__name__)

PASS_JOB = "events:pass"
PASS_INTERVAL_SECONDS = 60
FOLLOW_UP_MONTHS = (3, 6)
MAX_ATTEMPTS = 8


@dataclass
class PassReport:
    created: int = 0
    sent: int = 0
    skipped: int = 0
    retrying: int = 0
    unreachable: int = 0


def reminder_due(services: Services, starts_at: datetime) -> datetime:
    """REMINDER_TIME on the day before the event, in the cluster's time zone."""
    tz = services.settings.tz
    day = aware(starts_at).astimezone(tz).date() - timedelta(days=1)
    return datetime.combine(day, services.settings.reminder_time, tzinfo=tz)


def _reminder_rows(services: Services, at: datetime) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    with session_scope(services.engine) as session:
        for event in upcoming_events(session=session, now=at, limit=200):
            if aware(event.starts_at) <= at or reminder_due(services, event.starts_at) > at:
                continue
            for person in participant_ids(session=session, event_id=event.id or 0):
                rows.append({"key": f"remind:{event.id}:{person}", "kind": "remind",
                             "chat_id": person, "payload": {"event_id": event.id},
                             "due_at": at})
    return rows


def _followup_rows(services: Services, at: datetime) -> list[dict[str, object]]:
    with session_scope(services.engine) as session:
        since = at - timedelta(days=HORIZON_DAYS)
        occasions = occasions_since(session=session, since=since,
                                    until=months_ago(at, FOLLOW_UP_MONTHS[0]))
        stop = opted_out(session=session)
        reported = projects_reported(session=session, since=since)
        wanted: dict[str, tuple[int, str, int, int]] = {}
        for occasion in occasions:
            for months in FOLLOW_UP_MONTHS:
                if aware(occasion.at) > months_ago(at, months):
                    continue
                for person in occasion.people:
                    if person in stop or person <= 0 or (
                            months > FOLLOW_UP_MONTHS[0]
                            and (person, occasion.source, occasion.source_id) in reported):
                        continue
                    key = f"followup:{occasion.source}:{occasion.source_id}:{months}:{person}"
                    wanted[key] = (person, occasion.source, occasion.source_id, months)
        known = existing_keys(session=session, keys=list(wanted))
        new = {k: v for k, v in wanted.items() if k not in known}
        ids = add_followups(session=session, rows=list(new.values()), now=at)
        rows: list[dict[str, object]] = [
            {"key": key, "kind": "followup", "chat_id": occasion[0],
             "payload": {"followup_id": ids[occasion]}, "due_at": at}
            for key, occasion in new.items()]
        insert_notices(session=session, rows=rows, now=at)
    return rows


def decide(services: Services, at: datetime) -> int:
    """Create the notice rows that have become due; returns how many were new or re-seen."""
    reminders = _reminder_rows(services, at)
    with session_scope(services.engine) as session:
        known = existing_keys(session=session, keys=[str(r["key"]) for r in reminders])
        fresh = [r for r in reminders if r["key"] not in known]
        insert_notices(session=session, rows=fresh, now=at)
    return len(fresh) + len(_followup_rows(services, at))


def render(services: Services, notice: EventNotice) -> Reply | None:
    """The message of one notice, or None when there is nothing to say any more."""
    with session_scope(services.engine) as session:
        member = members_by_telegram_id(session=session, ids={notice.chat_id}).get(
            notice.chat_id)
        lang = member.language if member else services.settings.default_language
        role = Role(member.role) if member else Role.VISITOR
        payload = notice.payload or {}
        if notice.kind == "remind":
            event = get_event(session=session, event_id=int(payload.get("event_id", 0)))
            if event is None or event.cancelled_at is not None or not is_registered(
                    session=session, event_id=event.id or 0, telegram_id=notice.chat_id):
                return None
        elif notice.kind == "followup":
            answer = get_followup(session=session,
                                  followup_id=int(payload.get("followup_id", 0)))
            if answer is None or notice.chat_id in opted_out(session=session):
                return None
    actor = Actor(notice.chat_id, notice.chat_id, member.name if member else "",
                  member.username if member else None, lang, role)
    if notice.kind == "remind":
        return card(services, actor, int(payload["event_id"]),
                    note=t(lang, "events_reminder_title"))
    if notice.kind == "followup":
        return followup_question(services, actor, int(payload["followup_id"]))
    if notice.kind == "gone":
        return Reply(t(lang, "events_partner_gone",
                       title=html.escape(str(payload.get("title", "")))))
    return None


def _record(services: Services, notice_id: int, token: str, result: SendResult,
            report: PassReport) -> None:
    at = current_time()
    with session_scope(services.engine) as session:
        if result.ok:
            finish(session=session, notice_id=notice_id, state=NoticeState.SENT, now=at,
                   token=token)
            report.sent += 1
        elif result.unreachable:
            finish(session=session, notice_id=notice_id, state=NoticeState.UNREACHABLE,
                   now=at, token=token, error=result.error)
            report.unreachable += 1
        else:
            wait = timedelta(seconds=result.retry_after or 120)
            written = finish(session=session, notice_id=notice_id, state=NoticeState.PENDING,
                             now=at, token=token, error=result.error, not_before=at + wait,
                             give_up_after=MAX_ATTEMPTS)
            if written == NoticeState.FAILED.value:
                logger.error("Giving up on event notice %s: %s", notice_id, result.error)
            report.retrying += 1


async def run_pass(services: Services, sender: Sender, at: datetime | None = None
                   ) -> PassReport:
    """One pass as of `at` (default: now): create what is due, then send it once."""
    at = at or current_time()
    report = PassReport(created=decide(services, at))
    with session_scope(services.engine) as session:
        due = due_notices(session=session, now=at)
    for notice in due:
        reply = render(services, notice)
        with session_scope(services.engine) as session:
            if reply is None:
                skip(session=session, notice_id=notice.id or 0, now=current_time())
                report.skipped += 1
                continue
            token = new_token()
            if not claim(session=session, notice_id=notice.id or 0, now=current_time(),
                         token=token):
                continue  # another sender holds it
        try:
            result = await sender.send(notice.chat_id, reply)
        except Exception as exc:  # keep the row; the next pass retries
            logger.exception("Sending event notice %s failed", notice.id)
            result = SendResult(ok=False, error=f"{type(exc).__name__}: {exc}")
        if getattr(result, "halt", False):  # e.g. a revoked token: keep everything, stop
            with session_scope(services.engine) as session:
                release(session=session, notice_id=notice.id or 0, now=current_time(),
                        token=token)
            logger.error("Events pass stopped: %s", result.error)
            break
        _record(services, notice.id or 0, token, result, report)
    return report


async def pass_job(services: Services, sender: Sender) -> None:
    report = await run_pass(services, sender)
    if report.sent or report.retrying or report.unreachable:
        logger.info("Events pass: %s", report)


def recover_at_start(services: Services) -> None:
    """Rows no live process is sending (a killed one's, an expired lease) go out again, at
    most once more."""
    with session_scope(services.engine) as session:
        count = recover_sending(session=session, now=current_time())
    if count:
        logger.warning("%d event notice(s) were being sent when the bot stopped", count)


EVENTS_JOB = Job(PASS_JOB, pass_job, interval_seconds=PASS_INTERVAL_SECONDS,
                 first_after_seconds=2, on_start=recover_at_start)

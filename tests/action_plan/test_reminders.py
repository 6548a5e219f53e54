"""Reminder scheduling with an injected clock: 14/3/0 days before, weekly while overdue,
silence for done items, re-planning after a deadline change, one message per owner,
delivery states (403, 429, errors, a crash while sending); the digest: test_digest."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from core.action_plan import items as plan_items
from core.action_plan.reminders import decide, recover_in_flight
from core.action_plan.schedule import Clock, first_due_after
from core.delivery import SendResult
from core.i18n import t
from core.services import Services
from storage.accounts.queries import get_member
from storage.action_plan.reminders import claim
from storage.action_plan.tables import NOTICE_KINDS, ItemStatus, Reminder, ReminderState
from storage.clock import utcnow
from storage.engine import session_scope
from storage.leases import new_token
from tests.action_plan.support import (
    BERLIN,
    MANAGER,
    RecordingSender,
    add_item,
    berlin,
    buttons_of,
    dead_token,
    manager,
    person,
    run,
)
from tests.conftest import make_settings, start_services

DEADLINE = date(2027, 3, 31)  # a Wednesday
OWNER = 7


def _item_row(session: Session) -> Reminder:
    """The one reminder row of an occasion (not the notice that went out on saving)."""
    return session.exec(select(Reminder).where(col(Reminder.item_id).is_not(None),
                                               col(Reminder.kind).not_in(NOTICE_KINDS))).one()


def _reminders(sender: RecordingSender) -> list[str]:
    return [reply.text for reply in sender.to(OWNER)]


def test_owner_is_reminded_14_3_and_0_days_before_at_reminder_time(services: Services) -> None:
    owner = person(services, OWNER)
    add_item(services, manager(services), deadline=DEADLINE, responsible="@user7",
             now=berlin(2027, 3, 1, 10))
    sender = RecordingSender()
    expected = {  # moment -> reminders the owner has received by then
        berlin(2027, 3, 17, 8, 59): 0,
        berlin(2027, 3, 17, 9, 0): 1,
        berlin(2027, 3, 17, 18, 0): 1,
        berlin(2027, 3, 28, 8, 0): 1,
        berlin(2027, 3, 28, 9, 1): 2,
        berlin(2027, 3, 30, 9, 0): 2,
        berlin(2027, 3, 31, 9, 0): 3,
    }
    for moment, count in expected.items():
        run(services, sender, moment)
        assert len(_reminders(sender)) == count, moment
    first, second, third = _reminders(sender)
    assert "31.03.2027" in first and "in 14 Tagen" in first
    assert "in 3 Tagen" in second
    assert t("de", "plan_due_today") in third
    assert owner.language == "de"


def test_overdue_item_is_reminded_once_a_week_until_done(services: Services) -> None:
    person(services, OWNER)
    item = add_item(services, manager(services), deadline=DEADLINE, responsible="@user7",
                    now=berlin(2027, 3, 30, 10))
    sender = RecordingSender()
    for day in (31, ):
        run(services, sender, berlin(2027, 3, day, 9))
    assert len(_reminders(sender)) == 1  # before:0 (14 and 3 were before it was created)
    for day in range(1, 22):  # three weeks of daily passes in April
        run(services, sender, berlin(2027, 4, day, 12))
    overdue = _reminders(sender)[1:]
    assert len(overdue) == 3, overdue
    assert "seit 7 Tagen überfällig" in overdue[0]
    assert "seit 21 Tagen überfällig" in overdue[2]
    assert item.id is not None
    plan_items.change_status(services, person(services, OWNER), item.id, ItemStatus.DONE,
                             now=berlin(2027, 4, 22))
    for day in range(22, 31):
        run(services, sender, berlin(2027, 4, day, 12))
    assert len(_reminders(sender)) == 4, "a done item gets no more reminders"


def test_done_and_cancelled_items_get_no_reminders(services: Services) -> None:
    person(services, OWNER)
    boss = manager(services)
    done = add_item(services, boss, deadline=DEADLINE, responsible="@user7",
                    now=berlin(2027, 3, 1))
    cancelled = add_item(services, boss, deadline=DEADLINE, responsible="@user7",
                         now=berlin(2027, 3, 1))
    assert done.id is not None and cancelled.id is not None
    plan_items.change_status(services, boss, done.id, ItemStatus.DONE)
    plan_items.change_status(services, boss, cancelled.id, ItemStatus.CANCELLED)
    sender = RecordingSender()
    for moment in (berlin(2027, 3, 17), berlin(2027, 3, 31), berlin(2027, 4, 14)):
        run(services, sender, moment)
    assert _reminders(sender) == []


def test_reminder_closed_between_planning_and_sending_is_not_sent(services: Services) -> None:
    owner = person(services, OWNER)
    item = add_item(services, manager(services), deadline=DEADLINE, responsible="@user7",
                    now=berlin(2027, 3, 1))
    assert item.id is not None
    decide(services, berlin(2027, 3, 17, 9, 30))  # the row exists now ...
    plan_items.change_status(services, owner, item.id, ItemStatus.DONE)  # ... then done
    sender = RecordingSender()
    run(services, sender, berlin(2027, 3, 17, 9, 31))
    assert _reminders(sender) == []


def test_reminders_missed_while_the_bot_was_down_go_out_once(services: Services) -> None:
    person(services, OWNER)
    add_item(services, manager(services), deadline=DEADLINE, responsible="@user7",
             now=berlin(2027, 3, 1))
    sender = RecordingSender()
    run(services, sender, berlin(2027, 4, 1, 10))  # down from 1 March to 1 April
    run(services, sender, berlin(2027, 4, 1, 10, 1))
    run(services, sender, berlin(2027, 4, 2, 10))
    texts = _reminders(sender)
    assert len(texts) == 1, "14, 3 and 0 days were all missed: one reminder, not three"
    assert "seit 1 Tag überfällig" in texts[0]


def test_changed_deadline_replans_unsent_reminders_but_keeps_sent_ones(
        services: Services) -> None:
    owner = person(services, OWNER)
    item = add_item(services, manager(services), deadline=DEADLINE, responsible="@user7",
                    now=berlin(2027, 3, 1))
    assert item.id is not None
    sender = RecordingSender()
    run(services, sender, berlin(2027, 3, 17))  # before:14 of 31 March: sent
    plan_items.postpone(services, owner, item.id, date(2027, 4, 30), now=berlin(2027, 3, 18))
    for moment in (berlin(2027, 3, 28), berlin(2027, 3, 31), berlin(2027, 4, 7)):
        run(services, sender, moment)
    assert len(_reminders(sender)) == 1, "no reminders for the old deadline"
    run(services, sender, berlin(2027, 4, 16))
    texts = _reminders(sender)
    assert len(texts) == 2 and "30.04.2027" in texts[1] and "in 14 Tagen" in texts[1]
    with session_scope(services.engine) as session:
        states = {r.kind: r.state for r in session.exec(select(Reminder)).all()
                  if r.item_id and r.kind not in NOTICE_KINDS}
    assert states == {"before:14@2027-03-31": "sent", "before:14@2027-04-30": "sent"}


def test_owner_with_many_due_items_gets_one_message_listing_all(services: Services) -> None:
    person(services, OWNER)
    boss = manager(services)
    for number in range(3):
        add_item(services, boss, deadline=DEADLINE, responsible="@user7",
                 topic=f"Thema {number}", now=berlin(2027, 3, 1))
    add_item(services, boss, deadline=date(2027, 3, 20), responsible="@user7",
             topic="Thema X", now=berlin(2027, 3, 1))
    sender = RecordingSender()
    report = run(services, sender, berlin(2027, 3, 17, 9, 5))
    assert len(_reminders(sender)) == 1 and report.messages >= 1
    reply = sender.to(OWNER)[0]
    assert all(f"Thema {n}" in reply.text for n in (0, 1, 2, "X"))
    assert reply.text.index("Thema X") < reply.text.index("Thema 0"), "soonest first"
    pressed = buttons_of(reply)
    assert len([name for name, _ in pressed if name == "done"]) == 4
    assert all(arguments[-1] == "reminder" for name, arguments in pressed
               if name in ("done", "progress"))


def test_reminder_waits_for_a_username_until_that_person_starts_the_bot(
        services: Services) -> None:
    add_item(services, manager(services), deadline=DEADLINE, responsible="@Newbie_Nora",
             now=berlin(2027, 3, 1))
    sender = RecordingSender()
    report = run(services, sender, berlin(2027, 3, 17))
    assert sender.sent == [] or all(chat == MANAGER for chat, _ in sender.sent)
    assert report.waiting == 1
    person(services, 555, username="newbie_nora")  # starts the bot (case differs)
    run(services, sender, berlin(2027, 3, 17, 9, 1))
    texts = [reply.text for reply in sender.to(555)]
    assert len(texts) == 1 and "in 14 Tagen" in texts[0]
    run(services, sender, berlin(2027, 3, 17, 9, 2))
    assert len(sender.to(555)) == 1


def test_blocked_owner_is_marked_unreachable_and_shown_in_the_digest(
        services: Services) -> None:
    person(services, OWNER)
    add_item(services, manager(services), deadline=DEADLINE, responsible="@user7",
             now=berlin(2027, 3, 1))
    sender = RecordingSender()
    sender.script[OWNER] = [SendResult(ok=False, unreachable=True,
                                       error="403: Forbidden: bot was blocked by the user")]
    report = run(services, sender, berlin(2027, 3, 17))
    assert report.unreachable == 1
    with session_scope(services.engine) as session:
        member = get_member(session=session, telegram_id=OWNER)
        assert member is not None and member.unreachable_since is not None
        row = _item_row(session)
        assert row.state == ReminderState.UNREACHABLE.value and "blocked" in str(row.last_error)
    run(services, sender, berlin(2027, 3, 17, 9, 30))
    assert len(sender.to(OWNER)) == 1, "an unreachable reminder is not retried every minute"
    run(services, sender, berlin(2027, 3, 22, 9, 0))  # Monday: the digest
    digests = sender.to(MANAGER)
    assert digests, "the manager gets the weekly digest"
    assert "@user7" in digests[-1].text and "blockiert" in digests[-1].text


def test_other_errors_keep_the_reminder_and_retry_later(services: Services) -> None:
    person(services, OWNER)
    add_item(services, manager(services), deadline=DEADLINE, responsible="@user7",
             now=berlin(2027, 3, 1))
    sender = RecordingSender()
    sender.script[OWNER] = [SendResult(ok=False, error="TimedOut: timed out")]
    report = run(services, sender, berlin(2027, 3, 17, 9, 0))
    assert report.retrying == 1
    with session_scope(services.engine) as session:
        row = _item_row(session)
        assert (row.state, row.attempts, row.last_error) == ("pending", 1, "TimedOut: timed out")
    run(services, sender, berlin(2027, 3, 17, 9, 1))
    assert len(sender.to(OWNER)) == 1, "waits before retrying"
    run(services, sender, berlin(2027, 3, 17, 9, 5))
    assert len(sender.to(OWNER)) == 2
    with session_scope(services.engine) as session:
        row = _item_row(session)
        assert row.state == "sent" and row.attempts == 2


def test_rows_a_live_process_is_sending_are_never_taken_over(services: Services) -> None:
    person(services, OWNER)
    add_item(services, manager(services), deadline=DEADLINE, responsible="@user7",
             now=berlin(2027, 3, 1))
    decision = decide(services, berlin(2027, 3, 17))
    batch = next(b for b in decision.batches if b.chat_id == OWNER)
    with session_scope(services.engine) as session:  # claimed by this (live) process
        assert claim(session=session, ids=batch.reminder_ids, chat_id=OWNER,
                     now=utcnow(), token=new_token())
    sender = RecordingSender()
    run(services, sender, berlin(2027, 3, 17, 9, 1))
    assert sender.to(OWNER) == [], "a running process never takes over rows in flight"
    assert recover_in_flight(services) == 0


def test_rows_left_sending_by_a_crash_are_sent_again_once(services: Services) -> None:
    person(services, OWNER)
    add_item(services, manager(services), deadline=DEADLINE, responsible="@user7",
             now=berlin(2027, 3, 1))
    decision = decide(services, berlin(2027, 3, 17))
    batch = next(b for b in decision.batches if b.chat_id == OWNER)
    with session_scope(services.engine) as session:  # claimed, then the process was killed
        assert claim(session=session, ids=batch.reminder_ids, chat_id=OWNER,
                     now=utcnow(), token=dead_token())
    assert recover_in_flight(services) == 1
    sender = RecordingSender()
    run(services, sender, berlin(2027, 3, 17, 9, 2))
    run(services, sender, berlin(2027, 3, 17, 9, 3))
    assert len(sender.to(OWNER)) == 1


def test_two_passes_at_the_same_moment_send_nothing_the_second_time(
        services: Services) -> None:
    person(services, OWNER)
    add_item(services, manager(services), deadline=DEADLINE, responsible="@user7",
             now=berlin(2027, 3, 1))
    sender = RecordingSender()
    first = run(services, sender, berlin(2027, 3, 22, 9))
    second = run(services, sender, berlin(2027, 3, 22, 9))
    assert first.messages == 2  # the owner's reminder and the manager's digest
    assert second.messages == 0 and len(sender.sent) == 2


def test_item_created_after_its_reminder_time_is_not_reminded_for_the_past(
        services: Services) -> None:
    person(services, OWNER)
    add_item(services, manager(services), deadline=date(2027, 3, 20), responsible="@user7",
             now=berlin(2027, 3, 17, 10))  # before:3 was due at 09:00 today
    sender = RecordingSender()
    run(services, sender, berlin(2027, 3, 17, 10, 1))
    assert _reminders(sender) == []
    run(services, sender, berlin(2027, 3, 20, 9))
    assert len(_reminders(sender)) == 1


def test_changed_reminder_time_applies_after_the_next_start(services: Services,
                                                             tmp_path: Path) -> None:
    person(services, OWNER)
    add_item(services, manager(services), deadline=DEADLINE, responsible="@user7",
             now=berlin(2027, 3, 1))  # planned for 09:00
    recover_in_flight(services)
    run(services, RecordingSender(), berlin(2027, 3, 10))  # next reminder: 17 March, 09:00
    earlier = start_services(make_settings(str(services.engine.url), manager_ids=str(MANAGER),
                                           reminder_time="07:00"))
    try:
        sender = RecordingSender()
        run(earlier, sender, berlin(2027, 3, 17, 7, 0))
        assert sender.to(OWNER) == [], "the running process still plans with 09:00"
        recover_in_flight(earlier)  # a restart with REMINDER_TIME=07:00
        run(earlier, sender, berlin(2027, 3, 17, 7, 1))
        assert len(sender.to(OWNER)) == 1
        run(earlier, sender, berlin(2027, 3, 17, 9, 0))
        assert len(sender.to(OWNER)) == 1, "not again at the old time"
    finally:
        earlier.close()


def test_next_reminder_is_the_first_occasion_after_a_moment_across_dst() -> None:
    clock = Clock.of(berlin(2027, 3, 1), BERLIN, time(9, 0), (14, 3, 0))
    deadline = date(2027, 3, 31)  # summer time starts on 28 March
    first = first_due_after(deadline, berlin(2027, 3, 1), clock, strict=False)
    assert first == berlin(2027, 3, 17, 9, 0)
    assert first_due_after(deadline, first, clock, strict=True) == berlin(2027, 3, 28, 9, 0)
    after_deadline = first_due_after(deadline, berlin(2027, 3, 31, 9, 0), clock, strict=True)
    assert after_deadline == berlin(2027, 4, 7, 9, 0), "then weekly while overdue"
    assert berlin(2027, 3, 28, 9, 0).utcoffset() == timedelta(hours=2)

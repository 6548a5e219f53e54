"""Who hears about a change: the person named responsible gets the item's card at once (or at
the first pass once they can be reached), never twice and never about their own doing; the
creator - or the managers - hear when someone else marks an item done or postpones it; the
notice on saving counts as a reminder whose moment had already passed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import col, select

from core.action_plan import items as plan_items
from core.action_plan.csv_import import import_csv
from core.action_plan.items import Draft
from core.action_plan.notices import deliver_now
from core.actor import Role
from core.delivery import SendResult
from core.i18n import t
from core.locale import format_date
from core.members.privacy import forget
from core.reply import Outgoing
from core.router import handle_text, run_command
from core.services import Services
from storage.action_plan.tables import NOTICE_KINDS, Reminder
from storage.clock import utcnow
from storage.engine import session_scope
from tests.action_plan.support import (
    MANAGER,
    RecordingSender,
    add_item,
    add_line,
    berlin,
    buttons_of,
    items_of,
    manager,
    person,
    press,
    run,
)

OWNER = 7


def _to(messages: tuple[Outgoing, ...] | list[Outgoing], chat_id: int) -> list[str]:
    return [message.reply.text for message in messages if message.chat_id == chat_id]


def _notice_states(services: Services) -> list[tuple[str, str]]:
    with session_scope(services.engine) as session:
        return [(r.kind, r.state) for r in session.exec(
            select(Reminder).where(col(Reminder.kind).in_(NOTICE_KINDS))
            .order_by(col(Reminder.id))).all()]


def _soon() -> datetime:
    """A moment just after now, for a pass right after an interactive change."""
    return utcnow() + timedelta(minutes=1)


# ---------------------------------------------------------------------- named responsible
def test_person_named_in_plan_add_gets_the_card_at_once_and_never_again(
        services: Services) -> None:
    person(services, OWNER, language="en")
    reply = add_line(services, "Thema | Ladesäulen testen | 31.12.2070 | @user7 | | 3 Zirkel")
    (notice,) = reply.extra
    assert notice.chat_id == OWNER
    text = notice.reply.text
    assert text.startswith(t("en", "plan_notice_assigned")), "in the recipient's language"
    for expected in ("#1 Thema", "Action: Ladesäulen testen", "2070-12-31", "3 Zirkel"):
        assert expected in text, expected
    assert buttons_of(notice.reply) == [("done", (1, "reminder")),
                                        ("progress", (1, "reminder")), ("postpone", (1,))]
    assert _notice_states(services) == [("assigned", "sent")]
    sender = RecordingSender()
    run(services, sender, _soon())
    assert sender.to(OWNER) == [], "the pass does not repeat what went out with the reply"


def test_person_named_in_the_dialog_gets_the_card(services: Services) -> None:
    person(services, OWNER)
    boss = manager(services)
    run_command(services, boss, "plan_add", "Thema")
    for answer in ("Aktion", "31.12.2070", "@user7", "-"):
        handle_text(services, boss, answer)
    reply = press(services, boss, "no_kpi")
    assert reply.text.startswith(t("de", "plan_saved", id=1))
    assert [m.chat_id for m in reply.extra] == [OWNER]
    assert reply.extra[0].reply.text.startswith(t("de", "plan_notice_assigned"))


def test_a_manager_who_names_themselves_gets_no_notice(services: Services) -> None:
    boss = manager(services)
    assert add_line(services, "Thema | Aktion | 31.12.2070", boss).extra == ()
    assert add_line(services, "Thema | Aktion 2 | 31.12.2070 | @the_manager", boss).extra == ()
    assert add_line(services, "Thema | Aktion 3 | 31.12.2070 | ich", boss).extra == ()
    sender = RecordingSender()
    run(services, sender, _soon())
    assert [r.text for r in sender.to(MANAGER)
            if not r.text.startswith("📋")] == [], "nor later, from the pass"
    assert _notice_states(services) == []


def test_new_responsible_after_an_edit_is_told_and_the_old_one_is_not(
        services: Services) -> None:
    person(services, OWNER)
    person(services, 8)
    boss = manager(services)
    add_line(services, "Thema | Aktion | 31.12.2070 | @user7", boss)
    press(services, boss, "edit_field", 1, "responsible")
    reply = handle_text(services, boss, "@user8")
    assert reply.text.startswith(t("de", "plan_field_saved", field=t("de",
                                                                     "plan_field_responsible")))
    assert [m.chat_id for m in reply.extra] == [8]
    assert reply.extra[0].reply.text.startswith(t("de", "plan_notice_assigned"))
    press(services, boss, "edit_field", 1, "responsible")
    assert handle_text(services, boss, "@user8").extra == (), "the same person: nothing new"
    sender = RecordingSender()
    run(services, sender, _soon())
    assert sender.to(OWNER) == [] and sender.to(8) == []


def test_unknown_username_hears_at_the_first_pass_after_starting_the_bot(
        services: Services) -> None:
    reply = add_line(services, "Thema | Aktion | 31.12.2070 | @Newbie_Nora")
    assert reply.extra == ()
    assert t("de", "plan_note_not_started", username="Newbie_Nora") in reply.text
    sender = RecordingSender()
    report = run(services, sender, _soon())
    assert report.waiting == 1 and sender.to(555) == []
    person(services, 555, username="newbie_nora", role=Role.VISITOR)  # starts the bot
    run(services, sender, _soon() + timedelta(minutes=1))
    (notice,) = sender.to(555)
    assert notice.text.startswith(t("de", "plan_notice_assigned")) and "#1 Thema" in notice.text
    run(services, sender, _soon() + timedelta(minutes=2))
    assert len(sender.to(555)) == 1, "once"
    pressed = press(services, person(services, 555, username="newbie_nora",
                                     role=Role.VISITOR), "done", 1, "reminder")
    assert pressed.text.startswith(t("de", "plan_now_done", id=1)), "the buttons work for them"


def test_a_waiting_notice_is_not_sent_to_someone_who_already_acts_on_the_item(
        services: Services) -> None:
    add_line(services, "Thema | Aktion | 31.12.2070 | @newbie_nora")
    nora = person(services, 555, username="newbie_nora")  # starts, and postpones at once
    reply = run_command(services, nora, "postpone", "1 31.01.2071")
    assert reply.text.startswith(t("de", "plan_postponed", id=1, old="31.12.2070",
                                   new="31.01.2071"))
    assert _to(reply.extra, 555) == [], "the card in the reply is her notice"
    sender = RecordingSender()
    run(services, sender, _soon())
    assert sender.to(555) == [] and _notice_states(services) == [("assigned", "sent")]


def test_csv_import_tells_each_person_once_in_one_message(services: Services) -> None:
    person(services, OWNER, username="anna_berg", language="en")
    data = (b"topic,action,deadline,responsible\n"
            b"Eins,Aktion,2070-12-31,@anna_berg\n"
            b"Zwei,Aktion,2071-01-31,'@anna_berg\n"
            b"Drei,Aktion,2071-02-28,CARS\n")
    report = import_csv(services, data, strict=True, lang="en")
    assert len(report.imported) == 3 and report.errors == []
    sender = RecordingSender()
    run(services, sender, _soon())
    (notice,) = sender.to(OWNER)
    assert notice.text.startswith(t("en", "plan_notice_assigned_many", count=2))
    assert "Eins" in notice.text and "Zwei" in notice.text and "Drei" not in notice.text
    assert [name for name, _ in buttons_of(notice)].count("done") == 2
    run(services, sender, _soon() + timedelta(minutes=1))
    assert len(sender.to(OWNER)) == 1


def test_forgotten_persons_items_are_announced_to_the_manager_who_takes_them(
        services: Services) -> None:
    owner = person(services, OWNER)
    boss = manager(services, language="en")
    add_line(services, "Thema | Aktion | 31.12.2070 | @user7", boss)
    add_line(services, "Erledigt | Aktion | 31.12.2070 | @user7", boss)
    run_command(services, owner, "done", "2")
    forget(services, OWNER)
    sender = RecordingSender()
    run(services, sender, _soon())
    notices = [r for r in sender.to(MANAGER) if not r.text.startswith("📋")]
    assert len(notices) == 1
    assert notices[0].text.startswith(t("en", "plan_notice_handed"))
    assert "#1 Thema" in notices[0].text and "Erledigt" not in notices[0].text


def test_a_notice_left_sending_by_a_crash_goes_out_again_once(services: Services) -> None:
    person(services, OWNER)
    plan_items.create(services, manager(services), Draft(  # saved, not yet told (no reply)
        topic="Thema", action="Aktion", deadline=date(2070, 12, 31), responsible="@user7"))
    sender = RecordingSender()
    sender.script[OWNER] = [SendResult(ok=False, error="TimedOut: timed out")]
    run(services, sender, _soon())
    run(services, sender, _soon() + timedelta(minutes=10))
    run(services, sender, _soon() + timedelta(minutes=11))
    texts = sender.to(OWNER)
    assert len(texts) == 2 and texts[1].text.startswith(t("de", "plan_notice_assigned"))
    assert _notice_states(services) == [("assigned", "sent")]


# ---------------------------------------------------------------------- the creator hears
def test_creator_hears_when_the_responsible_marks_done_or_postpones(services: Services) -> None:
    owner = person(services, OWNER)
    boss = manager(services, language="en")
    add_line(services, "Thema | Aktion | 31.12.2070 | @user7", boss)
    postponed = run_command(services, owner, "postpone", "1 31.01.2071")
    assert _to(postponed.extra, OWNER) == [], "not told about their own change"
    (told,) = _to(postponed.extra, MANAGER)
    assert told == t("en", "plan_creator_postponed", who="@user7", id=1, topic="Thema",
                     old="2070-12-31", new="2071-01-31"), "dates in the creator's language"
    done = press(services, owner, "done", 1, "reminder")
    assert _to(done.extra, MANAGER) == [t("en", "plan_creator_done", who="@user7", id=1,
                                          topic="Thema")]
    assert buttons_of(done.extra[0].reply) == [("card", (1,))]


def test_creator_hears_nothing_about_their_own_changes(services: Services) -> None:
    boss = manager(services)
    add_line(services, "Thema | Aktion | 31.12.2070", boss)
    assert run_command(services, boss, "postpone", "1 31.01.2071").extra == ()
    assert run_command(services, boss, "done", "1").extra == ()


def test_managers_hear_when_the_creator_is_gone(services: Services) -> None:
    owner = person(services, OWNER)
    other = person(services, 8, role=Role.MANAGER)
    import_csv(services, b"topic,action,deadline,responsible\nThema,Aktion,2070-12-31,@user7\n",
               strict=True, lang="de")
    done = run_command(services, owner, "done", "1")
    assert sorted(m.chat_id for m in done.extra) == [8, MANAGER]
    assert all(m.reply.text == t("de", "plan_creator_done", who="@user7", id=1,
                                 topic="Thema") for m in done.extra)
    assert other.role is Role.MANAGER


def test_someone_else_moving_the_deadline_tells_responsible_and_creator(
        services: Services) -> None:
    person(services, OWNER)
    boss = manager(services)
    deputy = person(services, 8, role=Role.MANAGER)
    add_line(services, "Thema | Aktion | 31.12.2070 | @user7", boss)
    moved = run_command(services, deputy, "postpone", "1 31.01.2071")
    (notice,) = _to(moved.extra, OWNER)
    assert notice.startswith(t("de", "plan_notice_moved")) and "31.01.2071" in notice
    assert _to(moved.extra, MANAGER) == [t("de", "plan_creator_postponed", who="@user8", id=1,
                                           topic="Thema", old="31.12.2070", new="31.01.2071")]


# ---------------------------------------------------------------- the first reminder at once
DEADLINE = date(2027, 3, 19)  # a Friday, two days after the item is saved


def test_item_due_in_two_days_is_announced_at_once_then_reminded_on_the_day(
        services: Services) -> None:
    person(services, OWNER)
    sent: list[Outgoing] = []
    add_item(services, manager(services), deadline=DEADLINE, responsible="@user7",
             now=berlin(2027, 3, 17, 10), notices=sent)
    (notice,) = _to(sent, OWNER)
    assert "19.03.2027" in notice and "in 2 Tagen" in notice, "the notice is the 3-day one"
    sender = RecordingSender()
    for moment in (berlin(2027, 3, 17, 10, 1), berlin(2027, 3, 18, 9), berlin(2027, 3, 18, 18)):
        run(services, sender, moment)
    assert sender.to(OWNER) == [], "no separate reminder for the 3-day moment"
    run(services, sender, berlin(2027, 3, 19, 9))
    (day_zero,) = sender.to(OWNER)
    assert t("de", "plan_due_today") in day_zero.text


def test_imported_item_due_in_two_days_gets_one_notice_then_the_day_zero_reminder(
        services: Services) -> None:
    person(services, OWNER)
    import_csv(services, b"topic,action,deadline,responsible\nThema,Aktion,19.03.2027,@user7\n",
               strict=True, lang="de", now=berlin(2027, 3, 17, 10))
    sender = RecordingSender()
    for moment in (berlin(2027, 3, 17, 10, 1), berlin(2027, 3, 18, 9), berlin(2027, 3, 19, 9)):
        run(services, sender, moment)
    first, second = (r.text for r in sender.to(OWNER))
    assert first.startswith(t("de", "plan_notice_assigned")) and "in 2 Tagen" in first
    assert second.startswith(t("de", "plan_reminder_title_one"))
    assert t("de", "plan_due_today") in second


def test_later_offsets_stay_planned_after_the_notice(services: Services) -> None:
    person(services, OWNER)
    add_item(services, manager(services), deadline=date(2027, 3, 27), responsible="@user7",
             now=berlin(2027, 3, 17, 10))  # the 14-day moment has passed: the notice is it
    sender = RecordingSender()
    for moment in (berlin(2027, 3, 17, 11), berlin(2027, 3, 24, 9), berlin(2027, 3, 27, 9)):
        run(services, sender, moment)
    texts = [r.text for r in sender.to(OWNER)]
    assert len(texts) == 2 and "in 3 Tagen" in texts[0] and t("de", "plan_due_today") in \
        texts[1]


def test_deadline_moved_close_by_someone_else_counts_the_notice_as_the_reminder(
        services: Services) -> None:
    person(services, OWNER)
    boss = manager(services)
    add_item(services, boss, deadline=date(2027, 12, 31), responsible="@user7",
             now=berlin(2027, 3, 1))
    (item,) = items_of(services)
    assert item.id is not None
    plan_items.postpone(services, boss, item.id, DEADLINE, now=berlin(2027, 3, 17, 10))
    (notice,) = _to(deliver_now(services, [item.id], now=berlin(2027, 3, 17, 10)), OWNER)
    assert notice.startswith(t("de", "plan_notice_moved")) and "in 2 Tagen" in notice
    sender = RecordingSender()
    for moment in (berlin(2027, 3, 17, 10, 1), berlin(2027, 3, 18, 9), berlin(2027, 3, 19, 9)):
        run(services, sender, moment)
    (day_zero,) = sender.to(OWNER)
    assert t("de", "plan_due_today") in day_zero.text


def test_person_who_starts_the_bot_late_gets_notice_and_due_reminder_in_one_message(
        services: Services) -> None:
    add_item(services, manager(services), deadline=DEADLINE, responsible="@late_larry",
             now=berlin(2027, 3, 1))
    sender = RecordingSender()
    run(services, sender, berlin(2027, 3, 16, 9))  # before:3 is due, Larry can't be reached
    person(services, 556, username="late_larry", role=Role.VISITOR)
    run(services, sender, berlin(2027, 3, 16, 10))
    (message,) = sender.to(556)
    assert message.text.startswith(t("de", "plan_notice_assigned")) and "in 3 Tagen" in \
        message.text
    run(services, sender, berlin(2027, 3, 16, 11))
    run(services, sender, berlin(2027, 3, 19, 9))
    assert len(sender.to(556)) == 2, "then only the day-0 reminder"
    assert format_date(DEADLINE, "de") in sender.to(556)[1].text

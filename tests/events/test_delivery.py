"""The day-before reminder and the follow-up, in-process: each sent once, also after a
restart (new services on the same database); the 3-month follow-up after a clock jump
(storage.clock.utcnow moved, as the whole feature reads it), answered "met, project
started", counted by /stats without any /stats add; "don't ask again"; forget-me
mid-event."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from core.events.delivery import reminder_due
from core.router import handle_text, press_button, run_command
from core.services import Services
from storage import clock
from storage.engine import session_scope
from storage.events.events import get_event
from storage.events.tables import EventNotice, EventRegistration, FollowUp
from storage.members.requests import create_contact_request, decide_request
from tests.conftest import make_settings, start_services
from tests.e2e_support import t
from tests.events.support import (
    RecordingSender,
    create,
    event_line,
    manager,
    person,
    press,
    pressable,
    run,
    tomorrow,
)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'events.sqlite3'}"


@pytest.fixture
def services(request: pytest.FixtureRequest, db: str) -> Iterator[Services]:
    """A test may add settings: `@pytest.mark.parametrize("services", [{...}], indirect=True)`."""
    built = start_services(make_settings(db, manager_ids="42", **getattr(request, "param", {})))
    yield built
    built.close()


def _event_with_four(services: Services) -> tuple[int, list]:  # type: ignore[type-arg]
    event = create(services, manager(services), event_line(tomorrow()))
    people = [person(services, 500 + i, offers=[f"Angebot {i}"], needs=["Logistik"])
              for i in range(1, 5)]
    for who in people:
        press(services, who, "register", event)
    return event, people


def _meet(services: Services, event: int, a, b, slot: int) -> int:  # type: ignore[no-untyped-def]
    press(services, a, "ask", event, b.user_id)
    sent = press(services, a, "send", event, b.user_id)
    meeting = int(pressable(sent.extra[0].reply, "accept")[0].split(":")[2])
    press(services, b, "accept", meeting)
    press(services, b, "slot", meeting, slot)
    return meeting


def _reminder_due(services: Services, event: int) -> datetime:
    with session_scope(services.engine) as session:
        found = get_event(session=session, event_id=event)
        assert found is not None
        return reminder_due(services, found.starts_at)


def _reminders(sender: RecordingSender, chat: int) -> list[str]:
    return [r.text for r in sender.to(chat) if r.text.startswith(
        t("de", "events_reminder_title"))]


def test_day_before_reminder_is_sent_once_also_after_a_restart(services: Services,
                                                               db: str) -> None:
    event, people = _event_with_four(services)
    due = _reminder_due(services, event)
    sender = RecordingSender()
    run(services, sender, due - timedelta(minutes=1))
    assert sender.sent == []  # not yet
    report = run(services, sender, due + timedelta(minutes=1))
    assert report.sent == 4
    assert all(len(_reminders(sender, p.user_id)) == 1 for p in people)
    assert "Matchmaking Energie" in _reminders(sender, people[0].user_id)[0]
    run(services, sender, due + timedelta(minutes=2))
    services.close()
    restarted = start_services(make_settings(db, manager_ids="42"))
    try:
        run(restarted, sender, due + timedelta(minutes=3))
        assert all(len(_reminders(sender, p.user_id)) == 1 for p in people)
        late = person(restarted, 599)
        press(restarted, late, "register", event)
        run(restarted, sender, due + timedelta(minutes=4))
        assert len(_reminders(sender, 599)) == 1  # registered after: still reminded once
        assert len(sender.sent) == 5
    finally:
        restarted.close()


def test_three_month_follow_up_counts_a_project_in_stats_without_stats_add(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    event, (a, b, c, d) = _event_with_four(services)
    first = _meet(services, event, a, b, 0)
    _meet(services, event, c, a, 1)
    press(services, d, "ask", event, b.user_id)
    declined = press(services, d, "send", event, b.user_id)
    press(services, b, "decline", int(pressable(declined.extra[0].reply,
                                                "accept")[0].split(":")[2]))
    sender = RecordingSender()
    real = clock.utcnow
    jumped = real() + timedelta(days=95)
    monkeypatch.setattr(clock, "utcnow", lambda: jumped)
    run(services, sender, jumped)
    questions = {chat: [r for r in sender.to(chat) if pressable(r, "fu")]
                 for chat in (a.user_id, b.user_id, c.user_id, d.user_id)}
    assert [len(questions[p]) for p in (a.user_id, b.user_id, c.user_id, d.user_id)] \
        == [2, 1, 1, 0]
    asked = next(r for r in questions[a.user_id] if "Person 502" in r.text)
    assert "Vor 3 Monaten" in asked.text and "Matchmaking Energie" in asked.text
    followup = int(pressable(asked, "fu")[0].split(":")[2])
    assert press(services, b, "fu", followup, "met", "yes").notice_only  # not b's question
    press(services, a, "fu", followup, "met", "yes")
    mention = press(services, a, "fu", followup, "project", "yes")
    assert pressable(mention, "fu")
    name = press(services, a, "fu", followup, "mention", "yes")
    assert name.text == t("de", "events_fu_q_name", limit=200)
    assert "Wärmepumpen-Pilot" in handle_text(services, a, "Wärmepumpen-Pilot").text
    run(services, sender, jumped + timedelta(minutes=5))
    assert sum(len([r for r in sender.to(p) if pressable(r, "fu")])
               for p in (a.user_id, b.user_id, c.user_id)) == 4  # never asked twice
    stats = run_command(services, manager(services), "stats", "").text
    for kind, value in (("Veranstaltungen", 1), ("Teilnehmende", 4), ("Firmengespräche (B2B)", 2),
                        ("Kooperationsprojekte", 1)):
        assert f"{kind}: <b>{value}</b>" in stats, stats
    assert "3 → 2 → 2 → 1" in stats  # requests → accepted → met → project
    with session_scope(services.engine) as session:
        answer = session.get(FollowUp, followup)
        assert answer is not None and answer.project_name == "Wärmepumpen-Pilot"
    digest = services.registry.digest_lines(services, "de", jumped)
    assert digest == [t("de", "events_digest_projects", count=1, names="Wärmepumpen-Pilot")]
    # six months: asked again, except a, who reported the project for that meeting
    later = real() + timedelta(days=190)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    press(services, c, "fu_stop", int(pressable(questions[c.user_id][0], "fu")[0]
                                      .split(":")[2]))
    sender.sent.clear()
    run(services, sender, later)
    asked_again = sorted(chat for chat, r in sender.sent if pressable(r, "fu"))
    assert asked_again == [a.user_id, b.user_id]  # a: the meeting with c; c said stop
    assert first


def test_an_accepted_introduction_is_followed_up_on_both_sides(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = person(services, 601, offers=["x"]), person(services, 602, offers=["y"])
    with session_scope(services.engine) as session:
        request = create_contact_request(session=session, requester_id=a.user_id,
                                         profile_id=1, target_telegram_id=b.user_id,
                                         status="open")
        decide_request(session=session, request=request, accepted=True)
    jumped = clock.utcnow() + timedelta(days=93)
    monkeypatch.setattr(clock, "utcnow", lambda: jumped)
    sender = RecordingSender()
    run(services, sender, jumped)
    assert sorted(chat for chat, _ in sender.sent) == [a.user_id, b.user_id]
    assert "Vor 3 Monaten haben wir Sie mit" in sender.to(a.user_id)[0].text
    stop = press(services, b, "fu_stop", int(pressable(sender.to(b.user_id)[0],
                                                      "fu")[0].split(":")[2]))
    assert stop.text == t("de", "events_fu_stopped")


# the day-before reminder of tomorrow's event already due, or not yet
@pytest.mark.parametrize("services", [{"reminder_time": "00:00"}, {"reminder_time": "23:59"}],
                         ids=["reminder-due", "reminder-later"], indirect=True)
def test_forget_me_mid_event_cancels_the_meeting_and_tells_the_other_side(
        services: Services) -> None:
    event, (a, b, c, d) = _event_with_four(services)
    _meet(services, event, a, b, 0)
    with session_scope(services.engine) as session:
        exported = services.registry.export_person(session, a.user_id)["events"]
    assert exported["registrations"][0]["event"] == "Matchmaking Energie"
    assert exported["meetings"][0]["with"] == b.user_id
    forget = run_command(services, a, "forget_me", "")  # the members' own confirmation
    confirm = next(c.data for c in forget.flat_choices if ":confirm:" in c.data)
    press_button(services, a, confirm)
    sender = RecordingSender()
    now = datetime.now(UTC)
    due = _reminder_due(services, event) <= now
    run(services, sender, now)
    # the day-before reminder goes out in the same pass when it is due: it is no notice
    reminders = _reminders(sender, b.user_id)
    assert len(reminders) == due
    told = [r.text for r in sender.to(b.user_id) if r.text not in reminders]
    assert told == [t("de", "events_partner_gone", title="Matchmaking Energie")]
    with session_scope(services.engine) as session:
        assert session.exec(select(EventRegistration).where(
            EventRegistration.telegram_id == a.user_id)).all() == []
        assert session.exec(select(EventNotice).where(
            EventNotice.chat_id == a.user_id)).all() == []
    schedule = press(services, b, "schedule", event)
    assert t("de", "events_schedule_empty") in schedule.text

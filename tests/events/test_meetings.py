"""Events in-process through the router: registration rules, partners with matched words,
meeting requests accepted and declined, slots without double-booking, a slot conflict,
forged and stale buttons."""

from __future__ import annotations

from datetime import timedelta

from core.actor import Role
from core.events.matching import fit
from core.events.schedule import plan_event
from core.router import handle_text, run_command
from core.services import Services
from storage.engine import session_scope
from storage.events.meetings import meetings_of_event
from storage.events.tables import MeetingStatus
from tests.e2e_support import t
from tests.events.support import (
    create,
    event_line,
    manager,
    person,
    press,
    pressable,
    tomorrow,
)


def _four(services: Services) -> tuple[int, list]:  # type: ignore[type-arg]
    boss = manager(services)
    event = create(services, boss, event_line(tomorrow()))
    people = [
        person(services, 101, offers=["Wärmepumpen"], needs=["Logistik"]),
        person(services, 102, offers=["heat pump controls", "logistics software"],
               needs=["Wärmepumpen"]),
        person(services, 103, offers=["Logistiksoftware"], needs=["Kreislaufwirtschaft"]),
        person(services, 104, offers=["circular economy consulting"], needs=["Speicher"]),
    ]
    for who in people:
        reply = press(services, who, "register", event)
        assert t("de", "events_registered") in reply.text
    return event, people


def test_partners_are_suggested_with_the_matched_words(services: Services) -> None:
    event, people = _four(services)
    reply = press(services, people[0], "partners", event)
    assert "Person 102" in reply.text
    assert "„Logistik“ ≈ deren Angebot „logistics software“" in reply.text
    assert "Person 104" not in reply.text  # nothing of 104 fits 101
    assert any(d.endswith(":102") for d in pressable(reply, "ask"))


def test_request_accept_slot_and_both_schedules(services: Services) -> None:
    event, (a, b, c, d) = _four(services)
    asked = press(services, a, "ask", event, b.user_id)
    assert pressable(asked, "send")
    sent = run_command(services, a, "cancel", "")  # /cancel ends the dialog: nothing sent
    with session_scope(services.engine) as session:
        assert meetings_of_event(session=session, event_id=event) == []
    press(services, a, "ask", event, b.user_id)

    done = handle_text(services, a, "Gern über Wärmepumpen <b>sprechen</b>")
    assert done.text == t("de", "events_request_sent")
    request = done.extra[0]
    assert request.chat_id == b.user_id
    assert "&lt;b&gt;sprechen&lt;/b&gt;" in request.reply.text  # user input escaped
    accept = pressable(request.reply, "accept")[0]
    meeting_id = int(accept.split(":")[2])
    assert press(services, c, "accept", meeting_id).notice_only  # not c's request
    accepted = press(services, b, "accept", meeting_id)
    assert accepted.extra[0].chat_id == a.user_id
    assert "@user102" in accepted.extra[0].reply.text  # contact only after consent
    slots = pressable(accepted, "slot")
    assert len(slots) == 3  # 15:00, 15:20, 15:40
    booked = press(services, b, "slot", meeting_id, 0)
    assert t("de", "events_slot_booked") in booked.text
    assert "15:00" in booked.text and "Person 101" in booked.text
    assert booked.extra[0].chat_id == a.user_id and "Person 102" in booked.extra[0].reply.text
    assert press(services, b, "accept", meeting_id).notice_only  # decided already
    assert sent is not None


def _accepted(services: Services, event: int, requester, target) -> int:  # type: ignore[no-untyped-def]
    press(services, requester, "ask", event, target.user_id)
    reply = press(services, requester, "send", event, target.user_id)
    meeting_id = int(pressable(reply.extra[0].reply, "accept")[0].split(":")[2])
    press(services, target, "accept", meeting_id)
    return meeting_id


def test_no_person_is_double_booked_and_a_taken_slot_is_a_conflict(services: Services) -> None:
    event, (a, b, c, d) = _four(services)
    first = _accepted(services, event, a, b)
    second = _accepted(services, event, a, c)
    assert t("de", "events_slot_booked") in press(services, a, "slot", first, 0).text
    conflict = press(services, c, "slot", second, 0)  # a is busy at 15:00
    assert conflict.text.startswith(t("de", "events_slot_conflict"))
    assert pressable(conflict, "slot") and all(not s.endswith(":0")
                                               for s in pressable(conflict, "slot"))
    assert t("de", "events_slot_booked") in press(services, c, "slot", second, 1).text
    declined = press(services, d, "ask", event, b.user_id)
    assert declined.text
    sent = press(services, d, "send", event, b.user_id)
    meeting_id = int(pressable(sent.extra[0].reply, "accept")[0].split(":")[2])
    no = press(services, b, "decline", meeting_id)
    assert no.extra[0].chat_id == d.user_id
    assert t("de", "events_request_declined", who="Person 102 (Org 102)") \
        == no.extra[0].reply.text
    with session_scope(services.engine) as session:
        meetings = meetings_of_event(session=session, event_id=event)
    statuses = sorted(m.status for m in meetings)
    assert statuses == [MeetingStatus.ACCEPTED.value] * 2 + [MeetingStatus.DECLINED.value]
    seats = [(p, m.slot_start) for m in meetings if m.slot_start
             for p in (m.requester_id, m.target_id)]
    assert len(seats) == len(set(seats))


def test_the_manager_plan_books_every_accepted_meeting_without_conflicts(
        services: Services) -> None:
    event, (a, b, c, d) = _four(services)
    for x, y in ((a, b), (a, c), (a, d), (b, c), (b, d), (c, d)):
        _accepted(services, event, x, y)
    planned, left, people = plan_event(services, event) or (0, 0, set())
    assert planned == 3 * 2 and left == 0  # three slots, two pairs per slot
    with session_scope(services.engine) as session:
        meetings = meetings_of_event(session=session, event_id=event)
    seats = [(p, m.slot_start) for m in meetings for p in (m.requester_id, m.target_id)]
    assert all(slot is not None for _, slot in seats)
    assert len(seats) == len(set(seats))
    assert people == {a.user_id, b.user_id, c.user_id, d.user_id}


def test_full_event_and_deadline_passed_change_nothing(services: Services) -> None:
    boss = manager(services)
    small = create(services, boss, event_line(tomorrow(), capacity=1))
    first, second = person(services, 201), person(services, 202)
    press(services, first, "register", small)
    full = press(services, second, "register", small)
    assert full.notice_only and full.text == t("de", "events_full")
    late = create(services, boss, event_line(tomorrow() + timedelta(days=5),
                                             deadline=tomorrow() - timedelta(days=3)))
    closed = press(services, second, "register", late)
    assert closed.notice_only and closed.text.startswith(
        t("de", "events_deadline_passed", deadline="\0").split("\0")[0])
    card = run_command(services, second, "events", str(small))
    assert "1 von 1 Platz belegt, 0 frei" in card.text


def test_bad_event_input_gets_one_clear_message(services: Services) -> None:
    boss = manager(services)
    for line, key in (("x | 31.02.2027 14:00 | a | 3 | 01.02.2027", "events_new_bad_date"),
                      ("x | 10.03.2027 14:00 | a | null | 01.03.2027",
                       "events_new_bad_capacity"),
                      ("x | 10.03.2027 14:00 | a | 3 | 11.03.2027 10:00",
                       "events_new_deadline_after_start"),
                      ("x | 10.03.2020 14:00 | a | 3 | 01.03.2020", "events_new_in_past")):
        reply = run_command(services, boss, "event_new", line)
        assert reply.text.startswith(t("de", key, limit=5000).split("{")[0][:25]), reply.text
    assert run_command(services, boss, "events", "").text == t("de", "events_none_manager")
    member = person(services, 301)
    assert run_command(services, member, "event_new", "x").text != t("de", "events_new_usage")


def test_forged_and_stale_buttons_change_nothing(services: Services) -> None:
    event, (a, b, c, d) = _four(services)
    meeting = _accepted(services, event, a, b)
    for who, action, args in ((c, "slot", (meeting, 0)), (a, "slot", (meeting, 99)),
                              (c, "drop", (meeting,)), (c, "move", (meeting,)),
                              (a, "accept", (meeting,)), (a, "fu", (1, "met", "yes")),
                              (a, "card", (999_999,)), (a, "ask", (event, a.user_id)),
                              (a, "register", (999_999,))):
        reply = press(services, who, action, *args)
        assert reply.notice_only or action == "card", (action, reply.text)
    visitor = person(services, 401, role=Role.VISITOR)
    assert press(services, visitor, "register", event).notice_only  # members only
    with session_scope(services.engine) as session:
        meetings = meetings_of_event(session=session, event_id=event)
    assert [(m.status, m.slot_start) for m in meetings] == [(MeetingStatus.ACCEPTED.value,
                                                              None)]


def test_keywords_fit_by_their_topic_not_by_what_a_question_would_ask() -> None:
    # "Parkplatz" and "Öffnungszeiten" both read as a question about this cluster's office
    # (?ours) — that says nothing about two members' offers and needs
    assert fit("Parkplatz", "Öffnungszeiten") == 0.0
    assert fit("Wärmepumpen", "heat pump controls") > 0.5

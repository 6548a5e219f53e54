"""Exports, the .ics, the visitors' link, the KPI view, unregistering and cancelling, and
the conversion check of the quantity-over-quality health rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from core.actor import Role
from core.events.browse import start_with_event
from core.pitfalls import health_rules as rules
from core.pitfalls.health import assess, evidence_lines
from core.router import run_command
from core.services import Services
from storage import clock
from storage.engine import session_scope
from storage.events.events import get_event
from storage.events.kpis import Conversion
from storage.members.requests import create_contact_request
from storage.pitfalls.health import MemberCounts
from tests.e2e_support import t
from tests.events.support import create, event_line, manager, person, press, pressable, tomorrow


def _event(services: Services, extra: str = "| Gespräche: 15:00-16:00 | Tische: 2 | Gäste"
           ) -> int:
    return create(services, manager(services), event_line(tomorrow(), extra=extra))


def test_participants_and_schedule_csv_in_german_excel_style_and_english(
        services: Services) -> None:
    event = _event(services)
    a = person(services, 701, offers=["=HYPERLINK(x)"], needs=["y"])
    b = person(services, 702, offers=["y"], needs=["z"])
    for who in (a, b):
        press(services, who, "register", event)
    press(services, a, "ask", event, b.user_id)
    sent = press(services, a, "send", event, b.user_id)
    meeting = int(pressable(sent.extra[0].reply, "accept")[0].split(":")[2])
    press(services, b, "accept", meeting)
    booked = press(services, a, "slot", meeting, 1)
    assert "Tisch 1" in booked.text
    boss = manager(services)
    german = press(services, boss, "export", event, "participants").attachments[0]
    text = german.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Name;Organisation;Telegram;Angemeldet am"
    assert "Person 701;Org 701;'@user701;" in text  # no formula for Excel
    schedule = press(services, boss, "export", event, "schedule").attachments[0]
    rows = schedule.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "Datum;Uhrzeit;Tisch;Angefragt von;Gesprächspartner"
    assert rows[1].split(";")[1:] == ["15:20", "1", "Person 701 (Org 701)",
                                      "Person 702 (Org 702)"]
    english = press(services, replace(boss, language="en"), "export", event, "schedule")
    lines = english.attachments[0].content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Date,Time,Table,Requested by,Partner"
    assert lines[1].startswith(tomorrow().date().isoformat())
    assert press(services, a, "export", event, "schedule").notice_only  # managers only


def test_ics_and_the_visitors_link(services: Services) -> None:
    event = _event(services)
    visitor = person(services, 801, role=Role.VISITOR)
    with session_scope(services.engine) as session:
        found = get_event(session=session, event_id=event)
        assert found is not None and found.invite_token
        token = found.invite_token
    invited = start_with_event(services, visitor, f"e{token}")
    assert invited is not None and t("de", "events_invite_welcome") in invited.text
    assert press(services, visitor, "register", event).text.startswith(
        t("de", "events_registered"))
    assert start_with_event(services, visitor, "eXXXXXX").text == t(
        "de", "events_invite_unknown")
    assert start_with_event(services, visitor, "a-members-token") is None
    link = press(services, manager(services), "invite", event)
    assert f"e{token}" in link.text
    ics = press(services, visitor, "ics", event).attachments[0].content
    assert ics.startswith(b"BEGIN:VCALENDAR") and b"SUMMARY:Matchmaking Energie" in ics
    members_only = _event(services, extra="")
    assert press(services, visitor, "register", members_only).notice_only
    assert press(services, manager(services), "invite", members_only).notice_only


def test_unregistering_and_cancelling_tell_the_others(services: Services) -> None:
    event = _event(services)
    a, b = person(services, 901, offers=["x"]), person(services, 902, offers=["y"])
    for who in (a, b):
        press(services, who, "register", event)
    press(services, a, "ask", event, b.user_id)
    sent = press(services, a, "send", event, b.user_id)
    press(services, b, "accept", int(pressable(sent.extra[0].reply, "accept")[0]
                                      .split(":")[2]))
    gone = press(services, a, "unregister", event)
    assert [o.chat_id for o in gone.extra] == [b.user_id]
    assert t("de", "events_partner_left") in gone.extra[0].reply.text
    assert press(services, a, "unregister", event).notice_only  # not registered any more
    boss = manager(services)
    confirm = press(services, boss, "cancel_event", event)
    assert pressable(confirm, "cancel_confirmed")
    cancelled = press(services, boss, "cancel_confirmed", event)
    assert [o.chat_id for o in cancelled.extra] == [b.user_id]
    assert press(services, boss, "cancel_confirmed", event).notice_only
    assert press(services, b, "partners", event).notice_only


def test_kpis_show_the_funnel_per_year_and_event_with_chart_and_csv(
        services: Services) -> None:
    event = _event(services)
    for user in (1001, 1002, 1003):
        press(services, person(services, user), "register", event)
    reply = run_command(services, manager(services), "event_kpis", "")
    assert "Teilnehmende: <b>3</b> · 190" in reply.text
    assert f"#{event} Matchmaking Energie" in reply.text
    photo, table = reply.attachments
    assert photo.kind == "photo" and photo.content.startswith(b"\x89PNG")
    rows = table.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Jahr;Veranstaltungen;Teilnehmende")
    assert rows[1].endswith(";1;3;0;0;0;0")
    stats = run_command(services, manager(services), "stats", "")
    assert [c.data for c in stats.flat_choices] == ["events:kpis"]
    run_command(services, manager(services), "stats", "add projects 2")
    corrected = run_command(services, manager(services), "stats", "").text
    assert "Kooperationsprojekte: <b>2</b> · Vortrag: 15 (0 gezählt, +2 ✎ von Hand)" \
        in corrected


def test_many_introductions_with_few_meetings_warn_about_quantity_over_quality() -> None:
    members = MemberCounts(members=10, with_profile=10, with_activity=10, passive=0)
    assert rules.quantity(members).checks["conversion"] == rules.NOT_DUE
    assert rules.quantity(members, Conversion(12, 1, 0)).status == rules.ALERT
    assert rules.quantity(members, Conversion(12, 4, 0)).status == rules.WARN
    assert rules.quantity(members, Conversion(12, 8, 0)).status == rules.WARN  # no project
    assert rules.quantity(members, Conversion(12, 8, 3)).status == rules.OK


def test_health_reads_the_conversion_from_the_records(services: Services) -> None:
    with session_scope(services.engine) as session:
        for target in (2, 3, 4):
            request = create_contact_request(session=session, requester_id=1, profile_id=1,
                                             target_telegram_id=target, status="accepted")
            request.decided_at = clock.utcnow() - timedelta(days=100)
            session.add(request)
    found = next(h for h in assess(services) if h.id == "quantity_over_quality")
    assert found.checks["conversion"] == rules.ALERT and found.status == rules.ALERT
    assert t("de", "pitfalls_health_conversion", count=3, met="0", projects="0") \
        in evidence_lines("de", found)

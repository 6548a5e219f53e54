"""Introductions with consent: nothing about a Telegram account before "accept", both
contacts after; a polite decline; one decision only; at most N requests a rolling day; an
optional personal message, sent only once the requester confirms or skips it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from core.actor import Actor
from core.members.demo import seed_demo
from core.reply import Reply
from core.router import press_button, run_command
from core.services import Services
from core.settings import Settings
from storage.engine import session_scope
from storage.members.tables import ContactRequest, Profile
from tests.conftest import make_settings, start_services
from tests.members.support import (
    CONTACT,
    MATCH,
    PROFILE,
    first,
    import_member_set,
    member,
    pressable,
    with_profile,
)


def _ask_button(reply: Reply) -> str:
    return first(reply, MATCH, "contact")


def _request(services: Services, requester: Actor, button: str) -> Reply:
    """Press "request contact" and send the request without a message; a refusal at the
    first press (no dialog opened) is returned as it is."""
    asked = press_button(services, requester, button)
    skip = pressable(asked, CONTACT, "skip")
    return press_button(services, requester, skip[0]) if skip else asked


def _requests(services: Services) -> list[ContactRequest]:
    with session_scope(services.engine) as session:
        return list(session.exec(select(ContactRequest)))


def _everything(reply: Reply) -> str:
    """Every text a reply shows anyone: itself, notices and messages to other chats."""
    parts = [reply.text, reply.notice, *(c.label for c in reply.flat_choices)]
    for outgoing in reply.extra:
        parts.append(_everything(outgoing.reply))
    return "\n".join(parts)


@pytest.fixture
def pair(services: Services) -> tuple[object, object]:
    requester = with_profile(services, 7, offers=["CRM"], needs=["Logistik"], name="Rita",
                             organization="Requesting AG", username="rita_req")
    target = with_profile(services, 8, offers=["Logistik"], needs=[], name="Tom",
                          organization="Target GmbH", username="tom_target",
                          language_code="en")
    return requester, target


def test_contact_is_shared_only_after_consent(services: Services, pair) -> None:  # type: ignore[no-untyped-def]
    requester, target = pair
    found = run_command(services, requester, "match", "Logistik")
    opened = press_button(services, requester, _ask_button(found))
    assert opened.extra == () and _requests(services) == [], "nothing sent before skip"
    asked = press_button(services, requester, first(opened, CONTACT, "skip"))
    before = _everything(found) + _everything(opened) + _everything(asked)
    for secret in ("tom_target", "tg://user?id=8", "User 8", "ID <code>8"):
        assert secret not in before
    assert "unterwegs" in asked.text
    [incoming] = asked.extra
    assert incoming.chat_id == 8
    assert "Rita" in incoming.reply.text and "Requesting AG" in incoming.reply.text
    assert "rita_req" not in incoming.reply.text and "tg://" not in incoming.reply.text
    assert "Contact request" in incoming.reply.text  # in the target's language
    accept = first(incoming.reply, CONTACT, "accept")
    accepted = press_button(services, target, accept)
    assert accepted.edit and "@rita_req" in accepted.text
    [told] = accepted.extra
    assert told.chat_id == 7 and "@tom_target" in told.reply.text
    assert "Target GmbH" in told.reply.text


def test_a_member_without_username_is_reached_by_a_link(services: Services) -> None:
    requester = with_profile(services, 7, offers=["CRM"], needs=[], name="Rita")
    with_profile(services, 8, offers=["Logistik"], needs=[], name="Tom")
    found = run_command(services, requester, "match", "Logistik")
    incoming = _request(services, requester, _ask_button(found)).extra[0]
    accepted = press_button(services, member(services, 8),
                            first(incoming.reply, CONTACT, "accept"))
    assert '<a href="tg://user?id=7">Rita</a>' in accepted.text
    assert '<a href="tg://user?id=8">Tom</a>' in accepted.extra[0].reply.text


def test_decline_tells_the_requester_politely_without_details(services: Services, pair  # type: ignore[no-untyped-def]
                                                               ) -> None:
    requester, target = pair
    found = run_command(services, requester, "match", "Logistik")
    incoming = _request(services, requester, _ask_button(found)).extra[0]
    declined = press_button(services, target, first(incoming.reply, CONTACT, "decline"))
    assert "Declined" in declined.text and "rita_req" not in declined.text
    [told] = declined.extra
    assert told.chat_id == 7
    assert "nicht angenommen" in told.reply.text and "tom_target" not in told.reply.text
    assert "/match" in told.reply.text


def test_a_decision_is_taken_once_and_only_by_the_person_asked(services: Services, pair  # type: ignore[no-untyped-def]
                                                                ) -> None:
    requester, target = pair
    found = run_command(services, requester, "match", "Logistik")
    incoming = _request(services, requester, _ask_button(found)).extra[0]
    accept, decline = (c.data for c in incoming.reply.flat_choices)
    assert (accept, decline) == (first(incoming.reply, CONTACT, "accept"),
                                 first(incoming.reply, CONTACT, "decline"))
    for intruder in (requester, member(services, 9)):
        forged = press_button(services, intruder, accept)
        assert forged.notice_only and forged.extra == () and "tom_target" not in forged.text
    press_button(services, target, decline)
    second = press_button(services, target, accept)
    assert second.notice_only and "already declined" in second.text and second.extra == ()
    with session_scope(services.engine) as session:
        assert [r.status for r in session.exec(select(ContactRequest))] == ["declined"]
    assert press_button(services, target, CONTACT.data("decline", 999)).notice_only


def test_asking_twice_waits_and_after_acceptance_shows_the_contact_again(
        services: Services, pair) -> None:  # type: ignore[no-untyped-def]
    requester, target = pair
    found = run_command(services, requester, "match", "Logistik")
    button = _ask_button(found)
    incoming = _request(services, requester, button).extra[0]
    again = press_button(services, requester, button)
    assert "steht noch aus" in again.text and again.extra == ()
    press_button(services, target, first(incoming.reply, CONTACT, "accept"))
    known = press_button(services, requester, button)
    assert "schon verbunden" in known.text and "@tom_target" in known.text


def test_contact_requests_are_limited_per_rolling_day(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings: Settings = make_settings(f"sqlite:///{tmp_path / 'x.sqlite3'}",
                                       contact_requests_per_day=2)
    services = start_services(settings)
    try:
        requester = with_profile(services, 7, offers=["CRM"], needs=[])
        for user in (8, 9, 10):
            with_profile(services, user, offers=["Logistik"], needs=[])
        buttons = pressable(run_command(services, requester, "match", "Logistik"), MATCH,
                            "contact")
        assert all(_request(services, requester, b).extra for b in buttons[:2])
        limited = press_button(services, requester, buttons[2])
        assert "2 Kontaktanfragen" in limited.text and limited.extra == ()
        with session_scope(services.engine) as session:
            oldest = session.exec(select(ContactRequest).order_by(ContactRequest.id)).first()
            assert oldest is not None
            oldest.created_at = oldest.created_at - timedelta(hours=25)
            session.add(oldest)
        assert _request(services, requester, buttons[2]).extra
    finally:
        services.close()


def test_a_requester_needs_a_profile_and_cannot_ask_themselves(services: Services) -> None:
    with_profile(services, 8, offers=["Logistik"], needs=[])
    without = member(services, 7)
    found = run_command(services, without, "match", "Logistik")
    reply = press_button(services, without, _ask_button(found))
    assert "/profile" in reply.text and reply.extra == ()
    owner = member(services, 8)
    with session_scope(services.engine) as session:
        own = session.exec(select(Profile).where(Profile.member_telegram_id == 8)).one()
    assert "eigenes Profil" in press_button(services, owner, MATCH.data("contact", own.id)).text


def test_hidden_or_missing_profiles_cannot_be_asked(services: Services, pair) -> None:  # type: ignore[no-untyped-def]
    requester, target = pair
    found = run_command(services, requester, "match", "Logistik")
    press_button(services, target, PROFILE.data("hide"))
    hidden = press_button(services, requester, _ask_button(found))
    assert hidden.notice_only and hidden.extra == ()
    assert press_button(services, requester, MATCH.data("contact", 9999)).notice_only


def test_imported_people_not_on_telegram_are_introduced_by_the_managers(
        services: Services) -> None:
    import_member_set(services)
    member(services, 42)  # the configured manager has written to the bot
    requester = with_profile(services, 7, offers=["CRM"], needs=[], name="Rita",
                             username="rita_req")
    found = run_command(services, requester, "match", "Katastrophenmanagement")
    reply = _request(services, requester, _ask_button(found))
    assert "Cluster-Management" in reply.text
    [forward] = reply.extra
    assert forward.chat_id == 42
    assert "@rita_req" in forward.reply.text and "Bietet: Katastroph" in forward.reply.text
    with session_scope(services.engine) as session:
        assert [r.status for r in session.exec(select(ContactRequest))] == ["forwarded"]


def test_demo_profiles_explain_themselves(services: Services) -> None:
    seed_demo(services)
    requester = with_profile(services, 7, offers=["CRM"], needs=[])
    found = run_command(services, requester, "match", "RFID")
    assert "Demo-Profil" in found.text or "IBM" in found.text
    reply = press_button(services, requester, _ask_button(found))
    assert "Demo-Profil" in reply.text and reply.extra == ()

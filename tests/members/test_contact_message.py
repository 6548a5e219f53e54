"""The personal message of a contact request: typed after "request contact" (at most 300
characters) or skipped with a button, shown HTML-escaped with the requester's profile, and
nothing sent before the requester confirms or skips; /cancel and "cancel" end it; the daily
limit is checked again when the request goes out."""

from __future__ import annotations

import pytest
from sqlmodel import select

from core.actor import Actor, Role
from core.router import handle_text, press_button, run_command
from core.services import Services
from storage.engine import session_scope
from storage.members.tables import ContactRequest
from tests.conftest import make_settings, start_services
from tests.members.support import (
    CONTACT,
    MATCH,
    first,
    import_member_set,
    member,
    pressable,
    with_profile,
)


def _ask_button(reply) -> str:  # type: ignore[no-untyped-def]
    return first(reply, MATCH, "contact")


def _requests(services: Services) -> list[ContactRequest]:
    with session_scope(services.engine) as session:
        return list(session.exec(select(ContactRequest)))


@pytest.fixture
def pair(services: Services) -> tuple[Actor, Actor]:
    requester = with_profile(services, 7, offers=["CRM"], needs=["Logistik"], name="Rita",
                             organization="Requesting AG", username="rita_req")
    target = with_profile(services, 8, offers=["Logistik"], needs=[], name="Tom",
                          organization="Target GmbH", username="tom_target",
                          language_code="en")
    return requester, target
def test_a_personal_message_is_shown_with_the_profile_only_after_confirming(
        services: Services, pair) -> None:  # type: ignore[no-untyped-def]
    requester, target = pair
    found = run_command(services, requester, "match", "Logistik")
    opened = press_button(services, requester, _ask_button(found))
    assert "300" in opened.text and opened.extra == ()
    assert pressable(opened, CONTACT, "skip") and pressable(opened, CONTACT, "stop")
    first_try = handle_text(services, requester, "Hallo Tom")
    assert "Hallo Tom" in first_try.text and first_try.extra == ()
    preview = handle_text(services, requester, "Hallo   Tom, wir <b>suchen</b> & RFID-Partner!")
    assert "Hallo Tom, wir &lt;b&gt;suchen&lt;/b&gt; &amp; RFID-Partner!" in preview.text
    assert preview.extra == () and _requests(services) == [], "nothing sent before 'send'"
    sent = press_button(services, requester, first(preview, CONTACT, "send"))
    assert "unterwegs" in sent.text and sent.edit
    [incoming] = sent.extra
    assert incoming.chat_id == 8 and "Rita" in incoming.reply.text
    assert "Message:" in incoming.reply.text  # in the target's language, with the profile
    assert "wir &lt;b&gt;suchen&lt;/b&gt; &amp; RFID-Partner!" in incoming.reply.text
    assert "Hallo Tom," in incoming.reply.text and "rita_req" not in incoming.reply.text
    again = press_button(services, requester, first(preview, CONTACT, "send"))
    assert again.notice_only and again.extra == ()
    assert [r.status for r in _requests(services)] == ["open"]


def test_skipping_the_message_sends_the_request_without_one(services: Services, pair  # type: ignore[no-untyped-def]
                                                             ) -> None:
    requester, _ = pair
    found = run_command(services, requester, "match", "Logistik")
    opened = press_button(services, requester, _ask_button(found))
    sent = press_button(services, requester, first(opened, CONTACT, "skip"))
    [incoming] = sent.extra
    assert "Message:" not in incoming.reply.text and "Rita" in incoming.reply.text
    assert len(_requests(services)) == 1


def test_a_too_long_message_is_explained_and_asked_for_again(services: Services, pair  # type: ignore[no-untyped-def]
                                                              ) -> None:
    requester, _ = pair
    found = run_command(services, requester, "match", "Logistik")
    press_button(services, requester, _ask_button(found))
    long = handle_text(services, requester, "x" * 301)
    assert "301 Zeichen" in long.text and "höchstens 300" in long.text
    assert pressable(long, CONTACT, "send") == [] and pressable(long, CONTACT, "skip")
    fits = handle_text(services, requester, "y" * 300)
    again = handle_text(services, requester, "z" * 400)  # a longer one instead: preview void
    assert "400 Zeichen" in again.text
    assert press_button(services, requester, first(fits, CONTACT, "send")).notice_only
    fits = handle_text(services, requester, "y" * 300)
    sent = press_button(services, requester, first(fits, CONTACT, "send"))
    assert "y" * 300 in sent.extra[0].reply.text and _requests(services)


def test_cancel_ends_the_request_and_nothing_is_sent(services: Services, pair) -> None:  # type: ignore[no-untyped-def]
    requester, _ = pair
    found = run_command(services, requester, "match", "Logistik")
    opened = press_button(services, requester, _ask_button(found))
    preview = handle_text(services, requester, "Hallo")
    assert "Abgebrochen" in run_command(services, requester, "cancel", "").text
    for stale in (first(opened, CONTACT, "skip"), first(preview, CONTACT, "send"),
                  first(preview, CONTACT, "stop")):
        refused = press_button(services, requester, stale)
        assert refused.notice_only and refused.extra == ()
    reopened = press_button(services, requester, _ask_button(found))
    stopped = press_button(services, requester, first(reopened, CONTACT, "stop"))
    assert "nicht gesendet" in stopped.text and stopped.extra == ()
    handle_text(services, requester, "Hallo")  # after the dialog: a question, no request
    assert _requests(services) == []


def test_the_send_button_of_one_profile_does_not_send_another_request(
        services: Services, pair) -> None:  # type: ignore[no-untyped-def]
    requester, _ = pair
    with_profile(services, 9, offers=["Logistik"], needs=[], name="Uwe")
    found = run_command(services, requester, "match", "Logistik")
    first_button, second_button = pressable(found, MATCH, "contact")[:2]
    press_button(services, requester, first_button)
    preview = handle_text(services, requester, "Hallo")
    press_button(services, requester, second_button)  # a new request replaces the first
    refused = press_button(services, requester, first(preview, CONTACT, "send"))
    assert refused.notice_only and _requests(services) == []


def test_the_daily_limit_is_checked_again_when_sending(tmp_path) -> None:  # type: ignore[no-untyped-def]
    services = start_services(make_settings(f"sqlite:///{tmp_path / 'x.sqlite3'}",
                                            contact_requests_per_day=1))
    try:
        requester = with_profile(services, 7, offers=["CRM"], needs=[])
        for user in (8, 9):
            with_profile(services, user, offers=["Logistik"], needs=[])
        one, two = pressable(run_command(services, requester, "match", "Logistik"), MATCH,
                             "contact")[:2]
        opened = press_button(services, requester, one)
        assert pressable(opened, CONTACT, "skip")
        with session_scope(services.engine) as session:  # a request sent meanwhile
            session.add(ContactRequest(requester_id=7, profile_id=999, status="open"))
        limited = press_button(services, requester, first(opened, CONTACT, "skip"))
        assert "1 Kontaktanfrage" in limited.text and limited.extra == ()
        assert len(_requests(services)) == 1
        assert "1 Kontaktanfrage" in press_button(services, requester, two).text
    finally:
        services.close()


def test_the_managers_see_the_message_of_a_request_they_forward(services: Services) -> None:
    import_member_set(services)
    member(services, 42)
    requester = with_profile(services, 7, offers=["CRM"], needs=[], name="Rita")
    found = run_command(services, requester, "match", "Katastrophenmanagement")
    press_button(services, requester, _ask_button(found))
    preview = handle_text(services, requester, "Bitte stellen Sie uns vor")
    reply = press_button(services, requester, first(preview, CONTACT, "send"))
    [forward] = reply.extra
    assert forward.chat_id == 42 and "Bitte stellen Sie uns vor" in forward.reply.text


def test_a_member_demoted_while_writing_cannot_send(services: Services, pair) -> None:  # type: ignore[no-untyped-def]
    requester, _ = pair
    found = run_command(services, requester, "match", "Logistik")
    opened = press_button(services, requester, _ask_button(found))
    visitor = member(services, 7, role=Role.VISITOR, username="rita_req")
    assert "nur für Mitglieder" in handle_text(services, visitor, "Hallo").text
    assert press_button(services, visitor, first(opened, CONTACT, "skip")).notice_only
    assert _requests(services) == []

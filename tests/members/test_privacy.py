"""Privacy: /privacy explains, /export_my_data sends everything, /forget_me deletes
everything after a confirmation — checked by reading every table of the database."""

from __future__ import annotations

import json
import time
from typing import Any

from sqlalchemy import text
from sqlmodel import SQLModel

import storage.schema  # noqa: F401  (every table on the metadata)
from core import dialogs
from core.identity import identify
from core.members import privacy
from core.questions import ask
from core.router import handle_text, press_button, run_command
from core.services import Services
from storage.engine import session_scope
from storage.pitfalls.selfcheck import add_result
from tests.conftest import actor, make_settings, start_services
from tests.members.support import CONTACT, FORGET, MATCH, first, member, organisations, with_profile

WHO = 987_654_321
USERNAME = f"user{WHO}"  # what tests.conftest.actor reports as the username
NAME = "Vergiss Mich"


def _leave_traces(services: Services) -> None:
    """A member who used every part of the members feature (and asked a question)."""
    manager = actor(services, 42)
    with_profile(services, WHO, offers=["Logistik"], needs=["CRM"], name=NAME,
                 organization="Spuren GmbH", username=USERNAME)
    other = with_profile(services, 8, offers=["CRM"], needs=["Logistik"], name="Other",
                         organization="Other AG", username="other8")
    who = member(services, WHO, username=USERNAME)
    # contact requests both ways, one with a personal message and accepted
    found = run_command(services, who, "match", "CRM")
    press_button(services, who, first(found, MATCH, "contact"))
    preview = handle_text(services, who, f"Viele Grüße, {NAME}")
    incoming = press_button(services, who, first(preview, CONTACT, "send")).extra[0]
    press_button(services, other, first(incoming.reply, CONTACT, "accept"))
    back = run_command(services, other, "match", "Logistik")
    opened = press_button(services, other, first(back, MATCH, "contact"))
    press_button(services, other, first(opened, CONTACT, "skip"))
    # an invite they used, an earlier join request, a group they linked, figures they recorded
    run_command(services, manager, "promote", str(WHO))  # manager for a moment
    run_command(services, actor(services, WHO), "invite", "")
    run_command(services, actor(services, WHO), "stats", "add events 3")
    group = identify(services, user_id=WHO, chat_id=-100777, name=NAME, username=USERNAME,
                     language_code="de", is_private_chat=False)
    run_command(services, group, "link_group", "")
    run_command(services, manager, "demote", str(WHO))
    run_command(services, manager, "demote", str(WHO))
    run_command(services, actor(services, WHO), "join", "please")
    member(services, WHO, username=USERNAME)
    # an open dialog, an unanswered question, a self-check result (issue #5)
    ask(services, actor(services, WHO), "Wie ist das Wetter in Paderborn, Vergiss Mich?")
    dialogs.begin(services, actor(services, WHO), "profile", "name", {"mode": "edit"})
    with session_scope(services.engine) as session:
        add_result(session=session, telegram_id=WHO, role="member",
                                scores={"openness": 50}, answers={"s1": 3})


def _traces(services: Services) -> list[str]:
    """Every cell of every table that still names the person."""
    found: list[str] = []
    with services.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(text(f'SELECT * FROM "{table.name}"')):
                for column, value in row._mapping.items():
                    if value == WHO or (isinstance(value, str) and (
                            USERNAME in value or NAME in value or str(WHO) in value)):
                        found.append(f"{table.name}.{column}={value!r}")
    return found


def test_privacy_says_what_is_stored_in_both_languages(services: Services) -> None:
    german = run_command(services, actor(services, 7), "privacy", "").text
    english = run_command(services, actor(services, 8, language_code="en"), "privacy", "").text
    assert "Was ich speichere" in german and "/forget_me" in german
    assert "What I store" in english and "/export_my_data" in english


def test_export_my_data_sends_a_json_file_with_everything(services: Services) -> None:
    _leave_traces(services)
    reply = run_command(services, actor(services, WHO), "export_my_data", "")
    [attachment] = reply.attachments
    assert attachment.filename.endswith(".json") and attachment.kind == "document"
    data: dict[str, Any] = json.loads(attachment.content)
    assert data["member"]["telegram_id"] == WHO and data["member"]["username"] == USERNAME
    assert set(data) >= {"exported_at", "telegram_id", "member", "open_dialog", "members",
                         "action_plan", "pitfalls", "questions"}
    matchmaking = data["members"]
    assert matchmaking["profile"]["name"] == NAME
    assert len(matchmaking["contact_requests_sent"]) == 1
    assert matchmaking["contact_requests_received"][0]["status"] == "open"
    assert "other8" not in attachment.content.decode()
    assert matchmaking["join_requests"][0]["note"] == "please"
    assert matchmaking["monitoring_figures_recorded"][0]["value"] == 3
    assert matchmaking["invites_created"] and "token" not in matchmaking["invites_created"][0]
    assert data["questions"]["unanswered_questions"][0]["text"].startswith(
        "Wie ist das Wetter")
    assert data["open_dialog"]["feature"] == "profile"
    assert data["pitfalls"]["selfcheck_results"][0]["answers"] == {"s1": 3}


def test_forget_me_asks_first_and_then_leaves_nothing_behind(services: Services) -> None:
    _leave_traces(services)
    assert _traces(services), "the traces were not written; the test would prove nothing"
    assert organisations(services, "Logistik")[0] == "Spuren GmbH"
    who = actor(services, WHO)
    confirm = run_command(services, who, "forget_me", "")
    assert "Wirklich alles löschen" in confirm.text
    assert press_button(services, who, first(confirm, FORGET, "keep")).text.startswith("Gut")
    assert _traces(services)
    yes = first(confirm, FORGET, "confirm")
    done = press_button(services, who, yes)
    assert "gelöscht" in done.text and done.menus == (WHO,), "the member menu goes too"
    assert _traces(services) == []
    assert "Spuren GmbH" not in organisations(services, "Logistik")
    assert "Other AG" in organisations(services, "CRM"), "other members are untouched"
    stats = run_command(services, actor(services, 42), "stats", "").text
    assert "Veranstaltungen: <b>3</b>" in stats, "the cluster's figures stay, anonymously"


def test_a_forged_or_old_confirmation_deletes_nothing(services: Services) -> None:
    _leave_traces(services)
    who = actor(services, WHO)
    now = int(time.time())
    for data in (FORGET.data("confirm", WHO + 1, now),
                 FORGET.data("confirm", WHO, now - 2 * privacy.CONFIRM_VALID_SECONDS),
                 FORGET.data("confirm"), FORGET.data("confirm", WHO, "soon"),
                 FORGET.data("confirm", WHO, now, 1), FORGET.data("confirm", -WHO, now),
                 f"forget:yes:{WHO}:{now}", "forget"):
        refused = press_button(services, who, data)
        assert refused.notice_only, data
    assert any("profile.name" in trace for trace in _traces(services))
    someone_else = actor(services, 5)
    press_button(services, someone_else, FORGET.data("confirm", WHO, now))
    assert any("profile.name" in trace for trace in _traces(services))


def test_forget_me_of_a_visitor_who_only_asked_a_question(services: Services) -> None:
    visitor = actor(services, WHO)
    ask(services, visitor, "Wie ist das Wetter in Paderborn?")
    confirm = run_command(services, visitor, "forget_me", "")
    press_button(services, visitor, first(confirm, FORGET, "confirm"))
    assert _traces(services) == []


def test_forget_me_and_matching_on_every_database(database_url: str) -> None:
    """The same on SQLite and, with TEST_DATABASE_URL, on PostgreSQL (a fresh database per
    session, so this test cleans up after itself)."""
    services = start_services(make_settings(database_url, manager_ids="42"))
    try:
        _leave_traces(services)
        assert organisations(services, "logistics")[0] == "Spuren GmbH"
        privacy.forget(services, WHO)
        assert _traces(services) == []
        privacy.forget(services, 8)
        for table in reversed(SQLModel.metadata.sorted_tables):
            with services.engine.begin() as connection:
                connection.execute(table.delete())
    finally:
        services.close()

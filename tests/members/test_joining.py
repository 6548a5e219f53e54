"""Becoming a member: invite links, join requests, the linked group, promote/demote, and
imported profiles that find their Telegram user."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from core.actor import Role
from core.feature import GroupPost
from core.identity import identify
from core.members.csv_io import import_members, parse_members_csv
from core.members.joining import group_message
from core.router import press_button, run_command
from core.services import Services
from storage.accounts.queries import get_member
from storage.clock import utcnow
from storage.engine import session_scope
from storage.members.profiles import profile_of
from storage.members.tables import Invite, InviteUse, LinkedGroup
from tests.conftest import actor, make_settings, start_services
from tests.members.support import (
    INVITE,
    JOIN,
    PROFILE,
    first,
    import_member_set,
    member,
    organisations,
)

MANAGER = 42  # MANAGER_IDS of the `settings` fixture


def _role(services: Services, user_id: int) -> str | None:
    with session_scope(services.engine) as session:
        row = get_member(session=session, telegram_id=user_id)
        return row.role if row else None


def _token(text: str) -> str:
    match = re.search(r"start=([A-Za-z0-9_-]+)|/start ([A-Za-z0-9_-]+)", text)
    assert match, text
    return match.group(1) or match.group(2)


# ---------------------------------------------------------------------------------- invites
def test_invite_link_makes_visitors_members_and_records_every_use(services: Services) -> None:
    services.bot_username = "cluster_advisor_bot"
    created = run_command(services, actor(services, MANAGER), "invite", "")
    assert "https://t.me/cluster_advisor_bot?start=" in created.text
    assert "14 Tage" in created.text
    token = _token(created.text)
    for user in (7, 8):
        visitor = actor(services, user)
        assert visitor.role is Role.VISITOR
        welcome = run_command(services, visitor, "start", token)
        assert "Sie sind jetzt Mitglied" in welcome.text and welcome.menus == (user,)
        assert _role(services, user) == "member"
    again = run_command(services, actor(services, 7), "start", token)
    assert "bereits Mitglied" in again.text
    with session_scope(services.engine) as session:
        uses = session.exec(select(InviteUse)).all()
    assert sorted(u.telegram_id for u in uses) == [7, 8]
    listed = run_command(services, actor(services, MANAGER), "invite", "list")
    assert "2× genutzt" in listed.text


def test_console_invite_shows_the_token_and_the_start_command(services: Services) -> None:
    created = run_command(services, actor(services, MANAGER), "invite", "")
    token = _token(created.text)
    assert f"/start {token}" in created.text and "t.me" not in created.text


def test_expired_and_revoked_invites_are_refused(services: Services) -> None:
    manager = actor(services, MANAGER)
    first_token = _token(run_command(services, manager, "invite", "").text)
    second_reply = run_command(services, manager, "invite", "")
    second = _token(second_reply.text)
    with session_scope(services.engine) as session:
        invite = session.exec(select(Invite).where(Invite.token == first_token)).one()
        invite.expires_at = utcnow() - timedelta(minutes=1)
        session.add(invite)
    expired = run_command(services, actor(services, 7), "start", first_token)
    assert "war bis" in expired.text and "abgelaufen" in expired.text
    assert "/join" in expired.text and "neuen Link" in expired.text
    assert _role(services, 7) == "visitor" and expired.menus == ()
    revoke = first(second_reply, INVITE, "revoke")
    assert "widerrufen" in press_button(services, manager, revoke).text
    again = press_button(services, manager, revoke)
    assert again.notice_only and "schon widerrufen" in again.text
    revoked = run_command(services, actor(services, 8), "start", second).text
    assert "widerrufen" in revoked and "neuen Link" in revoked and "/join" in revoked
    assert _role(services, 8) == "visitor"
    assert "keine gültige Einladung" in run_command(services, manager, "invite", "list").text


def test_invite_revoke_by_command_and_unknown_arguments(services: Services) -> None:
    manager = actor(services, MANAGER)
    token = _token(run_command(services, manager, "invite", "").text)
    assert "widerrufen" in run_command(services, manager, "invite", "revoke 1").text
    assert "Einladung Nr. 99" in run_command(services, manager, "invite", "revoke 99").text
    assert "So geht's" in run_command(services, manager, "invite", "frobnicate").text
    assert "widerrufen" in run_command(services, actor(services, 7), "start", token).text


def test_an_unknown_invite_token_is_said_to_be_one(services: Services) -> None:
    for token in ("not-a-token", "Zm9vYmFyYmF6cXV4cXV1eA"):
        for user, lang, words in ((7, "de", ("kenne ich nicht", "neuen Link", "/join")),
                                  (8, "en", ("don't recognise", "new link", "/join"))):
            reply = run_command(services, actor(services, user, language_code=lang), "start",
                                token)
            assert all(word in reply.text for word in words), reply.text
    assert _role(services, 7) == _role(services, 8) == "visitor"


def test_start_with_something_that_is_no_token_is_the_normal_welcome(
        services: Services) -> None:
    for argument in ("hallo welt", "x", "a" * 65, "ä-token-ä"):
        reply = run_command(services, actor(services, 7), "start", argument)
        assert "Willkommen" in reply.text, argument
    assert _role(services, 7) == "visitor"


def test_an_old_invite_link_used_by_a_member_or_manager_changes_nothing(
        services: Services) -> None:
    manager = actor(services, MANAGER)
    token = _token(run_command(services, manager, "invite", "").text)
    run_command(services, manager, "invite", "revoke 1")
    assert "bereits Mitglied" in run_command(services, member(services, 7), "start", token).text
    assert "Als Manager" in run_command(services, manager, "start", token).text
    assert "Als Manager" in run_command(services, manager, "join", "").text


def test_members_cannot_create_or_revoke_invites(services: Services) -> None:
    someone = member(services, 7)
    assert "nur für Cluster-Manager" in run_command(services, someone, "invite", "").text
    assert press_button(services, someone, INVITE.data("revoke", 1)).notice_only


# ---------------------------------------------------------------------------------- /join
def test_join_request_is_decided_once_by_a_manager(services: Services) -> None:
    visitor = actor(services, 7)
    sent = run_command(services, visitor, "join", "Ich bin von <ACME>")
    assert "Beitrittsanfrage" in sent.text
    [notice] = sent.extra
    assert notice.chat_id == MANAGER
    assert "User 7" in notice.reply.text and "&lt;ACME&gt;" in notice.reply.text
    accept = notice.reply.flat_choices[0].data
    assert accept == first(notice.reply, JOIN, "accept")
    assert "schon beim Cluster-Management" in run_command(services, visitor, "join", "").text
    forged = press_button(services, member(services, 8), accept)
    assert forged.notice_only and _role(services, 7) == "visitor"
    done = press_button(services, actor(services, MANAGER), accept)
    assert done.edit and "ist jetzt Mitglied" in done.text and done.menus == (7,)
    assert done.extra[0].chat_id == 7 and "Willkommen" in done.extra[0].reply.text
    assert _role(services, 7) == "member"
    decline = first(notice.reply, JOIN, "decline")
    second = press_button(services, actor(services, MANAGER), decline)
    assert second.notice_only and "schon angenommen" in second.text
    assert _role(services, 7) == "member"


def test_declined_join_request_is_told_politely(services: Services) -> None:
    sent = run_command(services, actor(services, 7, language_code="en"), "join", "")
    decline = first(sent.extra[0].reply, JOIN, "decline")
    done = press_button(services, actor(services, MANAGER), decline)
    assert "abgelehnt" in done.text and done.menus == ()
    [told] = done.extra
    assert told.chat_id == 7 and "not accepted this time" in told.reply.text
    assert "User" not in told.reply.text
    assert _role(services, 7) == "visitor"


def test_join_without_any_manager_says_whom_to_ask(tmp_path) -> None:  # type: ignore[no-untyped-def]
    services = start_services(make_settings(f"sqlite:///{tmp_path / 'x.sqlite3'}"))
    try:
        reply = run_command(services, actor(services, 7), "join", "")
        assert "kein Manager" in reply.text and reply.extra == ()
    finally:
        services.close()


def test_members_do_not_need_to_join(services: Services) -> None:
    assert "bereits Mitglied" in run_command(services, member(services, 7), "join", "").text


# ---------------------------------------------------------------------------------- group
def _group_actor(services: Services, user_id: int, chat_id: int):  # type: ignore[no-untyped-def]
    return identify(services, user_id=user_id, chat_id=chat_id, name=f"User {user_id}",
                    username=None, language_code="de", is_private_chat=False)


def test_writing_in_the_linked_group_makes_a_member(services: Services) -> None:
    group = -100123
    assert "in der Telegram-Gruppe" in run_command(services, actor(services, MANAGER),
                                                   "link_group", "").text
    assert "verknüpft" in run_command(services, _group_actor(services, MANAGER, group),
                                      "link_group", "").text
    joined = group_message(services, GroupPost(group, 7, "Anna", "anna", "de"))
    assert joined is not None and joined.user_id == 7
    assert _role(services, 7) == "member"
    assert group_message(services, GroupPost(group, 7, "Anna", "anna", "de")) is None
    assert group_message(services, GroupPost(-100999, 8, "Bert", None, "de")) is None
    assert _role(services, 8) is None, "people in other groups are not recorded at all"
    [followup] = services.registry.watch_group(services, GroupPost(group, 10, "Dora", None,
                                                                   "en"))
    assert _role(services, 10) == "member", "the feature's group watcher is registered"
    assert followup.menus == (10,)
    [welcome] = followup.extra
    assert welcome.chat_id == 10 and "you are now a member" in welcome.reply.text
    assert "/profile" in welcome.reply.text
    assert services.registry.watch_group(services, GroupPost(group, 10, "Dora", None, "en")) \
        == [], "nothing changed: no welcome, no menu"
    assert services.registry.watch_group(services, GroupPost(group, MANAGER, "M", None, "de")) \
        == [], "a manager stays a manager"
    unlinked = run_command(services, _group_actor(services, MANAGER, group), "unlink_group", "")
    assert "nicht mehr verknüpft" in unlinked.text
    assert group_message(services, GroupPost(group, 9, "C", None, "de")) is None
    assert services.registry.watch_group(services, GroupPost(group, 9, "C", None, "de")) == []
    assert _role(services, 9) is None and _role(services, 7) == "member"
    with session_scope(services.engine) as session:
        assert session.exec(select(LinkedGroup)).all() == []


# ---------------------------------------------------------------------------------- roles
def test_promote_and_demote_walk_the_ladder(services: Services) -> None:
    manager = actor(services, MANAGER)
    identify(services, user_id=7, chat_id=7, name="Anna", username="Anna_V",
             language_code="en")
    promoted = run_command(services, manager, "promote", "@anna_v")
    assert "ist jetzt Mitglied" in promoted.text and _role(services, 7) == "member"
    assert promoted.extra[0].chat_id == 7 and "member" in promoted.extra[0].reply.text
    assert promoted.menus == (7,)
    assert run_command(services, manager, "promote", "7").menus == (7,)
    assert _role(services, 7) == "manager"
    top = run_command(services, manager, "promote", "7")
    assert "höher geht es nicht" in top.text and top.menus == ()
    assert run_command(services, manager, "demote", "7").menus == (7,)
    demoted = run_command(services, manager, "demote", "7")
    assert demoted.menus == (7,) and "visitor" in demoted.extra[0].reply.text
    assert _role(services, 7) == "visitor"
    bottom = run_command(services, manager, "demote", "7")
    assert "niedriger geht es nicht" in bottom.text and bottom.menus == ()


def test_role_rules_protect_configured_and_last_managers(services: Services) -> None:
    manager = actor(services, MANAGER)
    refused = run_command(services, manager, "demote", str(MANAGER))
    assert "MANAGER_IDS" in refused.text
    run_command(services, manager, "promote", "7")
    run_command(services, manager, "promote", "7")
    stored_manager = actor(services, 7)
    assert stored_manager.role is Role.MANAGER
    run_command(services, stored_manager, "demote", "7")  # MANAGER_IDS has 42: allowed
    assert _role(services, 7) == "member"


def test_the_last_manager_cannot_demote_themselves(tmp_path) -> None:  # type: ignore[no-untyped-def]
    services = start_services(make_settings(f"sqlite:///{tmp_path / 'x.sqlite3'}"))
    try:
        only = member(services, 5, role=Role.MANAGER)
        assert "letzte Manager" in run_command(services, only, "demote", "5").text
        assert _role(services, 5) == "manager"
    finally:
        services.close()


def test_role_commands_explain_bad_targets_and_are_for_managers(services: Services) -> None:
    manager = actor(services, MANAGER)
    assert "So geht's" in run_command(services, manager, "promote", "").text
    assert "So geht's" in run_command(services, manager, "promote", "anna").text
    assert "kenne ich noch nicht" in run_command(services, manager, "promote", "@nobody").text
    new = run_command(services, manager, "promote", "555")  # not seen yet: waits for them
    assert "ist jetzt Mitglied" in new.text
    assert new.extra == () and new.menus == (), "nobody to tell yet: Telegram would refuse"
    assert actor(services, 555).role is Role.MEMBER
    assert "nur für Cluster-Manager" in run_command(services, member(services, 8),
                                                    "promote", "9").text
    listed = run_command(services, manager, "members", "").text
    assert "@user555" in listed and "@user42 (Manager)" in listed


# ---------------------------------------------------------------------------------- claims
def test_an_imported_profile_is_claimed_when_its_telegram_user_appears(
        services: Services) -> None:
    data = (b"name,organization,type,city,offers,needs,telegram\n"
            b"Anna Virtanen,NOKIA,research,Tampere,Usability,CRM,@Anna_V\n")
    import_members(services, parse_members_csv(data))
    assert organisations(services, "Usability") == ["NOKIA"]
    anna = identify(services, user_id=7, chat_id=7, name="Anna", username="anna_v",
                    language_code="de")
    assert anna.role is Role.MEMBER
    with session_scope(services.engine) as session:
        profile = profile_of(session=session, telegram_id=7)
        assert profile is not None and profile.organization == "NOKIA"
        assert profile.telegram_username is None
    assert "NOKIA" in run_command(services, anna, "profile", "").text
    press_button(services, anna, PROFILE.data("hide"))
    assert organisations(services, "Usability") == []


def test_an_import_naming_a_known_user_gives_them_the_profile_at_once(
        services: Services) -> None:
    identify(services, user_id=7, chat_id=7, name="Lukas", username="lukas_m",
             language_code="de")
    import_member_set(services)  # no telegram column values: nothing claimed
    with session_scope(services.engine) as session:
        assert profile_of(session=session, telegram_id=7) is None
    data = (b"name;organization;type;city;offers;needs;telegram\n"
            b"Lukas Meier;IBM Zurich Research Lab;research;Bern;RFID;Logistik;lukas_m\n"
            )
    report = parse_members_csv(data)
    import_members(services, report)
    assert report.updated == 1 and report.claimed == 1
    assert _role(services, 7) == "member"

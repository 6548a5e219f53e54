"""The kernel on its own: a small fake feature's command, buttons and dialog go through the
router without Telegram, and the kernel's rules hold for it like for the real features."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.features import FEATURES
from core import dialogs
from core.actor import Actor, Role
from core.dialogs import DialogState
from core.feature import Action, Actions, Command, Dialog, Feature, integer, one_of
from core.i18n import TEXTS, t
from core.registry import Registry
from core.reply import Reply
from core.router import handle_text, press_button, run_command
from core.services import Services, build_services
from core.settings import Settings
from tests.conftest import actor

PRESSED: list[tuple[int, str]] = []


def _echo_start(services: Services, who: Actor, args: str) -> Reply:
    dialogs.begin(services, who, "echo", "first")
    return Reply("first?", ((ACTIONS.button("Count", "count", 3, "up"),),))


def _echo_step(services: Services, who: Actor, state: DialogState, text: str) -> Reply:
    answers = [*state.data.get("answers", []), text]
    if len(answers) == 2:
        dialogs.finish(services, who)
        return Reply("done: " + " / ".join(answers))
    dialogs.advance(services, who, "echo", "second", {"answers": answers})
    return Reply("next")


def _count(services: Services, who: Actor, number: int, direction: str) -> Reply:
    PRESSED.append((number, direction))
    return Reply(f"counted {number} {direction}", edit=True)


def _secret(services: Services, who: Actor) -> Reply:
    return Reply("the secret")


ACTIONS = Actions("echo", Role.VISITOR, (
    Action("count", _count, (integer, one_of("up", "down"))),
    Action("secret", _secret, role=Role.MANAGER),
))
ECHO = Feature(
    name="echo",
    commands=(Command("echo", Role.VISITOR, _echo_start, private_only=True),
              Command("echo_admin", Role.MANAGER, _echo_start)),
    actions=(ACTIONS,),
    dialogs=(Dialog("echo", _echo_step, Role.MEMBER),),
    digest_lines=lambda services, lang, at: [f"echo {lang} {at:%Y-%m-%d}"],
)


def _broken_digest(services: Services, lang: str, at: object) -> list[str]:
    raise RuntimeError("broken on purpose")


BROKEN = Feature(name="broken", digest_lines=_broken_digest)


def _registry() -> Registry:
    return Registry([*(wiring.feature for wiring in FEATURES), ECHO, BROKEN])


@pytest.fixture
def echo_services(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    for name in ("echo", "echo_admin"):
        monkeypatch.setitem(TEXTS, f"cmd_{name}", {"de": f"{name} (de)", "en": f"{name} (en)"})
    services = build_services(settings, _registry())
    PRESSED.clear()
    yield services
    services.close()


def test_a_fake_feature_runs_a_command_a_button_and_a_dialog(echo_services: Services) -> None:
    member = actor(echo_services, role=Role.MEMBER)
    reply = run_command(echo_services, member, "echo", "")
    assert reply.text == "first?"
    assert press_button(echo_services, member, reply.flat_choices[0].data).text == "counted 3 up"
    assert PRESSED == [(3, "up")]
    assert handle_text(echo_services, member, "Was ist ein Cluster?").text == "next"
    assert handle_text(echo_services, member, "zwei").text == "done: Was ist ein Cluster? / zwei"
    # the dialog is over: the same question now goes to the knowledge base
    assert "räumliche Konzentration" in handle_text(echo_services, member,
                                                    "Was ist ein Cluster?").text


@pytest.mark.parametrize("data", [
    "echo:count:²:up", "echo:count:99999999999999999999999:up", "echo:count:3:sideways",
    "echo:count:3", "echo:count:3:up:extra", "echo:nothing:1", "echo:", "echo", "nope:count:1",
    "", ":::", "echo:count:-1:up",
])
def test_forged_or_malformed_button_data_changes_nothing(echo_services: Services,
                                                         data: str) -> None:
    reply = press_button(echo_services, actor(echo_services, role=Role.MANAGER), data)
    assert reply.notice_only and reply.notice
    assert PRESSED == []


def test_a_button_needing_a_higher_role_is_refused(echo_services: Services) -> None:
    data = ACTIONS.data("secret")
    refused = press_button(echo_services, actor(echo_services, role=Role.MEMBER), data)
    assert refused.notice_only and "Manager" in refused.notice
    assert press_button(echo_services, actor(echo_services, 42, role=Role.MANAGER),
                        data).text == "the secret"


def test_commands_check_role_and_chat_type(echo_services: Services) -> None:
    visitor = actor(echo_services)
    assert "Manager" in run_command(echo_services, visitor, "echo_admin", "").text
    member = actor(echo_services, role=Role.MEMBER)
    in_group = replace(member, is_private_chat=False)
    assert "privat" in run_command(echo_services, in_group, "echo", "").text
    assert "/nosuch" in run_command(echo_services, visitor, "nosuch", "").text


def test_someone_who_lost_the_role_cannot_go_on_with_a_dialog(echo_services: Services) -> None:
    member = actor(echo_services, role=Role.MEMBER)
    run_command(echo_services, member, "echo", "")
    demoted = actor(echo_services)  # stored role: visitor
    reply = handle_text(echo_services, demoted, "eins")
    assert "Mitglieder" in reply.text
    assert dialogs.current(echo_services, demoted) is None


def test_a_dialog_survives_a_restart(echo_services: Services) -> None:
    member = actor(echo_services, role=Role.MEMBER)
    run_command(echo_services, member, "echo", "")
    handle_text(echo_services, member, "eins")
    restarted = build_services(echo_services.settings, _registry())
    try:
        again = actor(restarted, role=Role.MEMBER)
        assert handle_text(restarted, again, "zwei").text == "done: eins / zwei"
    finally:
        restarted.close()


def test_cancel_ends_the_dialog(echo_services: Services) -> None:
    member = actor(echo_services, role=Role.MEMBER)
    run_command(echo_services, member, "echo", "")
    assert "Abgebrochen" in run_command(echo_services, member, "cancel", "").text
    assert dialogs.current(echo_services, member) is None
    assert "kein Dialog" in run_command(echo_services, member, "cancel", "").text


def test_another_command_says_that_the_dialog_is_still_open(echo_services: Services) -> None:
    member = actor(echo_services, role=Role.MEMBER)
    still_open = t("de", "dialog_still_open")
    run_command(echo_services, member, "echo", "")
    assert still_open in run_command(echo_services, member, "help", "").text
    # a command that starts the dialog anew says nothing of an old one
    assert run_command(echo_services, member, "echo", "").text == "first?"
    assert still_open not in run_command(echo_services, member, "cancel", "").text
    assert still_open not in run_command(echo_services, member, "help", "").text


def test_a_dialog_of_a_removed_feature_is_dropped(services: Services) -> None:
    user = actor(services)
    dialogs.begin(services, user, "gone", "first")
    assert "räumliche Konzentration" in handle_text(services, user, "Was ist ein Cluster").text
    assert dialogs.current(services, user) is None


def test_digest_lines_come_from_every_feature_and_a_broken_one_is_left_out(
        echo_services: Services) -> None:
    at = datetime(2027, 3, 1, 9, tzinfo=UTC)
    lines = echo_services.registry.digest_lines(echo_services, "en", at)
    assert "echo en 2027-03-01" in lines


def test_help_lists_the_fake_features_commands_by_role(echo_services: Services) -> None:
    visitor_help = run_command(echo_services, actor(echo_services), "help", "").text
    manager_help = run_command(echo_services, actor(echo_services, 42, role=Role.MANAGER),
                               "help", "").text
    assert "/echo " in visitor_help and "/echo_admin" not in visitor_help
    assert "/echo_admin" in manager_help


def test_two_features_with_the_same_command_are_refused() -> None:
    twin = Feature(name="twin", commands=(Command("echo", Role.VISITOR, _echo_start),))
    with pytest.raises(ValueError, match="command"):
        Registry([ECHO, twin])


def test_a_button_too_long_for_telegram_cannot_be_made() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        ACTIONS.data("count", "9" * 70, "up")

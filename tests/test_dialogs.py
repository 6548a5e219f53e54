"""Guided dialogs keep their step in the database; /cancel and restarts behave."""

from __future__ import annotations

import pytest

from core import dialogs
from core.actor import Actor
from core.commands import DIALOGS, run_command
from core.dialogs import DialogState, handle_text
from core.reply import Reply
from core.services import Services, build_services
from tests.conftest import actor


def _echo_dialog(services: Services, who: Actor, state: DialogState, text: str) -> Reply:
    answers = [*state.data.get("answers", []), text]
    if len(answers) == 2:
        dialogs.finish(services, who)
        return Reply("done: " + " / ".join(answers))
    dialogs.advance(services, who, "echo", "second", {"answers": answers})
    return Reply("next")


@pytest.fixture
def echo_dialog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(DIALOGS, "echo", _echo_dialog)


@pytest.mark.usefixtures("echo_dialog")
def test_free_text_goes_to_the_open_dialog_then_back_to_questions(services: Services) -> None:
    user = actor(services)
    dialogs.begin(services, user, "echo", "first")
    assert handle_text(services, user, "Was ist ein Cluster?").text == "next"
    assert handle_text(services, user, "zwei").text == "done: Was ist ein Cluster? / zwei"
    assert "räumliche Konzentration" in handle_text(services, user, "Was ist ein Cluster?").text


@pytest.mark.usefixtures("echo_dialog")
def test_dialog_survives_a_restart(services: Services) -> None:
    user = actor(services)
    dialogs.begin(services, user, "echo", "first")
    handle_text(services, user, "eins")
    restarted = build_services(services.settings)
    try:
        assert handle_text(restarted, actor(restarted), "zwei").text == "done: eins / zwei"
    finally:
        restarted.close()


@pytest.mark.usefixtures("echo_dialog")
def test_cancel_ends_the_dialog(services: Services) -> None:
    user = actor(services)
    dialogs.begin(services, user, "echo", "first")
    assert "Abgebrochen" in run_command(services, user, "cancel", "").text
    assert dialogs.current(services, user) is None
    assert "kein Dialog" in run_command(services, user, "cancel", "").text


def test_dialog_of_a_removed_feature_is_dropped(services: Services) -> None:
    user = actor(services)
    dialogs.begin(services, user, "gone", "first")
    assert "räumliche Konzentration" in handle_text(services, user, "Was ist ein Cluster").text
    assert dialogs.current(services, user) is None

"""The self-check through the core as every transport drives it: commands, button data,
typed digits, the console; results per member, the managers' summary and privacy."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.console import ConsoleChat
from core import dialogs
from core.actor import Role
from core.i18n import t
from core.pitfalls.content import load_content
from core.questions import ask
from core.router import handle_text, press_button, run_command
from core.services import Services
from storage.clock import utcnow
from storage.engine import session_scope
from storage.pitfalls.tables import SelfCheckResult
from tests.conftest import actor, start_services
from tests.pitfalls.support import SELFCHECK, START, answer, answer_all, values_for

TOTAL = len(load_content().statements)
BACK, CANCEL = SELFCHECK.data("back"), SELFCHECK.data("cancel")


def results(services: Services) -> list[SelfCheckResult]:
    with session_scope(services.engine) as session:
        return list(session.exec(select(SelfCheckResult)).all())


def test_selfcheck_asks_each_statement_with_progress_and_a_five_step_scale(
        services: Services) -> None:
    user = actor(services, language_code="en")
    first = run_command(services, user, "selfcheck", "")
    assert f"1/{TOTAL}" in first.text and load_content().statements[0].text["en"] in first.text
    data = [c.data for c in first.flat_choices]
    assert data == [answer(0, v) for v in range(1, 6)] + [CANCEL]
    assert [c.label for c in first.flat_choices] == [
        *(t("en", f"pitfalls_scale_{v}") for v in range(1, 6)), t("en", "pitfalls_button_cancel")]
    second = press_button(services, user, answer(0, 4))
    assert second.edit and f"2/{TOTAL}" in second.text
    assert BACK in [c.data for c in second.flat_choices]


def test_full_selfcheck_stores_the_result_and_explains_the_worst_pitfall(
        services: Services) -> None:
    user = actor(services, language_code="en")
    result = answer_all(services, user, values_for("unbalanced_funding"))
    assert result.edit
    funding = load_content().pitfall("unbalanced_funding")
    assert f"🔴 {funding.title['en']}: <b>0</b>/100" in result.text
    assert funding.advice["en"][0] in result.text
    assert load_content().pitfall("lack_of_openness").advice["en"][0] not in result.text
    assert t("en", "pitfalls_first_time") in result.text
    assert [a.kind for a in result.attachments] == ["photo"]
    assert result.attachments[0].content.startswith(b"\x89PNG")
    assert f"kb:topic:{funding.entry}:en" in [c.data for c in result.flat_choices]
    stored = results(services)
    assert len(stored) == 1 and stored[0].telegram_id == user.user_id
    assert stored[0].scores["unbalanced_funding"] == 0 and len(stored[0].answers) == TOTAL
    assert dialogs.current(services, user) is None


def test_taking_it_again_shows_the_change_since_last_time(services: Services) -> None:
    user = actor(services, language_code="en")
    answer_all(services, user, values_for("missing_monitoring"))
    with session_scope(services.engine) as session:  # the first one was a month ago
        row = session.exec(select(SelfCheckResult)).one()
        row.taken_at = utcnow() - timedelta(days=30)
        session.add(row)
    again = answer_all(services, user, values_for("lack_of_openness"))
    monitoring = load_content().pitfall("missing_monitoring").title["en"]
    openness = load_content().pitfall("lack_of_openness").title["en"]
    assert f"{monitoring}: <b>100</b>/100 (+100)" in again.text
    assert f"{openness}: <b>0</b>/100 (-100)" in again.text
    assert "since your last self-check on" in again.text
    assert len(results(services)) == 2


def test_back_returns_to_the_previous_statement_and_shows_the_answer_given(
        services: Services) -> None:
    user = actor(services, language_code="en")
    run_command(services, user, "selfcheck", "")
    press_button(services, user, answer(0, 2))
    back = press_button(services, user, BACK)
    assert back.edit and f"1/{TOTAL}" in back.text
    assert t("en", "pitfalls_scale_2") in back.text
    first_again = press_button(services, user, BACK)
    assert first_again.notice == t("en", "pitfalls_back_first")
    press_button(services, user, answer(0, 5))
    state = dialogs.current(services, user)
    assert state is not None and state.data["index"] == 1
    assert state.data["answers"] == {load_content().statements[0].id: 5}


def test_cancel_ends_the_selfcheck_without_saving(services: Services) -> None:
    user = actor(services, language_code="en")
    run_command(services, user, "selfcheck", "")
    press_button(services, user, answer(0, 3))
    cancelled = press_button(services, user, CANCEL)
    assert cancelled.edit and cancelled.text == t("en", "pitfalls_cancelled")
    assert dialogs.current(services, user) is None and results(services) == []
    again = press_button(services, user, answer(1, 3))
    assert again.notice == t("en", "pitfalls_stale_none") and not again.edit


STALE = [answer(0, 3), answer(5, 3)]  # an earlier statement's button, a later one


@pytest.mark.parametrize("data", [
    *STALE,
    "selfcheck:answer:2:9",  # not on the scale
    "selfcheck:answer:2:0",
    "selfcheck:answer:2:x",
    "selfcheck:answer:-1:3",
    "selfcheck:answer:99999999999:3",
    "selfcheck:answer:2:³",
    "selfcheck:answer:2",
    "selfcheck:answer:2:3:4",
    "selfcheck:back:1",
    "selfcheck:a:2:3",  # the data of an older version of the bot
    "selfcheck:explode",
    "selfcheck:",
    "selfcheck",
])
def test_stale_or_forged_answer_changes_nothing_and_says_why(services: Services,
                                                             data: str) -> None:
    user = actor(services, language_code="en")
    run_command(services, user, "selfcheck", "")
    press_button(services, user, answer(0, 3))
    press_button(services, user, answer(1, 3))
    before = dialogs.current(services, user)
    reply = press_button(services, user, data)
    assert reply.notice_only and reply.notice and not reply.edit and not reply.attachments
    if data in STALE:
        assert reply.notice == t("en", "pitfalls_stale_question", number=3)
    else:
        assert reply.notice == t("en", "stale_button")
    assert dialogs.current(services, user) == before
    assert results(services) == []


def test_answer_button_without_an_open_selfcheck_says_so(services: Services) -> None:
    user = actor(services, language_code="de")
    reply = press_button(services, user, answer(0, 5))
    assert reply.notice == t("de", "pitfalls_stale_none")
    assert press_button(services, user, BACK).notice == t("de", "pitfalls_stale_none")
    assert press_button(services, user, CANCEL).notice == t("de", "pitfalls_stale_none")
    assert results(services) == []


def test_another_users_button_press_does_not_touch_my_selfcheck(services: Services) -> None:
    me, other = actor(services, 7), actor(services, 8)
    run_command(services, me, "selfcheck", "")
    assert press_button(services, other, answer(0, 5)).notice == t("de",
                                                                     "pitfalls_stale_none")
    state = dialogs.current(services, me)
    assert state is not None and state.data == {"index": 0, "answers": {}}


def test_typed_digit_answers_and_other_text_asks_again(services: Services) -> None:
    user = actor(services, language_code="en")
    run_command(services, user, "selfcheck", "")
    typed = handle_text(services, user, "4")
    assert f"2/{TOTAL}" in typed.text and not typed.edit
    confused = handle_text(services, user, "What is a cluster?")
    assert confused.text.startswith(t("en", "pitfalls_tap_a_button"))
    assert f"2/{TOTAL}" in confused.text


def test_selfcheck_survives_a_restart(services: Services) -> None:
    user = actor(services)
    run_command(services, user, "selfcheck", "")
    for index in range(3):
        press_button(services, user, answer(index, 4))
    restarted = start_services(services.settings)
    try:
        reply = press_button(restarted, actor(restarted), answer(3, 4))
        assert f"5/{TOTAL}" in reply.text
    finally:
        restarted.close()


def test_selfcheck_is_refused_in_groups(services: Services) -> None:
    group_user = replace(actor(services), is_private_chat=False)
    assert run_command(services, group_user, "selfcheck", "").text == t(
        "de", "private_only", command="selfcheck")
    offered = press_button(services, group_user, START)
    assert offered.notice == t("de", "pitfalls_private_only")
    assert dialogs.current(services, group_user) is None


def test_answer_about_a_pitfall_offers_the_selfcheck(services: Services) -> None:
    user = actor(services, language_code="en")
    reply = ask(services, user, "What is an unbalanced funding concept?")
    assert "unbalanced funding" in reply.text.lower()
    assert START in [c.data for c in reply.flat_choices]
    started = press_button(services, user, START)
    assert f"1/{TOTAL}" in started.text
    other = ask(services, user, "What is a cluster?")
    assert START not in [c.data for c in other.flat_choices]


def test_console_selfcheck_by_numbers(services: Services, tmp_path: Path) -> None:
    values = values_for("quantity_over_quality")
    output = io.StringIO()
    lines = ["/selfcheck", *[str(v) for v in values]]  # [1]..[5] are the scale's steps
    ConsoleChat(services, role=Role.MEMBER, output=output,
                download_dir=tmp_path / "downloads").run(io.StringIO("\n".join(lines) + "\n"))
    transcript = output.getvalue()
    assert f"Aussage {TOTAL}/{TOTAL}" in transcript
    assert "[1] 1 · trifft gar nicht zu" in transcript
    title = load_content().pitfall("quantity_over_quality").title["de"]
    assert f"🔴 {title}: 0/100" in transcript
    assert "selfcheck.png" in transcript and (tmp_path / "downloads/selfcheck.png").exists()
    assert [r.scores["quantity_over_quality"] for r in results(services)] == [0]


def test_intro_counts_the_statements(services: Services) -> None:
    first = run_command(services, actor(services, language_code="en"), "selfcheck", "")
    assert f"{TOTAL} statements, one tap each" in first.text


def test_typing_a_superscript_digit_in_the_self_check_asks_again(services: Services) -> None:
    visitor = actor(services, 5, language_code="en")
    run_command(services, visitor, "selfcheck", "")
    reply = handle_text(services, visitor, "²")
    assert reply.text.startswith(t("en", "pitfalls_tap_a_button")) and f"1/{TOTAL}" in reply.text

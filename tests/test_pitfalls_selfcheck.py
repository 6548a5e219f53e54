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
from core.actor import Actor, Role
from core.commands import press_button, run_command
from core.dialogs import handle_text
from core.i18n import t
from core.pitfalls.content import PITFALL_IDS, load_content
from core.pitfalls.summary import MIN_MEMBERS_FOR_SUMMARY
from core.questions import ask
from core.reply import Reply
from core.services import Services, build_services
from storage.engine import session_scope
from storage.models import utcnow
from storage.pitfall_data import (
    Funding,
    SelfCheckResult,
    add_result,
    forget_member,
    member_data,
    save_funding,
)
from tests.conftest import actor
from tests.test_pitfalls_scoring import answers_making_worst

TOTAL = len(load_content().statements)


def answer_all(services: Services, who: Actor, values: list[int]) -> Reply:
    """Start the self-check and press the answer buttons as shown, one after another."""
    reply = run_command(services, who, "selfcheck", "")
    for index, value in enumerate(values):
        data = f"selfcheck:a:{index}:{value}"
        assert data in [c.data for c in reply.flat_choices], reply.flat_choices
        reply = press_button(services, who, data)
    return reply


def values_for(weak: str) -> list[int]:
    content = load_content()
    answers = answers_making_worst(content, weak)
    return [answers[s.id] for s in content.statements]


def results(services: Services) -> list[SelfCheckResult]:
    with session_scope(services.engine) as session:
        return list(session.exec(select(SelfCheckResult)).all())


def test_selfcheck_asks_each_statement_with_progress_and_a_five_step_scale(
        services: Services) -> None:
    user = actor(services, language_code="en")
    first = run_command(services, user, "selfcheck", "")
    assert f"1/{TOTAL}" in first.text and load_content().statements[0].text["en"] in first.text
    data = [c.data for c in first.flat_choices]
    assert data == [f"selfcheck:a:0:{v}" for v in range(1, 6)] + ["selfcheck:cancel"]
    second = press_button(services, user, "selfcheck:a:0:4")
    assert second.edit and f"2/{TOTAL}" in second.text
    assert "selfcheck:back" in [c.data for c in second.flat_choices]


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
    press_button(services, user, "selfcheck:a:0:2")
    back = press_button(services, user, "selfcheck:back")
    assert back.edit and f"1/{TOTAL}" in back.text
    assert t("en", "pitfalls_scale_2") in back.text
    first_again = press_button(services, user, "selfcheck:back")
    assert first_again.notice == t("en", "pitfalls_back_first")
    press_button(services, user, "selfcheck:a:0:5")
    state = dialogs.current(services, user)
    assert state is not None and state.data["index"] == 1
    assert state.data["answers"] == {load_content().statements[0].id: 5}


def test_cancel_ends_the_selfcheck_without_saving(services: Services) -> None:
    user = actor(services, language_code="en")
    run_command(services, user, "selfcheck", "")
    press_button(services, user, "selfcheck:a:0:3")
    cancelled = press_button(services, user, "selfcheck:cancel")
    assert cancelled.edit and cancelled.text == t("en", "pitfalls_cancelled")
    assert dialogs.current(services, user) is None and results(services) == []
    again = press_button(services, user, "selfcheck:a:1:3")
    assert again.notice == t("en", "pitfalls_stale_none") and not again.edit


@pytest.mark.parametrize("data", [
    "selfcheck:a:0:3",  # an earlier statement's button
    "selfcheck:a:5:3",  # a later one
    "selfcheck:a:2:9",  # not on the scale
    "selfcheck:a:2:x",
    "selfcheck:a:2",
    "selfcheck:a:2:3:4",
    "selfcheck:explode",
])
def test_stale_or_forged_answer_changes_nothing_and_says_why(services: Services,
                                                             data: str) -> None:
    user = actor(services, language_code="en")
    run_command(services, user, "selfcheck", "")
    press_button(services, user, "selfcheck:a:0:3")
    press_button(services, user, "selfcheck:a:1:3")
    before = dialogs.current(services, user)
    reply = press_button(services, user, data)
    assert reply.notice_only and reply.notice and not reply.edit and not reply.attachments
    if data in ("selfcheck:a:0:3", "selfcheck:a:5:3"):
        assert reply.notice == t("en", "pitfalls_stale_question", number=3)
    assert dialogs.current(services, user) == before


def test_answer_button_without_an_open_selfcheck_says_so(services: Services) -> None:
    user = actor(services, language_code="de")
    reply = press_button(services, user, "selfcheck:a:0:5")
    assert reply.notice == t("de", "pitfalls_stale_none")
    assert press_button(services, user, "selfcheck:back").notice == t("de",
                                                                       "pitfalls_stale_none")
    assert results(services) == []


def test_another_users_button_press_does_not_touch_my_selfcheck(services: Services) -> None:
    me, other = actor(services, 7), actor(services, 8)
    run_command(services, me, "selfcheck", "")
    assert press_button(services, other, "selfcheck:a:0:5").notice == t("de",
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
        press_button(services, user, f"selfcheck:a:{index}:4")
    restarted = build_services(services.settings)
    try:
        reply = press_button(restarted, actor(restarted), "selfcheck:a:3:4")
        assert f"5/{TOTAL}" in reply.text
    finally:
        restarted.close()


def test_selfcheck_is_refused_in_groups(services: Services) -> None:
    group_user = replace(actor(services), is_private_chat=False)
    assert run_command(services, group_user, "selfcheck", "").text == t(
        "de", "private_only", command="selfcheck")
    offered = press_button(services, group_user, "selfcheck:start")
    assert offered.notice == t("de", "pitfalls_private_only")
    assert dialogs.current(services, group_user) is None


def test_answer_about_a_pitfall_offers_the_selfcheck(services: Services) -> None:
    user = actor(services, language_code="en")
    answer = ask(services, user, "What is an unbalanced funding concept?")
    assert "unbalanced funding" in answer.text.lower()
    assert "selfcheck:start" in [c.data for c in answer.flat_choices]
    started = press_button(services, user, "selfcheck:start")
    assert f"1/{TOTAL}" in started.text
    other = ask(services, user, "What is a cluster?")
    assert "selfcheck:start" not in [c.data for c in other.flat_choices]


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


# ------------------------------------------------------------------------------ summary
def test_summary_is_hidden_below_three_members(services: Services) -> None:
    manager = actor(services, 42)
    for user_id in (101, 102):
        answer_all(services, actor(services, user_id, role=Role.MEMBER), values_for(
            "lack_of_openness"))
    reply = run_command(services, manager, "selfcheck_summary", "")
    assert reply.text == t("de", "pitfalls_summary_too_few", count=2,
                           minimum=MIN_MEMBERS_FOR_SUMMARY)
    assert not reply.attachments and "/100" not in reply.text


def test_summary_averages_members_latest_results_never_per_person(services: Services) -> None:
    manager = actor(services, 42, language_code="en")
    answer_all(services, actor(services, 101, role=Role.MEMBER), values_for(
        "missing_monitoring"))  # replaced by this member's newer result below
    for user_id in (101, 102, 103):
        answer_all(services, actor(services, user_id, role=Role.MEMBER),
                   values_for("unbalanced_funding"))
    answer_all(services, actor(services, 104), values_for("lack_of_openness"))  # a visitor
    reply = run_command(services, manager, "selfcheck_summary", "")
    funding = load_content().pitfall("unbalanced_funding").title["en"]
    openness = load_content().pitfall("lack_of_openness").title["en"]
    assert "latest results of 3 members" in reply.text
    assert f"{funding}: <b>0</b>/100" in reply.text and f"{openness}: <b>100</b>/100" in reply.text
    for user_id in (101, 102, 103, 104):
        assert f"User {user_id}" not in reply.text and str(user_id) not in reply.text
    assert reply.attachments and reply.attachments[0].content.startswith(b"\x89PNG")


def test_summary_is_rounded_so_one_more_answer_does_not_reveal_it(services: Services) -> None:
    manager = actor(services, 42, language_code="en")
    with session_scope(services.engine) as session:
        for user_id, score in ((101, 10), (102, 11), (103, 14)):
            add_result(session=session, telegram_id=user_id, role="member",
                       scores=dict.fromkeys(PITFALL_IDS, score), answers={})
    text = run_command(services, manager, "selfcheck_summary", "").text
    assert "<b>10</b>/100" in text and "<b>12</b>/100" not in text  # mean 11.67 -> 10
    with session_scope(services.engine) as session:
        add_result(session=session, telegram_id=104, role="member",
                   scores=dict.fromkeys(PITFALL_IDS, 20), answers={})
    assert "<b>15</b>/100" in run_command(services, manager, "selfcheck_summary", "").text


def test_summary_is_for_managers_only(services: Services) -> None:
    refused = run_command(services, actor(services, 101, role=Role.MEMBER),
                          "selfcheck_summary", "")
    assert refused.text == t("de", "not_allowed_manager", command="selfcheck_summary")


# ------------------------------------------------------------------------------ privacy
def test_member_data_lists_own_results_and_forget_deletes_them_but_not_funding(
        services: Services) -> None:
    answer_all(services, actor(services, 101), values_for("lack_of_openness"))
    answer_all(services, actor(services, 102), values_for("lack_of_openness"))
    with session_scope(services.engine) as session:
        save_funding(session=session, year=2024, membership_fees=1, public_funding=2,
                     services=3, projects=4, updated_by=101)
    with session_scope(services.engine) as session:
        mine = member_data(session=session, telegram_id=101)
    assert len(mine["selfcheck_results"]) == 1
    assert set(mine["selfcheck_results"][0]["scores"]) == set(PITFALL_IDS)
    with session_scope(services.engine) as session:
        forget_member(session=session, telegram_id=101, successor_telegram_id=42)
    with session_scope(services.engine) as session:
        assert member_data(session=session, telegram_id=101) == {"selfcheck_results": []}
        assert len(member_data(session=session, telegram_id=102)["selfcheck_results"]) == 1
        record = session.exec(select(Funding)).one()
        assert (record.year, record.total, record.updated_by) == (2024, 10, None)

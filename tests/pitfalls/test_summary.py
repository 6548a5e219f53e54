"""The managers' self-check summary (never per person, rounded, from three members on) and
the privacy of self-check results."""

from __future__ import annotations

from sqlmodel import select

from core.actor import Role
from core.i18n import t
from core.pitfalls.content import PITFALL_IDS, load_content
from core.pitfalls.summary import MIN_MEMBERS_FOR_SUMMARY
from core.router import run_command
from core.services import Services
from storage.engine import session_scope
from storage.pitfalls.funding import save_funding
from storage.pitfalls.privacy import forget_member, member_data
from storage.pitfalls.selfcheck import add_result
from storage.pitfalls.tables import Funding
from tests.conftest import actor
from tests.pitfalls.support import answer_all, values_for


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


def test_privacy_hooks_export_and_forget_the_selfcheck_results_not_funding(
        services: Services) -> None:
    answer_all(services, actor(services, 101), values_for("lack_of_openness"))
    with session_scope(services.engine) as session:
        save_funding(session=session, year=2024, membership_fees=1, public_funding=2,
                     services=3, projects=4, updated_by=101)
    with session_scope(services.engine) as session:
        exported = services.registry.export_person(session, 101)
    assert len(exported["pitfalls"]["selfcheck_results"]) == 1
    with session_scope(services.engine) as session:
        services.registry.forget_person(session, 101, 42)
    with session_scope(services.engine) as session:
        assert services.registry.export_person(session, 101)["pitfalls"] == {
            "selfcheck_results": []}
        record = session.exec(select(Funding)).one()
        assert (record.year, record.total, record.updated_by) == (2024, 10, None)


def test_summary_counts_one_member_in_the_singular(services: Services) -> None:
    answer_all(services, actor(services, 101, role=Role.MEMBER), values_for("lack_of_openness"))
    english = run_command(services, actor(services, 42, language_code="en"),
                          "selfcheck_summary", "")
    assert english.text.startswith("So far 1 member has taken the self-check.")
    german = t("de", "pitfalls_summary_too_few", count=1, minimum=MIN_MEMBERS_FOR_SUMMARY)
    assert german.startswith("Bisher hat 1 Mitglied den Selbstcheck gemacht.")
    assert t("de", "pitfalls_summary_too_few", count=2, minimum=3).startswith(
        "Bisher haben 2 Mitglieder")

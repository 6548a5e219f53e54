"""Forget-me and the data export cover the teaching feature (#12): questions asked,
answers with their 👍/👎, forwarded questions; a demoted manager's open dialog stops."""

from __future__ import annotations

from sqlmodel import select

from core.actor import Role
from core.router import handle_text, press_button, run_command
from core.services import Services
from storage.engine import session_scope
from storage.questions.tables import (
    AnsweredQuestion,
    ClusterEntry,
    ForwardedQuestion,
    UnansweredQuestion,
)
from tests.questions.support import (
    MANAGER,
    OFFICE_HOURS,
    PARKING,
    data_with,
    person,
)


def _ask_vote_forward(services: Services, user_id: int) -> None:
    member = person(services, user_id)
    answer = handle_text(services, member, "Was ist ein Cluster?")
    press_button(services, member, data_with(answer, ":up"))
    handle_text(services, member, PARKING)
    missed = handle_text(services, member, OFFICE_HOURS)
    consent = press_button(services, member, data_with(missed, "kb:forward:"))
    press_button(services, member, data_with(consent, "kb:forward_yes:"))


def test_export_includes_questions_feedback_and_forwarded_questions(services: Services) -> None:
    _ask_vote_forward(services, 7)
    with session_scope(services.engine) as session:
        data = services.registry.export_person(session, 7)["questions"]
    assert [q["text"] for q in data["unanswered_questions"]] == [PARKING, OFFICE_HOURS]
    assert data["answered_questions"] == [{**data["answered_questions"][0],
                                           "text": "Was ist ein Cluster?",
                                           "answered_with": "what_is_a_cluster",
                                           "feedback": "helpful"}]
    assert [q["text"] for q in data["forwarded_questions"]] == [OFFICE_HOURS]


def test_forget_me_removes_them_and_keeps_other_peoples(services: Services) -> None:
    _ask_vote_forward(services, 7)
    _ask_vote_forward(services, 8)
    with session_scope(services.engine) as session:
        services.registry.forget_person(session, 7, None)
    with session_scope(services.engine) as session:
        for table in (UnansweredQuestion, AnsweredQuestion, ForwardedQuestion):
            owners = {row.telegram_id for row in session.exec(select(table)).all()}
            assert owners == {8}, table.__name__


def test_forgotten_manager_is_no_longer_named_on_entries(services: Services) -> None:
    manager = person(services, 77, Role.MANAGER)
    press_button(services, manager, "teach:new")
    handle_text(services, manager, "Öffnungszeiten")
    handle_text(services, manager, "Montags bis freitags von 9 bis 16 Uhr.")
    press_button(services, manager, "teach:skip")
    press_button(services, manager, "teach:chapter:cluster")
    with session_scope(services.engine) as session:
        services.registry.forget_person(session, 77, None)
    with session_scope(services.engine) as session:
        entries = session.exec(select(ClusterEntry)).all()
    assert [(e.content["title"], e.created_by) for e in entries] == [({"de": "Öffnungszeiten"},
                                                                      None)]


def test_a_manager_demoted_mid_dialog_cannot_finish_the_entry(services: Services) -> None:
    manager = person(services, 77, Role.MANAGER)  # promoted, not in MANAGER_IDS
    press_button(services, manager, "teach:new")
    handle_text(services, manager, "Öffnungszeiten")
    demoted = person(services, 77, Role.MEMBER)
    refused = handle_text(services, demoted, "Montags bis freitags von 9 bis 16 Uhr.")
    assert "nur für Cluster-Manager" in refused.text
    assert press_button(services, demoted, "teach:chapter:cluster").notice_only
    lister = person(services, MANAGER, Role.MANAGER)
    assert "(0 Einträge)" in run_command(services, lister, "kb", "").text

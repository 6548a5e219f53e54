"""The question feature through the transport-free core, as any transport would call it."""

from __future__ import annotations

from sqlmodel import select

from core.actor import Role
from core.i18n import t
from core.questions import ask
from core.router import press_button, run_command
from core.services import Services
from storage.engine import session_scope
from storage.questions.tables import UnansweredQuestion
from tests.conftest import actor


def _unanswered(services: Services) -> list[UnansweredQuestion]:
    with session_scope(services.engine) as session:
        return list(session.exec(select(UnansweredQuestion)).all())


def test_german_question_gets_german_answer_with_related_buttons(services: Services) -> None:
    reply = ask(services, actor(services, language_code="en"), "Was ist ein Cluster?")
    assert "räumliche Konzentration" in reply.text
    topics = [c for c in reply.flat_choices if not c.data.startswith("kb:vote:")]
    assert topics and all(c.data.startswith("kb:topic:") for c in topics)
    assert all(c.data.endswith(":de") for c in topics)
    assert [c.label for c in reply.flat_choices[-2:]] == ["👍", "👎"]  # feedback (#12)


def test_english_question_gets_english_answer_even_for_german_member(services: Services) -> None:
    reply = ask(services, actor(services, language_code="de"), "what is the difference "
                "between a cluster and a network")
    assert "network" in reply.text.lower() and "Netzwerk" not in reply.text


def test_out_of_scope_question_is_logged_and_gets_no_answer(services: Services) -> None:
    reply = ask(services, actor(services), "Wie backe ich einen Apfelkuchen?")
    assert "nicht sicher" in reply.text
    logged = _unanswered(services)
    assert [row.text for row in logged] == ["Wie backe ich einen Apfelkuchen?"]
    assert logged[0].telegram_id == 7


def test_a_visitor_asking_how_to_join_is_pointed_to_the_join_request(
        services: Services) -> None:
    reply = ask(services, actor(services, role=Role.VISITOR), "Wie kann ich Mitglied werden?")
    assert "nicht sicher" in reply.text and t("de", "not_sure_join") in reply.text
    assert [row.text for row in _unanswered(services)] == ["Wie kann ich Mitglied werden?"]
    english = ask(services, actor(services, 8, language_code="en", role=Role.VISITOR),
                  "How do I become a member?")
    assert t("en", "not_sure_join") in english.text
    member = ask(services, actor(services, 9, role=Role.MEMBER), "Wie werde ich Mitglied?")
    assert t("de", "not_sure_join") not in member.text  # already one


def test_a_fact_of_this_cluster_is_passed_on_without_talk_topics(services: Services) -> None:
    # the talk's topics answer no question about the office's hours: none are offered, and
    # the member can hand the question to the managers at once
    reply = ask(services, actor(services, role=Role.MEMBER), "Wie sind eure Öffnungszeiten?")
    assert "nicht sicher" in reply.text and t("de", "not_sure_ours") in reply.text
    assert not any(c.data.startswith("kb:topic:") for c in reply.flat_choices)
    assert any(":forward:" in c.data for c in reply.flat_choices)
    english = ask(services, actor(services, 8, language_code="en"), "What does membership cost?")
    assert t("en", "not_sure_ours") in english.text
    assert [row.text for row in _unanswered(services)] == [
        "Wie sind eure Öffnungszeiten?", "What does membership cost?"]


def test_low_confidence_offers_at_most_three_topic_buttons(services: Services) -> None:
    reply = ask(services, actor(services, language_code="en"), "what is a kubernetes cluster")
    assert "not sure" in reply.text
    assert 1 <= len(reply.flat_choices) <= 3
    pressed = press_button(services, actor(services), reply.flat_choices[0].data)
    assert pressed.text.startswith("<b>") and "cluster" in pressed.text.lower()


def test_user_text_is_escaped_in_replies(services: Services) -> None:
    reply = ask(services, actor(services), "<script>alert(1)</script> & <b>Wetter</b>?")
    assert "<script>" not in reply.text and "&lt;script&gt;" in reply.text
    assert "&amp;" in reply.text


def test_empty_emoji_and_greeting_get_a_hint_and_are_not_logged(services: Services) -> None:
    for text in ["", "   ", "😀🚀🎉", "hallo", "?!"]:
        reply = ask(services, actor(services), text)
        assert reply.text and "nicht sicher" not in reply.text
    assert _unanswered(services) == []


def test_huge_message_is_refused_and_nothing_stored(services: Services) -> None:
    reply = ask(services, actor(services), "Cluster " * 700)
    assert "zu lang" in reply.text and "5.599 Zeichen" in reply.text
    assert _unanswered(services) == []


def test_unanswered_is_for_managers_only(services: Services) -> None:
    ask(services, actor(services), "Wie wird das Wetter morgen?")
    member_reply = run_command(services, actor(services, 8), "unanswered", "")
    assert "nur für Cluster-Manager" in member_reply.text
    manager_reply = run_command(services, actor(services, 42), "unanswered", "")
    assert "Wetter morgen" in manager_reply.text and "(1×)" in manager_reply.text


def test_repeated_unanswered_questions_are_counted(services: Services) -> None:
    for _ in range(3):
        ask(services, actor(services), "Was kostet ein Parkplatz?")
    reply = run_command(services, actor(services, 1, role=Role.MANAGER), "unanswered", "")
    assert "(3×)" in reply.text


def test_forged_and_stale_buttons_change_nothing(services: Services) -> None:
    user = actor(services)
    for data in ["kb:topic:does_not_exist", "kb:delete:all", "nope:x", "", "kb:", "lang:set:fr",
                 "kb:chapter:unknown", "x" * 64]:
        reply = press_button(services, user, data)
        assert reply.notice, data
    assert actor(services).language == "de"


def test_topic_browser_walks_chapters_to_an_answer(services: Services) -> None:
    user = actor(services, language_code="en")
    chapters = run_command(services, user, "topics", "")
    assert len(chapters.flat_choices) == len(services.knowledge.chapters)
    chapter = press_button(services, user, chapters.flat_choices[0].data)
    assert chapter.edit and chapter.flat_choices[-1].data.startswith("kb:chapters")
    answer = press_button(services, user, chapter.flat_choices[0].data)
    assert answer.text.startswith("<b>")


def test_language_command_switches_and_rejects_unknown_language(services: Services) -> None:
    user = actor(services)
    refused = run_command(services, user, "language", "fr")
    assert "/language de" in refused.text and len(refused.flat_choices) == 2
    assert actor(services).language == "de"
    run_command(services, user, "language", "en")
    assert actor(services).language == "en"
    assert "Welcome" in run_command(services, actor(services), "start", "").text


def test_help_lists_commands_by_role(services: Services) -> None:
    visitor_help = run_command(services, actor(services), "help", "").text
    manager_help = run_command(services, actor(services, 42), "help", "").text
    assert "/unanswered" not in visitor_help and "/topics" in visitor_help
    assert "/unanswered" in manager_help


def test_unknown_command_points_to_help(services: Services) -> None:
    reply = run_command(services, actor(services), "frobnicate<b>", "")
    assert "/help" in reply.text and "&lt;b&gt;" in reply.text

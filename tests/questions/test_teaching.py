"""Managers teach the bot (#12), through the transport-free core: the review queue, new
cluster entries, taught phrasings, dismiss and undo, feedback, hiding, forwarding."""

from __future__ import annotations

from sqlmodel import select

from core.actor import Role
from core.i18n import t
from core.router import handle_text, press_button, run_command
from core.services import Services
from storage.engine import session_scope
from storage.questions.tables import AnsweredQuestion, EntryChange, UnansweredQuestion
from tests.questions.support import (
    MANAGER,
    OFFICE_ANSWER,
    OFFICE_HOURS,
    OFFICE_HOURS_AGAIN,
    PARKING,
    data_with,
    is_not_sure,
    person,
    write_entry,
)


def test_a_new_answer_from_the_queue_answers_the_question_in_other_words(
        services: Services) -> None:
    member = person(services, 7)
    assert is_not_sure(handle_text(services, member, OFFICE_HOURS), OFFICE_HOURS)
    manager = person(services, MANAGER, Role.MANAGER)
    queue = run_command(services, manager, "unanswered", "")
    assert OFFICE_HOURS in queue.text and "(1×)" in queue.text
    group = press_button(services, manager, data_with(queue, "teach:group:"))
    saved = write_entry(services, manager, data_with(group, "teach:new:"), "Öffnungszeiten",
                        OFFICE_ANSWER)
    assert t("de", "kb_saved", title="Öffnungszeiten") == saved.text
    answer = handle_text(services, member, OFFICE_HOURS_AGAIN)
    assert answer.text.startswith("<b>Öffnungszeiten</b>") and OFFICE_ANSWER in answer.text
    assert [c.label for c in answer.flat_choices] == ["👍", "👎"]
    assert run_command(services, manager, "unanswered", "").text == t("de", "unanswered_none")


def test_the_cluster_chapter_appears_in_topics_with_its_entry(services: Services) -> None:
    member = person(services, 7)
    handle_text(services, member, OFFICE_HOURS)
    manager = person(services, MANAGER, Role.MANAGER)
    group = press_button(services, manager, data_with(
        run_command(services, manager, "unanswered", ""), "teach:group:"))
    write_entry(services, manager, data_with(group, "teach:new:"), "Öffnungszeiten",
                OFFICE_ANSWER)
    topics = run_command(services, member, "topics", "")
    assert topics.flat_choices[0].label == "Unser Cluster"
    chapter = press_button(services, member, topics.flat_choices[0].data)
    assert [c.label for c in chapter.flat_choices][0] == "Öffnungszeiten"
    english = press_button(services, member, data_with(chapter, "kb:topic:").replace(":de",
                                                                                      ":en"))
    assert t("en", "kb_only_in_other_language") in english.text and OFFICE_ANSWER in english.text


def test_answering_with_an_existing_entry_teaches_the_phrasing(services: Services) -> None:
    member = person(services, 7)
    question = "Was macht eigentlich so ein Clustermanagement den ganzen Tag im Technologiezentrum?"
    first = handle_text(services, member, question)
    manager = person(services, MANAGER, Role.MANAGER)
    if not is_not_sure(first, question):  # the matcher improved: a stand-in question
        question = PARKING
        handle_text(services, member, question)
    group = press_button(services, manager, data_with(
        run_command(services, manager, "unanswered", ""), "teach:group:"))
    used = press_button(services, manager, data_with(group, "teach:use:"))
    entry_id = data_with(group, "teach:use:").split(":")[3]
    assert used.text.startswith("Erledigt:")
    again = handle_text(services, member, question)
    assert again.text.startswith(f"<b>{services.knowledge.get(entry_id).title['de']}</b>")


def test_dismissed_group_leaves_the_queue_and_undo_brings_it_back(services: Services) -> None:
    member = person(services, 7)
    handle_text(services, member, PARKING)
    handle_text(services, member, OFFICE_HOURS)
    manager = person(services, MANAGER, Role.MANAGER)
    queue = run_command(services, manager, "unanswered", "")
    assert len([c for c in queue.flat_choices if ":group:" in c.data]) == 2
    group_data = data_with(queue, "teach:group:")
    dismissed = press_button(services, manager, group_data.replace(":group:", ":dismiss:"))
    assert dismissed.text == t("de", "kb_dismissed", count=1)
    after = run_command(services, manager, "unanswered", "")
    assert len([c for c in after.flat_choices if ":group:" in c.data]) == 1
    again = press_button(services, manager, group_data.replace(":group:", ":dismiss:"))
    assert again.notice_only  # stale: handled already
    press_button(services, manager, data_with(dismissed, "teach:undo:"))
    back = run_command(services, manager, "unanswered", "")
    assert len([c for c in back.flat_choices if ":group:" in c.data]) == 2


def test_similar_questions_form_one_group_with_their_count(services: Services) -> None:
    member = person(services, 7)
    for question in (OFFICE_HOURS, OFFICE_HOURS_AGAIN, OFFICE_HOURS, PARKING):
        handle_text(services, member, question)
    queue = run_command(services, person(services, MANAGER, Role.MANAGER), "unanswered", "")
    assert "(3×)" in queue.text and t("de", "kb_queue_similar", count=1) in queue.text
    assert "(1×)" in queue.text  # parking is a question of its own


DISTINCT = ["Wie lautet das WLAN-Passwort?", "Was gibt es heute in der Kantine?",
            "Wo steht der Farbdrucker?", "Wer hat den Schlüssel zum Lager?",
            "Gibt es Fahrradstellplätze?", "Wie lautet die Postadresse?", PARKING,
            "Darf man Hunde mitbringen?"]


def test_queue_pages(services: Services) -> None:
    member = person(services, 7)
    for question in DISTINCT:
        handle_text(services, member, question)
    manager = person(services, MANAGER, Role.MANAGER)
    first = run_command(services, manager, "unanswered", "")
    assert len([c for c in first.flat_choices if ":group:" in c.data]) == 6
    second = press_button(services, manager, data_with(first, "teach:queue:1"))
    assert second.edit and t("de", "kb_page_of", page=2, pages=2) in second.text
    assert len([c for c in second.flat_choices if ":group:" in c.data]) == 2


def test_thumbs_down_puts_the_question_into_the_queue_once(services: Services) -> None:
    member = person(services, 7)
    answer = handle_text(services, member, "Was ist ein Cluster?")
    down = data_with(answer, ":down")
    other = person(services, 8)
    assert press_button(services, other, down).notice_only  # not their answer
    voted = press_button(services, member, down)
    assert voted.edit and t("de", "kb_thanks_down") in voted.text
    assert not any("kb:vote" in c.data for c in voted.flat_choices)
    assert press_button(services, member, data_with(answer, ":up")).notice == \
        t("de", "kb_already_voted")
    with session_scope(services.engine) as session:
        rows = session.exec(select(AnsweredQuestion)).all()
        queued = session.exec(select(UnansweredQuestion)).all()
    assert [r.vote for r in rows] == [-1]
    assert [(q.text, q.answered_with) for q in queued] == [("Was ist ein Cluster?",
                                                            "what_is_a_cluster")]
    stats = run_command(services, person(services, MANAGER, Role.MANAGER), "kb_stats", "")
    assert "👎 1" in stats.text and "1×" in stats.text


def test_hidden_shipped_entry_is_neither_answered_nor_listed(services: Services) -> None:
    manager = person(services, MANAGER, Role.MANAGER)
    answer = handle_text(services, manager, "Was ist ein Cluster?")
    hidden = press_button(services, manager, data_with(answer, "teach:hide:"))
    assert hidden.edit and "what_is_a_cluster" in hidden.text
    again = handle_text(services, person(services, 7), "Was ist ein Cluster?")
    assert not again.text.startswith("<b>Was ist ein Cluster?</b>")
    assert services.knowledge.get("what_is_a_cluster") is None
    press_button(services, manager, data_with(hidden, "teach:unhide:"))
    assert handle_text(services, manager, "Was ist ein Cluster?").text.startswith(
        "<b>Was ist ein Cluster?</b>")


def test_a_managers_buttons_speak_the_language_of_the_answer(services: Services) -> None:
    manager = person(services, MANAGER, Role.MANAGER)  # a German-speaking manager
    answer = handle_text(services, manager, "What is a cluster?")
    labels = [choice.label for row in answer.choices for choice in row]
    assert t("en", "kb_button_hide") in labels and t("de", "kb_button_hide") not in labels


def test_edit_and_delete_are_recorded_with_before_and_after(services: Services) -> None:
    member = person(services, 7)
    handle_text(services, member, OFFICE_HOURS)
    manager = person(services, MANAGER, Role.MANAGER)
    group = press_button(services, manager, data_with(
        run_command(services, manager, "unanswered", ""), "teach:group:"))
    saved = write_entry(services, manager, data_with(group, "teach:new:"), "Öffnungszeiten",
                        OFFICE_ANSWER)
    entry_id = data_with(saved, "teach:entry:").split(":")[2]
    press_button(services, manager, f"teach:edit:{entry_id}:answer:de")
    edited = handle_text(services, manager, "Montags bis freitags 9 bis 15 Uhr.")
    assert edited.text.startswith("✅")
    assert "9 bis 15 Uhr" in handle_text(services, member, OFFICE_HOURS).text
    history = press_button(services, manager, f"teach:history:{entry_id}")
    assert "9 bis 15 Uhr" in history.text and "9 bis 16 Uhr" in history.text
    press_button(services, manager, f"teach:delete_yes:{entry_id}")
    assert is_not_sure(handle_text(services, member, OFFICE_HOURS), OFFICE_HOURS)
    with session_scope(services.engine) as session:
        actions = [c.action for c in session.exec(select(EntryChange)).all()]
    assert actions == ["create", "update", "delete"]


def test_bad_entry_text_is_refused_and_nothing_saved(services: Services) -> None:
    manager = person(services, MANAGER, Role.MANAGER)
    press_button(services, manager, "teach:new")
    assert handle_text(services, manager, "x" * 121).text == t(
        "de", "kb_text_too_long", limit=120, length=121)
    handle_text(services, manager, "Öffnungszeiten")
    assert handle_text(services, manager, "<b>Immer</b> & ewig").text == t("de", "kb_text_markup")
    assert handle_text(services, manager, " ".join(["Wort"] * 131)).text == t(
        "de", "kb_text_too_many_words", limit=130, count=131)
    press_button(services, manager, "teach:abort")
    assert "(0 Einträge)" in run_command(services, manager, "kb", "").text


def test_forwarding_needs_consent_and_the_reply_goes_back(services: Services) -> None:
    member = person(services, 7)
    handle_text(services, member, PARKING)
    second = handle_text(services, member, OFFICE_HOURS)
    assert t("de", "kb_forward_offer") in second.text
    consent = press_button(services, member, data_with(second, "kb:forward:"))
    assert OFFICE_HOURS in consent.text and not consent.extra  # nothing sent yet
    sent = press_button(services, member, data_with(consent, "kb:forward_yes:"))
    assert [o.chat_id for o in sent.extra] == [MANAGER]
    assert press_button(services, member, data_with(consent, "kb:forward_yes:")).notice_only
    manager = person(services, MANAGER, Role.MANAGER)
    press_button(services, manager, sent.extra[0].reply.flat_choices[0].data)
    replied = handle_text(services, manager, OFFICE_ANSWER)
    assert [o.chat_id for o in replied.extra] == [7]
    assert OFFICE_ANSWER in replied.extra[0].reply.text
    saved = press_button(services, manager, data_with(replied, "teach:to_entry:"))
    assert saved.text.startswith("✅")
    assert OFFICE_ANSWER in handle_text(services, member, OFFICE_HOURS).text


def test_visitors_get_no_forward_button_and_cannot_forge_one(services: Services) -> None:
    visitor = person(services, 9, Role.VISITOR)
    reply = handle_text(services, visitor, OFFICE_HOURS)
    assert not any("forward" in c.data for c in reply.flat_choices)
    assert press_button(services, visitor, "kb:forward_yes:1").notice_only


def test_search_by_words_finds_an_entry_to_answer_with(services: Services) -> None:
    member = person(services, 7)
    handle_text(services, member, PARKING)
    manager = person(services, MANAGER, Role.MANAGER)
    group = press_button(services, manager, data_with(
        run_command(services, manager, "unanswered", ""), "teach:group:"))
    assert press_button(services, manager, data_with(group, "teach:search:")).text == t(
        "de", "kb_search_ask")
    found = handle_text(services, manager, "Was ist ein Cluster")
    assert "what_is_a_cluster" in [c.data.split(":")[3] for c in found.flat_choices
                                   if ":use:" in c.data]
    assert handle_text(services, manager, "Was ist ein Cluster?").text.startswith("<b>")
    press_button(services, manager, data_with(found, ":what_is_a_cluster"))
    assert handle_text(services, member, PARKING).text.startswith("<b>Was ist ein Cluster?</b>")


def test_queue_teaching_and_figures_work_on_every_database(database_url: str) -> None:
    from tests.conftest import make_settings, start_services

    services = start_services(make_settings(database_url, manager_ids=str(MANAGER)))
    try:
        member = person(services, 7)
        handle_text(services, member, OFFICE_HOURS)
        answer = handle_text(services, member, "Was ist ein Cluster?")
        press_button(services, member, data_with(answer, ":down"))
        manager = person(services, MANAGER, Role.MANAGER)
        queue = run_command(services, manager, "unanswered", "")
        assert OFFICE_HOURS in queue.text and "👎" in queue.text
        office = next(c.data for c in queue.flat_choices if "Geschäftsstelle" in c.label)
        group = press_button(services, manager, office)
        write_entry(services, manager, data_with(group, "teach:new:"), "Öffnungszeiten",
                    OFFICE_ANSWER)
        assert OFFICE_ANSWER in handle_text(services, member, OFFICE_HOURS_AGAIN).text
        assert "👎 1" in run_command(services, manager, "kb_stats", "").text
    finally:
        _clean(services)  # the PostgreSQL database is shared by the whole test session
        services.close()


def _clean(services: Services) -> None:
    from sqlalchemy import delete
    from sqlmodel import col

    from storage.accounts.tables import Member
    from storage.dialogs.tables import DialogRow
    from storage.questions import tables

    with session_scope(services.engine) as session:
        for table in (tables.UnansweredQuestion, tables.AnsweredQuestion,
                      tables.ForwardedQuestion, tables.HandledMiss, tables.ClusterEntry,
                      tables.EntryChange, tables.TaughtPhrasing, tables.HiddenEntry,
                      tables.KnowledgeVersion, DialogRow):
            session.execute(delete(table))
        session.execute(delete(Member).where(col(Member.telegram_id).in_([7, MANAGER])))

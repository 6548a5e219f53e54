"""The plan in chat: /plan with filters and pages, /plan_add (one line and dialog), the card,
/done, /postpone, history, the console and the export (who may do what: test_permissions)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlmodel import select

from bot.console import ConsoleChat
from core.action_plan.browse import today_of
from core.actor import Role
from core.dialogs import current
from core.i18n import t
from core.locale import format_date
from core.router import handle_text, run_command
from core.services import Services
from storage.action_plan.tables import PlanHistory
from storage.engine import session_scope
from tests.action_plan.support import (
    add_line,
    buttons_of,
    choice_data,
    data,
    items_of,
    manager,
    person,
    press,
)


def _in_days(services: Services, days: int) -> str:
    return (today_of(services) + timedelta(days=days)).strftime("%d.%m.%Y")


# ---------------------------------------------------------------------- adding in one line
def test_one_line_add_saves_every_field(services: Services) -> None:
    person(services, 7)
    reply = add_line(services, "Innovationskultur | Zirkel für KMU | 31.12.2070 | @user7 | "
                           "Forschung, Unternehmen, IHK | 3 Zirkel")
    (item,) = items_of(services)
    assert reply.text.startswith(t("de", "plan_saved", id=item.id))
    assert (item.topic, item.action, item.deadline) == ("Innovationskultur", "Zirkel für KMU",
                                                         date(2070, 12, 31))
    assert item.participant_groups == ["research", "companies"] and item.participants == "IHK"
    assert item.kpi == "3 Zirkel" and item.status == "open" and item.responsible_id
    assert t("de", "plan_kpi_hint") not in reply.text
    assert data("done", 1) in choice_data(reply) and data("postpone", 1) in choice_data(reply)


def test_saving_without_kpi_adds_the_monitoring_hint(services: Services) -> None:
    reply = add_line(services, "Thema | Aktion | in 3 Monaten")
    assert t("de", "plan_kpi_hint") in reply.text
    (item,) = items_of(services)
    assert item.responsible_id is not None, "no responsible given: the creator"


def test_unknown_username_is_saved_and_the_creator_is_told(services: Services) -> None:
    reply = add_line(services, "Thema | Aktion | 36 Monate | @anna_berg")
    assert t("de", "plan_note_not_started", username="anna_berg") in reply.text
    (item,) = items_of(services)
    assert item.responsible_username == "anna_berg" and item.responsible_id is None
    anna = person(services, 77, username="Anna_Berg")
    assert "#1" in run_command(services, anna, "plan", "mine").text
    (item,) = items_of(services)
    assert item.responsible_id is not None and item.responsible_username is None


def test_free_text_responsible_is_kept_and_explained(services: Services) -> None:
    reply = add_line(services, "Thema | Aktion | 36 Monate | CARS")
    assert t("de", "plan_note_free_text", name="CARS") in reply.text
    assert items_of(services)[0].responsible_name == "CARS"


@pytest.mark.parametrize("line", [
    " | Aktion | 31.12.2070",
    "Thema |  | 31.12.2070",
    "x" * 201 + " | Aktion | 31.12.2070",
    "Thema | Aktion",
    "a | b | c | d | e | f | g",
])
def test_bad_one_line_add_saves_nothing_and_shows_the_usage(services: Services,
                                                            line: str) -> None:
    reply = add_line(services, line)
    assert t("de", "plan_add_usage") in reply.text
    assert items_of(services) == []


def test_ambiguous_date_is_asked_back_then_saved(services: Services) -> None:
    boss = manager(services)
    reply = add_line(services, "Thema | Aktion | 03/04/2070 | ich | | KPI", boss)
    assert t("de", "plan_date_ambiguous", typed="03/04/2070") in reply.text
    assert choice_data(reply)[:2] == [data("deadline", "2070-04-03"),
                                      data("deadline", "2070-03-04")]
    assert items_of(services) == [], "nothing is saved half-way"
    saved = press(services, boss, "deadline", "2070-03-04")
    assert saved.text.startswith(t("de", "plan_saved", id=1)) and "04.03.2070" in saved.text
    (item,) = items_of(services)
    assert item.deadline == date(2070, 3, 4) and item.kpi == "KPI"
    assert current(services, boss) is None


def test_past_date_is_asked_back_and_a_typed_answer_completes_the_item(
        services: Services) -> None:
    boss = manager(services)
    reply = add_line(services, "Thema | Aktion | 01.01.2020", boss)
    assert "01.01.2020" in reply.text and items_of(services) == []
    handle_text(services, boss, "Ende März")
    (item,) = items_of(services)
    assert item.deadline.month == 3 and item.deadline.day == 31


def test_user_html_is_escaped_everywhere(services: Services) -> None:
    reply = add_line(services, "<b>Fett</b> & Co | <script>x</script> | 31.12.2070 | "
                           "<i>Boss</i>")
    assert "&lt;b&gt;Fett&lt;/b&gt; &amp; Co" in reply.text
    assert "<script>" not in reply.text and "&lt;i&gt;Boss&lt;/i&gt;" in reply.text
    listing = run_command(services, manager(services), "plan", "")
    assert "<script>" not in listing.text and "&lt;b&gt;Fett" in listing.text


# ---------------------------------------------------------------------- the guided dialog
def test_guided_dialog_asks_each_field_and_saves_only_at_the_end(services: Services) -> None:
    boss = manager(services)
    assert "(1/6)" in run_command(services, boss, "plan_add", "").text
    assert "(2/6)" in handle_text(services, boss, "Netzwerk stärken").text
    assert "(3/6)" in handle_text(services, boss, "Stammtisch gründen").text
    assert "(4/6)" in handle_text(services, boss, "Ende Juni").text
    step5 = press(services, boss, "myself")
    assert "(5/6)" in step5.text and data("group", "research") in choice_data(step5)
    ticked = press(services, boss, "group", "politics")
    assert ticked.edit and any(c.label.startswith("✅") for c in ticked.flat_choices)
    assert "(6/6)" in handle_text(services, boss, "Stadtwerke").text
    assert items_of(services) == []
    saved = handle_text(services, boss, "2 Treffen pro Jahr")
    (item,) = items_of(services)
    assert saved.text.startswith(t("de", "plan_saved", id=item.id))
    assert item.participant_groups == ["politics"] and item.participants == "Stadtwerke"
    assert item.deadline.month == 6 and item.kpi == "2 Treffen pro Jahr"


def test_cancel_in_the_middle_of_the_dialog_saves_nothing(services: Services) -> None:
    boss = manager(services)
    run_command(services, boss, "plan_add", "Thema")
    handle_text(services, boss, "Aktion")
    run_command(services, boss, "cancel", "")
    assert items_of(services) == [] and current(services, boss) is None


def test_dialog_rejects_a_bad_deadline_and_keeps_asking(services: Services) -> None:
    boss = manager(services)
    run_command(services, boss, "plan_add", "Thema")
    handle_text(services, boss, "Aktion")
    again = handle_text(services, boss, "irgendwann")
    assert t("de", "plan_date_unknown", typed="irgendwann") in again.text
    state = current(services, boss)
    assert state is not None and state.step == "deadline"


# ---------------------------------------------------------------------- list, card, history
def test_plan_lists_filters_and_pages(services: Services) -> None:
    boss = manager(services)
    member = person(services, 7)
    for number in range(10):
        add_line(services, f"Thema {number} | Aktion | {_in_days(services, 30 + number)} | @user7")
    add_line(services, f"Bald | Aktion | {_in_days(services, 3)} | ich")
    first = run_command(services, boss, "plan", "")
    assert "11" in first.text and "1/2" in first.text
    assert data("page", "all", 1) in choice_data(first)
    assert first.text.index("Bald") < first.text.index("Thema 0"), "soonest first"
    second = press(services, boss, "page", "all", 1)
    assert second.edit and "2/2" in second.text and data("page", "all", 0) in choice_data(second)
    mine = run_command(services, member, "plan", "meine")
    assert "Bald" not in mine.text and "10" in mine.text
    soon = run_command(services, boss, "plan", "soon")
    assert "Bald" in soon.text and "Thema 0" not in soon.text
    assert t("de", "plan_list_empty") in run_command(services, boss, "plan", "overdue").text
    assert run_command(services, boss, "plan", "quatsch").text == t("de", "plan_usage")


def test_card_shows_every_field_in_the_readers_language(services: Services) -> None:
    add_line(services, "Thema | Aktion | 31.12.2070 | CARS | research, Stadtwerke | 3 Zirkel")
    english = person(services, 8, language="en")
    card = run_command(services, english, "plan", "1")
    for expected in ("#1 Thema", "Action: Aktion", "2070-12-31", "Status: open",
                     "CARS", "Participants: Research, Stadtwerke", "3 Zirkel"):
        assert expected in card.text, expected


def test_history_keeps_who_changed_what_when(services: Services) -> None:
    boss = manager(services)
    add_line(services, "Thema | Aktion | 31.12.2070", boss)
    press(services, boss, "progress", 1)
    run_command(services, boss, "postpone", "1 31.01.2071")
    run_command(services, boss, "done", "1")
    history = press(services, boss, "history", 1)
    assert "offen → in Arbeit" in history.text and "in Arbeit → erledigt" in history.text
    assert "31.12.2070 → 31.01.2071" in history.text and "@the_manager" in history.text
    with session_scope(services.engine) as session:
        rows = session.exec(select(PlanHistory)).all()
    assert [(r.from_status, r.to_status) for r in rows] == [
        (None, "open"), ("open", "in_progress"), ("in_progress", "in_progress"),
        ("in_progress", "done")]


def test_postpone_command_takes_typed_dates_and_refuses_past_ones(services: Services) -> None:
    boss = manager(services)
    add_line(services, "Thema | Aktion | 31.12.2070", boss)
    moved = run_command(services, boss, "postpone", "1 in 2 Wochen")
    assert "31.12.2070 →" in moved.text
    refused = run_command(services, boss, "postpone", "1 01.01.2020")
    assert "01.01.2020" in refused.text
    assert items_of(services)[0].deadline != date(2020, 1, 1)
    assert run_command(services, boss, "postpone", "abc").text.startswith(
        t("de", "plan_postpone_usage"))  # the date question of "/postpone 1 …" is still open
    asked = run_command(services, boss, "postpone", "1")
    assert any(d.startswith(data("postpone_to", 1) + ":") for d in choice_data(asked))


# ---------------------------------------------------------------------- console and export
def test_plan_works_in_the_console_chat(services: Services) -> None:
    out = io.StringIO()
    chat = ConsoleChat(services, role=Role.MANAGER, output=out)
    for line in ("/plan_add Konsole | Testen | 31.12.2070 | ich", "/plan", "/plan 1", "1"):
        chat.show(chat.handle_line(line))
    text = out.getvalue()
    assert "Gespeichert als #1" in text and "[1] ✅ Erledigt" in text
    assert "#1 ist erledigt" in text


def test_export_sends_csv_and_ics_files(services: Services) -> None:
    add_line(services, "Thema | Aktion | 31.12.2070")
    reply = run_command(services, person(services, 7), "plan_export", "")
    names = [a.filename for a in reply.attachments]
    assert names == ["aktionsplan.csv", "aktionsplan.ics"]
    assert reply.attachments[1].content.startswith(b"BEGIN:VCALENDAR")


def test_quick_postpone_adds_calendar_months_and_seven_day_weeks(services: Services) -> None:
    boss = manager(services)
    add_line(services, "Thema | Aktion | 31.01.2071", boss)
    add_line(services, "Thema | Aktion 2 | 15.12.2070", boss)
    expected = {1: [date(2071, 2, 7), date(2071, 2, 14), date(2071, 2, 28), date(2071, 4, 30)],
                2: [date(2070, 12, 22), date(2070, 12, 29), date(2071, 1, 15),
                    date(2071, 3, 15)]}
    for item_id, days in expected.items():
        reply = press(services, boss, "postpone", item_id)
        offered = [arguments[1] for name, arguments in buttons_of(reply) if name == "postpone_to"]
        assert offered == days, item_id
        labels = [choice.label for choice in reply.flat_choices]
        assert t("de", "plan_btn_pp_m1", date=format_date(days[2], "de")) in labels
    press(services, boss, "postpone", 1)
    press(services, boss, "postpone_to", 1, "2071-02-28")
    assert items_of(services)[0].deadline == date(2071, 2, 28)

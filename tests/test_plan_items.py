"""The plan in chat: /plan with filters and pages, /plan_add (one line and dialog), the card,
/done, /postpone, history - and who may do what, including forged and stale buttons."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlmodel import select

from bot.console import ConsoleChat
from core.action_plan.browse import today_of
from core.actor import Actor, Role
from core.commands import press_button, run_command
from core.dialogs import current, handle_text
from core.i18n import t
from core.reply import Reply
from core.services import Services
from storage.engine import session_scope
from storage.plan import PlanHistory, PlanItem
from tests.conftest import actor
from tests.test_plan_support import manager, person


def _items(services: Services) -> list[PlanItem]:
    with session_scope(services.engine) as session:
        return list(session.exec(select(PlanItem).order_by(PlanItem.id)).all())  # type: ignore[arg-type]


def _data(reply: Reply) -> list[str]:
    return [choice.data for choice in reply.flat_choices]


def _in_days(services: Services, days: int) -> str:
    return (today_of(services) + timedelta(days=days)).strftime("%d.%m.%Y")


def _add(services: Services, line: str, who: Actor | None = None) -> Reply:
    return run_command(services, who or manager(services), "plan_add", line)


# ---------------------------------------------------------------------- adding in one line
def test_one_line_add_saves_every_field(services: Services) -> None:
    person(services, 7)
    reply = _add(services, "Innovationskultur | Zirkel für KMU | 31.12.2070 | @user7 | "
                           "Forschung, Unternehmen, IHK | 3 Zirkel")
    (item,) = _items(services)
    assert reply.text.startswith(t("de", "plan_saved", id=item.id))
    assert (item.topic, item.action, item.deadline) == ("Innovationskultur", "Zirkel für KMU",
                                                         date(2070, 12, 31))
    assert item.participant_groups == ["research", "companies"] and item.participants == "IHK"
    assert item.kpi == "3 Zirkel" and item.status == "open" and item.responsible_id
    assert t("de", "plan_kpi_hint") not in reply.text
    assert "plan:done:1" in _data(reply) and "plan:pp:1" in _data(reply)


def test_saving_without_kpi_adds_the_monitoring_hint(services: Services) -> None:
    reply = _add(services, "Thema | Aktion | in 3 Monaten")
    assert t("de", "plan_kpi_hint") in reply.text
    (item,) = _items(services)
    assert item.responsible_id is not None, "no responsible given: the creator"


def test_unknown_username_is_saved_and_the_creator_is_told(services: Services) -> None:
    reply = _add(services, "Thema | Aktion | 36 Monate | @anna_berg")
    assert t("de", "plan_note_not_started", username="anna_berg") in reply.text
    (item,) = _items(services)
    assert item.responsible_username == "anna_berg" and item.responsible_id is None
    anna = person(services, 77, username="Anna_Berg")
    assert "#1" in run_command(services, anna, "plan", "mine").text
    (item,) = _items(services)
    assert item.responsible_id is not None and item.responsible_username is None


def test_free_text_responsible_is_kept_and_explained(services: Services) -> None:
    reply = _add(services, "Thema | Aktion | 36 Monate | CARS")
    assert t("de", "plan_note_free_text", name="CARS") in reply.text
    assert _items(services)[0].responsible_name == "CARS"


@pytest.mark.parametrize("line", [
    " | Aktion | 31.12.2070",
    "Thema |  | 31.12.2070",
    "x" * 201 + " | Aktion | 31.12.2070",
    "Thema | Aktion",
    "a | b | c | d | e | f | g",
])
def test_bad_one_line_add_saves_nothing_and_shows_the_usage(services: Services,
                                                            line: str) -> None:
    reply = _add(services, line)
    assert t("de", "plan_add_usage") in reply.text
    assert _items(services) == []


def test_ambiguous_date_is_asked_back_then_saved(services: Services) -> None:
    boss = manager(services)
    reply = _add(services, "Thema | Aktion | 03/04/2070 | ich | | KPI", boss)
    assert t("de", "plan_date_ambiguous", typed="03/04/2070") in reply.text
    assert _data(reply)[:2] == ["plan:dt:2070-04-03", "plan:dt:2070-03-04"]
    assert _items(services) == [], "nothing is saved half-way"
    saved = press_button(services, boss, "plan:dt:2070-03-04")
    assert saved.text.startswith(t("de", "plan_saved", id=1)) and "04.03.2070" in saved.text
    (item,) = _items(services)
    assert item.deadline == date(2070, 3, 4) and item.kpi == "KPI"
    assert current(services, boss) is None


def test_past_date_is_asked_back_and_a_typed_answer_completes_the_item(
        services: Services) -> None:
    boss = manager(services)
    reply = _add(services, "Thema | Aktion | 01.01.2020", boss)
    assert "01.01.2020" in reply.text and _items(services) == []
    handle_text(services, boss, "Ende März")
    (item,) = _items(services)
    assert item.deadline.month == 3 and item.deadline.day == 31


def test_user_html_is_escaped_everywhere(services: Services) -> None:
    reply = _add(services, "<b>Fett</b> & Co | <script>x</script> | 31.12.2070 | "
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
    step5 = press_button(services, boss, "plan:me")
    assert "(5/6)" in step5.text and "plan:grp:research" in _data(step5)
    ticked = press_button(services, boss, "plan:grp:politics")
    assert ticked.edit and any(c.label.startswith("✅") for c in ticked.flat_choices)
    assert "(6/6)" in handle_text(services, boss, "Stadtwerke").text
    assert _items(services) == []
    saved = handle_text(services, boss, "2 Treffen pro Jahr")
    (item,) = _items(services)
    assert saved.text.startswith(t("de", "plan_saved", id=item.id))
    assert item.participant_groups == ["politics"] and item.participants == "Stadtwerke"
    assert item.deadline.month == 6 and item.kpi == "2 Treffen pro Jahr"


def test_cancel_in_the_middle_of_the_dialog_saves_nothing(services: Services) -> None:
    boss = manager(services)
    run_command(services, boss, "plan_add", "Thema")
    handle_text(services, boss, "Aktion")
    run_command(services, boss, "cancel", "")
    assert _items(services) == [] and current(services, boss) is None


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
        _add(services, f"Thema {number} | Aktion | {_in_days(services, 30 + number)} | @user7")
    _add(services, f"Bald | Aktion | {_in_days(services, 3)} | ich")
    first = run_command(services, boss, "plan", "")
    assert "11" in first.text and "1/2" in first.text and "plan:page:all:1" in _data(first)
    assert first.text.index("Bald") < first.text.index("Thema 0"), "soonest first"
    second = press_button(services, boss, "plan:page:all:1")
    assert second.edit and "2/2" in second.text and "plan:page:all:0" in _data(second)
    mine = run_command(services, member, "plan", "meine")
    assert "Bald" not in mine.text and "10" in mine.text
    soon = run_command(services, boss, "plan", "soon")
    assert "Bald" in soon.text and "Thema 0" not in soon.text
    assert t("de", "plan_list_empty") in run_command(services, boss, "plan", "overdue").text
    assert run_command(services, boss, "plan", "quatsch").text == t("de", "plan_usage")


def test_card_shows_every_field_in_the_readers_language(services: Services) -> None:
    _add(services, "Thema | Aktion | 31.12.2070 | CARS | research, Stadtwerke | 3 Zirkel")
    english = person(services, 8, language="en")
    card = run_command(services, english, "plan", "1")
    for expected in ("#1 Thema", "Action: Aktion", "2070-12-31", "Status: open",
                     "CARS", "research, Stadtwerke", "3 Zirkel"):
        assert expected in card.text, expected


def test_history_keeps_who_changed_what_when(services: Services) -> None:
    boss = manager(services)
    _add(services, "Thema | Aktion | 31.12.2070", boss)
    press_button(services, boss, "plan:prog:1")
    run_command(services, boss, "postpone", "1 31.01.2071")
    run_command(services, boss, "done", "1")
    history = press_button(services, boss, "plan:hist:1")
    assert "offen → in Arbeit" in history.text and "in Arbeit → erledigt" in history.text
    assert "31.12.2070 → 31.01.2071" in history.text and "@the_manager" in history.text
    with session_scope(services.engine) as session:
        rows = session.exec(select(PlanHistory)).all()
    assert [(r.from_status, r.to_status) for r in rows] == [
        (None, "open"), ("open", "in_progress"), ("in_progress", "in_progress"),
        ("in_progress", "done")]


def test_postpone_command_takes_typed_dates_and_refuses_past_ones(services: Services) -> None:
    boss = manager(services)
    _add(services, "Thema | Aktion | 31.12.2070", boss)
    moved = run_command(services, boss, "postpone", "1 in 2 Wochen")
    assert "31.12.2070 →" in moved.text
    refused = run_command(services, boss, "postpone", "1 01.01.2020")
    assert "01.01.2020" in refused.text
    assert _items(services)[0].deadline != date(2020, 1, 1)
    assert run_command(services, boss, "postpone", "abc").text == t("de", "plan_postpone_usage")
    asked = run_command(services, boss, "postpone", "1")
    assert any(d.startswith("plan:ppto:1:") for d in _data(asked))


# ---------------------------------------------------------------------- who may do what
def test_visitors_do_not_see_the_plan(services: Services) -> None:
    _add(services, "Geheim | Aktion | 31.12.2070 | CARS")
    visitor = actor(services, 300)
    assert run_command(services, visitor, "plan", "").text == t(
        "de", "not_allowed_member", command="plan")
    for data in ("plan:page:all:0", "plan:card:1", "plan:hist:1", "plan:done:1"):
        reply = press_button(services, visitor, data)
        assert reply.notice_only and "Geheim" not in reply.text, data
    assert _items(services)[0].status == "open"


def test_members_see_the_plan_but_only_the_responsible_changes_an_item(
        services: Services) -> None:
    owner, other = person(services, 7), person(services, 8)
    _add(services, "Thema | Aktion | 31.12.2070 | @user7")
    card = run_command(services, other, "plan", "1")
    assert "Thema" in card.text and "plan:done:1" not in _data(card)
    for data in ("plan:done:1", "plan:prog:1", "plan:pp:1", "plan:ppto:1:2071-01-01",
                 "plan:ef:1:kpi", "plan:edit:1", "plan:cancelok:1"):
        reply = press_button(services, other, data)
        assert reply.notice_only, data
    assert run_command(services, other, "done", "1").text == t("de", "plan_not_yours", id=1)
    assert _items(services)[0].status == "open"
    assert "plan:done:1" in _data(run_command(services, owner, "plan", "1"))
    assert press_button(services, owner, "plan:done:1").edit
    assert _items(services)[0].status == "done"


def test_responsible_member_may_edit_kpi_but_not_topic_or_cancel(services: Services) -> None:
    owner = person(services, 7)
    _add(services, "Thema | Aktion | 31.12.2070 | @user7")
    menu = press_button(services, owner, "plan:edit:1")
    assert set(_data(menu)) == {"plan:ef:1:deadline", "plan:ef:1:participants",
                                "plan:ef:1:kpi", "plan:card:1"}
    assert press_button(services, owner, "plan:ef:1:topic").notice_only
    assert press_button(services, owner, "plan:cancel:1").notice_only
    press_button(services, owner, "plan:ef:1:kpi")
    handle_text(services, owner, "5 Teilnehmende")
    assert _items(services)[0].kpi == "5 Teilnehmende"


def test_only_managers_add_items(services: Services) -> None:
    member = person(services, 7)
    assert run_command(services, member, "plan_add", "A | B | 31.12.2070").text == t(
        "de", "not_allowed_manager", command="plan_add")
    assert press_button(services, member, "plan:new").notice_only
    assert _items(services) == []


def test_stale_buttons_change_nothing_and_say_why(services: Services) -> None:
    boss = manager(services)
    _add(services, "Thema | Aktion | 31.12.2070", boss)
    press_button(services, boss, "plan:done:1")
    again = press_button(services, boss, "plan:done:1")
    assert again.notice_only and again.text == t("de", "plan_already_status", id=1,
                                                 status="erledigt")
    postpone = press_button(services, boss, "plan:ppto:1:2071-01-01")
    assert postpone.notice_only and "erledigt" in postpone.text
    assert _items(services)[0].deadline == date(2070, 12, 31)
    assert press_button(services, boss, "plan:card:99").notice_only
    for forged in ("plan:done:abc", "plan:done", "plan:page:all:x", "plan:page:evil:0",
                   "plan:ppto:1:not-a-date", "plan:zap:1", "plan:dt:2070-01-01",
                   "plan:grp:research", "plan:ef:1:status"):
        assert press_button(services, boss, forged).notice_only, forged


def test_responsible_visitor_may_act_on_their_own_item_from_a_reminder(
        services: Services) -> None:
    _add(services, "Thema | Aktion | 31.12.2070 | @guest_user")
    guest = actor(services, 400)  # a visitor who has not been admitted yet
    guest = Actor(**{**guest.__dict__, "username": "guest_user"})
    assert run_command(services, guest, "plan", "").text == t(
        "de", "not_allowed_member", command="plan")
    reply = press_button(services, guest, "plan:done:1:r")
    assert not reply.notice_only and not reply.edit, "from a reminder: a new message"
    assert _items(services)[0].status == "done"


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
    _add(services, "Thema | Aktion | 31.12.2070")
    reply = run_command(services, person(services, 7), "plan_export", "")
    names = [a.filename for a in reply.attachments]
    assert names == ["aktionsplan.csv", "aktionsplan.ics"]
    assert reply.attachments[1].content.startswith(b"BEGIN:VCALENDAR")

"""Who may do what with the plan: visitors, members, the responsible person, managers -
and button presses that are forged, malformed or stale change nothing and say why."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from core.action_plan import ACTIONS
from core.action_plan.buttons import ACTIONS as DECLARED
from core.actor import Actor
from core.dialogs import current
from core.i18n import t
from core.router import handle_text, press_button, run_command
from core.services import Services
from storage.action_plan.tables import PlanHistory, PlanItem
from storage.engine import session_scope
from tests.action_plan.support import (
    add_line,
    choice_data,
    data,
    items_of,
    manager,
    person,
    press,
)
from tests.conftest import actor


def test_visitors_do_not_see_the_plan(services: Services) -> None:
    add_line(services, "Geheim | Aktion | 31.12.2070 | CARS")
    visitor = actor(services, 300)
    assert run_command(services, visitor, "plan", "").text == t(
        "de", "not_allowed_member", command="plan")
    for pressed in (data("page", "all", 0), data("card", 1), data("history", 1),
                    data("done", 1)):
        reply = press_button(services, visitor, pressed)
        assert reply.notice_only and "Geheim" not in reply.text, pressed
    assert items_of(services)[0].status == "open"


def test_members_see_the_plan_but_only_the_responsible_changes_an_item(
        services: Services) -> None:
    owner, other = person(services, 7), person(services, 8)
    add_line(services, "Thema | Aktion | 31.12.2070 | @user7")
    card = run_command(services, other, "plan", "1")
    assert "Thema" in card.text and data("done", 1) not in choice_data(card)
    for pressed in (data("done", 1), data("progress", 1), data("postpone", 1),
                    data("postpone_to", 1, "2071-01-01"), data("edit_field", 1, "kpi"),
                    data("edit", 1), data("cancel_confirmed", 1)):
        reply = press_button(services, other, pressed)
        assert reply.notice_only, pressed
    assert run_command(services, other, "done", "1").text == t("de", "plan_not_yours", id=1)
    assert items_of(services)[0].status == "open"
    assert data("done", 1) in choice_data(run_command(services, owner, "plan", "1"))
    assert press(services, owner, "done", 1).edit
    assert items_of(services)[0].status == "done"


def test_responsible_member_may_edit_kpi_but_not_topic_or_cancel(services: Services) -> None:
    owner = person(services, 7)
    add_line(services, "Thema | Aktion | 31.12.2070 | @user7")
    menu = press(services, owner, "edit", 1)
    assert set(choice_data(menu)) == {data("edit_field", 1, "deadline"),
                                data("edit_field", 1, "participants"),
                                data("edit_field", 1, "kpi"), data("card", 1)}
    assert press(services, owner, "edit_field", 1, "topic").notice_only
    assert press(services, owner, "cancel", 1).notice_only
    press(services, owner, "edit_field", 1, "kpi")
    handle_text(services, owner, "5 Teilnehmende")
    assert items_of(services)[0].kpi == "5 Teilnehmende"


def test_only_managers_add_items(services: Services) -> None:
    member = person(services, 7)
    assert run_command(services, member, "plan_add", "A | B | 31.12.2070").text == t(
        "de", "not_allowed_manager", command="plan_add")
    assert press(services, member, "new").notice_only
    assert items_of(services) == []


def test_stale_buttons_change_nothing_and_say_why(services: Services) -> None:
    boss = manager(services)
    add_line(services, "Thema | Aktion | 31.12.2070", boss)
    press(services, boss, "done", 1)
    again = press(services, boss, "done", 1)
    assert again.notice_only and again.text == t("de", "plan_already_status", id=1,
                                                 status="erledigt")
    postpone = press(services, boss, "postpone_to", 1, "2071-01-01")
    assert postpone.notice_only and "erledigt" in postpone.text
    assert items_of(services)[0].deadline == date(2070, 12, 31)
    assert press(services, boss, "card", 99).notice_only
    for forged in ("plan:done:abc", "plan:done", "plan:page:all:x", "plan:page:evil:0",
                   "plan:postpone_to:1:not-a-date", "plan:zap:1",
                   "plan:deadline:2070-01-01", "plan:group:research",
                   "plan:edit_field:1:status"):
        assert press_button(services, boss, forged).notice_only, forged


FORGED = [
    "plan", "plan:", "plan::", "plan:done", "plan:done:", "plan:done:1:reminder:x",
    "plan:done:1:r", "plan:done:-1", "plan:done:²", "plan:done:99999999999999999999999",
    "plan:progress:1:later", "plan:cancel_confirmed:1:2", "plan:postpone_to:1",
    "plan:postpone_to:1:2071-02-30", "plan:postpone_to:1:20710101",
    "plan:postpone_to:1:2071-01-01:x", "plan:edit_field:1", "plan:edit_field:1:created_by",
    "plan:page:all", "plan:page:all:-1", "plan:page:ALL:0", "plan:group:Research",
    "plan:group:", "plan:myself:1", "plan:deadline:tomorrow", "plan:new:1",
    "plan:pp:1", "plan:ppto:1:2071-01-01", "plan:cancelok:1", "plan:ef:1:kpi",  # old names
    "plan:DONE:1", "plan:done :1", "plan:done:1 ", "plan:done:0x1",
]


def _snapshot(services: Services) -> list[tuple[object, ...]]:
    with session_scope(services.engine) as session:
        items = [(i.id, i.status, i.deadline, i.kpi, i.topic, i.responsible_id)
                 for i in session.exec(select(PlanItem)).all()]
        changes = len(session.exec(select(PlanHistory)).all())
    return [*items, ("history", changes)]


@pytest.mark.parametrize("forged", FORGED)
def test_forged_or_malformed_plan_buttons_change_nothing(services: Services,
                                                         forged: str) -> None:
    boss = manager(services)
    add_line(services, "Thema | Aktion | 31.12.2070 | ich | | KPI", boss)
    before = _snapshot(services)
    reply = press_button(services, boss, forged)
    assert reply.notice_only and reply.text == t("de", "stale_button"), forged
    assert _snapshot(services) == before
    assert current(services, boss) is None, "no dialog was opened"


def test_the_router_uses_the_declared_buttons_under_readable_names() -> None:
    names = [action.name for action in ACTIONS.actions]
    assert names == [action.name for action in DECLARED.actions]
    assert not {"pp", "ppto", "ef", "grp", "grpok", "nokpi", "dt", "me", "prog", "hist",
                "cancelok"} & set(names), "the old private vocabulary is gone"


def test_responsible_visitor_may_act_on_their_own_item_from_a_reminder(
        services: Services) -> None:
    add_line(services, "Thema | Aktion | 31.12.2070 | @guest_user")
    guest = actor(services, 400)  # a visitor who has not been admitted yet
    guest = Actor(**{**guest.__dict__, "username": "guest_user"})
    assert run_command(services, guest, "plan", "").text == t(
        "de", "not_allowed_member", command="plan")
    reply = press(services, guest, "done", 1, "reminder")
    assert not reply.notice_only and not reply.edit, "from a reminder: a new message"
    assert items_of(services)[0].status == "done"

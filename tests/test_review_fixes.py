"""Defects found in review: odd digits, huge ids, demoted managers in dialogs, privacy."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import dialogs
from core.action_plan.transfer import import_csv
from core.actor import Role
from core.commands import press_button, run_command
from core.dialogs import handle_text
from core.services import Services
from storage.engine import session_scope
from storage.members import get_member
from tests.conftest import actor


@pytest.mark.parametrize("data", [
    "contact:accept:²", "contact:decline:99999999999999999999999", "match:ask:²",
    "match:ask:99999999999999999999999", "match:page:99999999999999999999999:0",
    "invite:revoke:99999999999999999999999", "join:accept:²",
    "plan:page:all:99999999999999999999999", "forget:yes:7:²",
])
def test_forged_numbers_in_buttons_get_a_notice_not_an_exception(
        services: Services, data: str) -> None:
    reply = press_button(services, actor(services, 42), data)
    assert reply.notice


@pytest.mark.parametrize(("command", "args"), [
    ("plan", "mine 99999999999999999999999"), ("plan", "all ²"),
    ("invite", "revoke 99999999999999999999999"), ("funding", "2025 ² 1 1 1"),
    ("funding", "²⁰²⁵ 1 1 1 1"),
])
def test_odd_digits_in_commands_get_a_reply_not_an_exception(
        services: Services, command: str, args: str) -> None:
    assert run_command(services, actor(services, 42), command, args).text


def test_typing_a_superscript_digit_in_the_self_check_does_not_crash(
        services: Services) -> None:
    visitor = actor(services, 5)
    run_command(services, visitor, "selfcheck", "")
    assert handle_text(services, visitor, "²").text


def test_a_demoted_manager_cannot_finish_a_manager_dialog(services: Services) -> None:
    manager = actor(services, 8, role=Role.MANAGER)
    run_command(services, manager, "plan_add", "")
    assert dialogs.current(services, manager) is not None
    demoted = actor(services, 8)  # stored role: visitor
    reply = handle_text(services, demoted, "Geheimes Thema")
    assert "nur für Cluster-Manager" in reply.text
    assert dialogs.current(services, demoted) is None


def test_unreadable_plan_csv_is_reported_not_raised(services: Services, tmp_path: Path) -> None:
    data = ("topic,action,deadline,responsible,participants,kpi,status\n"
            f'"{"x" * 200_000}",a,31.12.2027,,,,open\n').encode()
    report = import_csv(services, data, strict=False, lang="de")
    assert report.errors and "nicht lesen" in report.errors[0][1]


def test_forget_me_hands_over_items_named_by_username(services: Services) -> None:
    from core.members.privacy import forget
    from storage.plan import PlanItem

    actor(services, 42)
    run_command(services, actor(services, 42, role=Role.MANAGER), "plan_add",
                "T | A | 31.12.2027 | @user77")
    services_user = actor(services, 77)
    with session_scope(services.engine) as session:
        member = get_member(session=session, telegram_id=77)
        assert member is not None
        member.username = "User77"
        session.add(member)
    forget(services, services_user.user_id)
    with session_scope(services.engine) as session:
        item = session.get(PlanItem, 1)
        manager = get_member(session=session, telegram_id=42)
        assert item is not None and manager is not None
        assert item.responsible_id == manager.id

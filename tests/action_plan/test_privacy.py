"""Forget-me and export-my-data reach the action plan: items are handed over, not lost."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from core.actor import Role
from core.members.privacy import collect, forget
from core.router import run_command
from core.services import Services
from storage.accounts.queries import get_member
from storage.action_plan.items import add_item
from storage.action_plan.tables import PlanHistory, PlanItem
from storage.engine import session_scope
from tests.conftest import actor

MEMBER, MANAGER = 7, 42


def _item_for(services: Services, telegram_id: int) -> int:
    with session_scope(services.engine) as session:
        member = get_member(session=session, telegram_id=telegram_id)
        assert member is not None
        item = add_item(session=session, by_name="Anna", item=PlanItem(
            topic="E-Mobilität", action="Ladesäulen testen", deadline=date(2027, 6, 30),
            responsible_id=member.id, responsible_name=member.name, created_by=telegram_id))
        assert item.id is not None
        return item.id


def test_export_contains_the_items_i_am_responsible_for(services: Services) -> None:
    actor(services, MEMBER)
    item_id = _item_for(services, MEMBER)
    data = collect(services, MEMBER)
    assert [i["id"] for i in data["action_plan"]["items"]] == [item_id]


def test_forget_me_hands_items_to_a_manager_and_removes_my_id(services: Services) -> None:
    actor(services, MANAGER)
    actor(services, MEMBER)
    item_id = _item_for(services, MEMBER)
    forget(services, MEMBER)
    with session_scope(services.engine) as session:
        item = session.get(PlanItem, item_id)
        manager = get_member(session=session, telegram_id=MANAGER)
        assert item is not None and manager is not None
        assert item.responsible_id == manager.id and item.created_by is None
        assert get_member(session=session, telegram_id=MEMBER) is None
        history = session.exec(select(PlanHistory).where(PlanHistory.item_id == item_id)).all()
        assert all(change.by_id != MEMBER for change in history)


def test_forget_me_hands_over_items_named_by_username(services: Services) -> None:
    actor(services, 42)
    run_command(services, actor(services, 42, role=Role.MANAGER), "plan_add",
                "T | A | 31.12.2027 | @user77")
    named = actor(services, 77)
    with session_scope(services.engine) as session:
        member = get_member(session=session, telegram_id=77)
        assert member is not None
        member.username = "User77"  # the @username was typed in another case
        session.add(member)
    forget(services, named.user_id)
    with session_scope(services.engine) as session:
        item = session.get(PlanItem, 1)
        manager = get_member(session=session, telegram_id=42)
        assert item is not None and manager is not None
        assert item.responsible_id == manager.id

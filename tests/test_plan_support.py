"""Helpers for the action-plan tests (no tests here): a recording sender, a fixed clock,
members with roles, and items created as of a given moment."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.action_plan import items as plan_items
from core.action_plan.items import Draft
from core.action_plan.reminders import PassReport, SendResult, run_pass
from core.actor import Actor, Role
from core.identity import identify
from core.reply import Reply
from core.services import Services
from storage.engine import session_scope
from storage.members import get_member
from storage.plan import PlanItem

BERLIN = ZoneInfo("Europe/Berlin")
MANAGER = 42  # the `services` fixture's MANAGER_IDS


def berlin(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A moment in the cluster's time zone."""
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def person(services: Services, user_id: int, *, username: str | None = None,
           role: Role = Role.MEMBER, language: str = "de") -> Actor:
    """A user who has written to the bot, stored with `role` (as issue #4 would store it)."""
    identify(services, user_id=user_id, chat_id=user_id, name=f"User {user_id}",
             username=username if username is not None else f"user{user_id}",
             language_code=language)
    with session_scope(services.engine) as session:
        member = get_member(session=session, telegram_id=user_id)
        assert member is not None
        member.role = role.value
        session.add(member)
    return identify(services, user_id=user_id, chat_id=user_id, name=f"User {user_id}",
                    username=username if username is not None else f"user{user_id}",
                    language_code=language)


def manager(services: Services, language: str = "de") -> Actor:
    return identify(services, user_id=MANAGER, chat_id=MANAGER, name="Manager",
                    username="the_manager", language_code=language)


def add_item(services: Services, creator: Actor, *, deadline: date, responsible: str,
             now: datetime, topic: str = "Thema", action: str = "Aktion") -> PlanItem:
    item, _ = plan_items.create(services, creator, Draft(
        topic=topic, action=action, deadline=deadline, responsible=responsible), now=now)
    return item


class RecordingSender:
    """A Sender that records every message and answers from a script (default: accepted)."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, Reply]] = []
        self.script: dict[int, list[SendResult]] = {}

    async def send(self, chat_id: int, reply: Reply) -> SendResult:
        self.sent.append((chat_id, reply))
        queue = self.script.get(chat_id)
        return queue.pop(0) if queue else SendResult(ok=True)

    def to(self, chat_id: int) -> list[Reply]:
        return [reply for chat, reply in self.sent if chat == chat_id]

    def clear(self) -> None:
        self.sent.clear()


async def _no_pause(_seconds: float) -> None:
    return None


def run(services: Services, sender: RecordingSender, when: datetime) -> PassReport:
    """One reminder pass as of `when`, without real waiting."""
    return asyncio.run(run_pass(services, sender, when, pause=_no_pause))

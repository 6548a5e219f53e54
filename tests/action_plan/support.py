"""Helpers for the action-plan tests (no tests here): a recording sender, a fixed clock,
members with roles, items created as of a given moment, and button data from the table."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.action_plan import ACTIONS
from core.action_plan import items as plan_items
from core.action_plan.items import Draft
from core.action_plan.notices import deliver_now
from core.action_plan.reminders import PassReport, run_pass
from core.actor import Actor, Role
from core.delivery import SendResult
from core.identity import identify
from core.reply import Outgoing, Reply
from core.router import press_button, run_command
from core.services import Services
from storage.accounts.queries import get_member
from storage.action_plan.items import all_items
from storage.action_plan.tables import PlanItem
from storage.engine import session_scope
from storage.leases import instance_id

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


def items_of(services: Services) -> list[PlanItem]:
    """Every item of the plan, by id."""
    with session_scope(services.engine) as session:
        return sorted(all_items(session=session), key=lambda item: item.id or 0)


def add_line(services: Services, line: str, who: Actor | None = None) -> Reply:
    """`/plan_add` in one line, by a manager unless `who` is given."""
    return run_command(services, who or manager(services), "plan_add", line)


def choice_data(reply: Reply) -> list[str]:
    """The data of every button of a reply, in order."""
    return [choice.data for choice in reply.flat_choices]


def add_item(services: Services, creator: Actor, *, deadline: date, responsible: str,
             now: datetime, topic: str = "Thema", action: str = "Aktion", kpi: str = "",
             notices: list[Outgoing] | None = None) -> PlanItem:
    """An item saved as of `now`, as /plan_add saves it: the responsible person's notice goes
    out with the reply (collected in `notices` when given), not with the next pass."""
    item, _ = plan_items.create(services, creator, Draft(
        topic=topic, action=action, deadline=deadline, responsible=responsible, kpi=kpi),
        now=now)
    assert item.id is not None
    sent = deliver_now(services, [item.id], now=now)
    if notices is not None:
        notices.extend(sent)
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


def data(action: str, *arguments: object) -> str:
    """The callback data of a plan button (as the feature builds it)."""
    return ACTIONS.data(action, *arguments)


def press(services: Services, who: Actor, action: str, *arguments: object) -> Reply:
    """Press a plan button through the router, as a transport would."""
    return press_button(services, who, data(action, *arguments))


def buttons_of(reply: Reply) -> list[tuple[str, tuple[object, ...]]]:
    """The reply's plan buttons read back by the table: (action name, typed arguments)."""
    found: list[tuple[str, tuple[object, ...]]] = []
    for choice in reply.flat_choices:
        prefix, _, rest = choice.data.partition(":")
        parsed = ACTIONS.parse(rest) if prefix == ACTIONS.prefix else None
        if parsed is not None:
            found.append((parsed[0].name, parsed[1]))
    return found


def dead_token() -> str:
    """A claim token of a process that ran on this machine and has ended (as after kill -9)."""
    pid = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                             capture_output=True, text=True, check=True).stdout)
    host, machine, _pid, _random = instance_id().split("/")
    return f"{host}/{machine}/{pid}/dead00#1"

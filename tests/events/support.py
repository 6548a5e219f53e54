"""Helpers for the events tests: people with profiles, an event made through /event_new,
pressing the feature's buttons through the router, a recording sender, the pass."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.actor import Actor, Role
from core.delivery import SendResult
from core.events import ACTIONS
from core.events.delivery import PassReport, run_pass
from core.identity import identify
from core.locale import format_date
from core.reply import Reply
from core.router import press_button, run_command
from core.services import Services
from storage.accounts.queries import get_member
from storage.engine import session_scope
from storage.members.profiles import save_profile

BERLIN = ZoneInfo("Europe/Berlin")
MANAGER = 42


def person(services: Services, user_id: int, *, role: Role = Role.MEMBER,
           offers: list[str] | None = None, needs: list[str] | None = None,
           language_code: str = "de") -> Actor:
    """A user with a stored role and, when offers or needs are given, a visible profile."""
    identify(services, user_id=user_id, chat_id=user_id, name=f"User {user_id}",
             username=f"user{user_id}", language_code=language_code)
    with session_scope(services.engine) as session:
        row = get_member(session=session, telegram_id=user_id)
        assert row is not None
        if user_id != MANAGER:
            row.role = role.value
            session.add(row)
        if offers is not None or needs is not None:
            save_profile(session=session, telegram_id=user_id, name=f"Person {user_id}",
                         organization=f"Org {user_id}", kind="company", city="Essen",
                         offers=offers or [], needs=needs or [], description="",
                         visible=True)
    return identify(services, user_id=user_id, chat_id=user_id, name=f"User {user_id}",
                    username=f"user{user_id}", language_code=language_code)


def manager(services: Services) -> Actor:
    return person(services, MANAGER)


def event_line(start: datetime, *, capacity: int = 10, deadline: datetime | None = None,
               extra: str = "| Themen: Wasserstoff | Gespräche: 15:00-16:00 | Slots: 20"
               ) -> str:
    """The /event_new arguments for an event on `start`'s day 14:00-18:00 (Berlin)."""
    day = format_date(start.astimezone(BERLIN).date(), "de")
    until = format_date((deadline or start).astimezone(BERLIN).date(), "de")
    return f"Matchmaking Energie | {day} 14:00-18:00 | Halle 2 | {capacity} | {until} {extra}"


def tomorrow() -> datetime:
    return datetime.now(BERLIN) + timedelta(days=1)


def create(services: Services, boss: Actor, line: str) -> int:
    reply = run_command(services, boss, "event_new", line)
    assert "Nr." in reply.text, reply.text
    return int(reply.text.split("Nr. ")[1].split(" ")[0])


def data(action: str, *arguments: object) -> str:
    return ACTIONS.data(action, *arguments)


def press(services: Services, who: Actor, action: str, *arguments: object) -> Reply:
    return press_button(services, who, data(action, *arguments))


def pressable(reply: Reply, action: str) -> list[str]:
    return [c.data for c in reply.flat_choices if c.data.startswith(f"events:{action}:")]


class RecordingSender:
    """A Sender that records every message (always accepted)."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, Reply]] = []

    async def send(self, chat_id: int, reply: Reply) -> SendResult:
        self.sent.append((chat_id, reply))
        return SendResult(ok=True)

    def to(self, chat_id: int) -> list[Reply]:
        return [reply for chat, reply in self.sent if chat == chat_id]


def run(services: Services, sender: RecordingSender, at: datetime) -> PassReport:
    return asyncio.run(run_pass(services, sender, at))

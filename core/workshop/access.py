"""Who may see and change a round: managers every round, members the rounds they were
invited to, visitors none (the button table and the command need a member already).
Also the small shared pieces: the step names, limits and how a statement is shown."""

from __future__ import annotations

import html

from sqlmodel import Session

from core.actor import Actor, Role
from core.i18n import t
from storage.accounts.tables import Member
from storage.members.tables import Profile
from storage.workshop.rounds import get_round, is_participant
from storage.workshop.tables import TEXT_MAX, WorkshopContribution, WorkshopRound

CLOSED = 5
SHOWN_CHARS = 120


class WorkshopProblem(Exception):
    """Why something was refused: a text key and its values (already escaped)."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values

    def text(self, lang: str) -> str:
        return t(lang, self.key, **self.values)


def load_round(session: Session, actor: Actor, round_id: int) -> WorkshopRound:
    """The round if the actor may see it, else WorkshopProblem (same answer whether it
    does not exist or is not theirs, so ids reveal nothing)."""
    if not actor.is_private_chat:  # a round's content is never shown in a group
        raise WorkshopProblem("ws_private")
    found = get_round(session=session, round_id=round_id)
    if found is None or not (actor.at_least(Role.MANAGER) or is_participant(
            session=session, round_id=round_id, telegram_id=actor.user_id)):
        raise WorkshopProblem("ws_not_found", id=round_id)
    return found


def at_step(found: WorkshopRound, step: int) -> None:
    """Refuse a button or answer made for another step than the round's current one."""
    if found.step != step:
        raise WorkshopProblem("ws_step_over", step=step)


def clean_statement(text: str) -> str:
    """A statement as kept: spaces collapsed; empty or too long is refused whole."""
    value = " ".join(text.split())
    if not value:
        raise WorkshopProblem("ws_empty")
    if len(value) > TEXT_MAX:
        raise WorkshopProblem("ws_too_long", limit=TEXT_MAX, length=len(value))
    return value


def step_name(lang: str, step: int) -> str:
    return t(lang, f"ws_step_{step}") if 1 <= step <= 4 else t(lang, "ws_closed")


def shown(contribution: WorkshopContribution, votes: int = 0) -> str:
    """One line for a statement: id, votes, field, text (escaped), its language."""
    text = contribution.text
    if len(text) > SHOWN_CHARS:
        text = text[:SHOWN_CHARS - 1] + "…"
    field = f"[{contribution.swot_field}] " if contribution.swot_field else ""
    return f"#{contribution.id} 👍{votes} {field}{html.escape(text)} <i>({contribution.lang})</i>"


def display(member: Member, profile: Profile | None) -> str:
    """How a person is named to others: their profile's name and organisation, else the
    name Telegram gives (not escaped)."""
    if profile is not None and profile.name:
        return f"{profile.name} ({profile.organization})" if profile.organization \
            else profile.name
    return member.name or (f"@{member.username}" if member.username else f"#{member.id}")

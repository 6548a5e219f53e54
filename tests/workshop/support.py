"""Helpers for the workshop tests (no tests here): members with profiles, button presses
through the router, and the button data a reply carries."""

from __future__ import annotations

from core.actor import Actor, Role
from core.reply import Reply
from core.router import handle_text, press_button, run_command
from core.services import Services
from core.workshop import ACTIONS
from storage.engine import session_scope
from storage.members.profiles import save_profile
from tests.action_plan.support import manager, person

__all__ = ["manager", "person"]

# Three members as in the talk's example: a charging-systems company, a battery research
# lab and an energy cluster; the lab needs what the company offers.
PEOPLE = {
    501: ("Anna Berg", "LadeNetz GmbH", "company", ["Ladeinfrastruktur", "Abrechnungssysteme"],
          ["Batterieforschung"]),
    502: ("Ben Ode", "Institut für Batterietechnik", "research",
          ["Batterieforschung", "Batterietechnik"], ["Ladeinfrastruktur"]),
    503: ("Cleo Dahl", "Energiecluster Ruhr", "cluster", ["Moderation", "Netzwerkarbeit"],
          ["Kommunikation"]),
}


def members_with_profiles(services: Services) -> dict[int, Actor]:
    """The three members of PEOPLE, each with a visible profile."""
    found: dict[int, Actor] = {}
    for user_id, (name, organization, kind, offers, needs) in PEOPLE.items():
        found[user_id] = person(services, user_id, username=f"ws_{user_id}")
        with session_scope(services.engine) as session:
            save_profile(session=session, telegram_id=user_id, name=name,
                         organization=organization, kind=kind, city="Gelsenkirchen",
                         offers=offers, needs=needs, description="", visible=True)
    return found


def press(services: Services, who: Actor, action: str, *arguments: object) -> Reply:
    return press_button(services, who, ACTIONS.data(action, *arguments))


def command(services: Services, who: Actor, args: str) -> Reply:
    return run_command(services, who, "workshop", args)


def say(services: Services, who: Actor, text: str) -> Reply:
    return handle_text(services, who, text)


def actions_of(reply: Reply) -> list[tuple[str, tuple[object, ...]]]:
    """The reply's workshop buttons read back by the table: (action, typed arguments)."""
    found: list[tuple[str, tuple[object, ...]]] = []
    for choice in reply.flat_choices:
        prefix, _, rest = choice.data.partition(":")
        parsed = ACTIONS.parse(rest) if prefix == ACTIONS.prefix else None
        if parsed is not None:
            found.append((parsed[0].name, parsed[1]))
    return found


def visitor(services: Services, user_id: int) -> Actor:
    return person(services, user_id, username=f"visitor_{user_id}", role=Role.VISITOR)


def open_round(services: Services, *, step: int = 1, keywords: str = "Ladeinfrastruktur"
               ) -> tuple[int, Actor, dict[int, Actor]]:
    """A round with the three members of PEOPLE invited, moved on to `step`."""
    boss = manager(services)
    people = members_with_profiles(services)
    reply = command(services, boss, f"new E-Mobilität 2027 | {keywords}")
    round_id = next(int(args[0]) for name, args in actions_of(reply)  # type: ignore[call-overload]
                    if name == "invite")
    press(services, boss, "invite_ok", round_id, "all")
    for current in range(1, step):
        press(services, boss, "next", round_id, current)
    return round_id, boss, people

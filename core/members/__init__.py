"""Members: joining, roles, profiles, matchmaking, introductions, privacy (issue #4)."""

from __future__ import annotations

from core.registry import Button, Command, DialogFunction

COMMANDS: tuple[Command, ...] = ()
BUTTONS: dict[str, Button] = {}
DIALOGS: dict[str, DialogFunction] = {}


def seed_demo(services: object) -> list[str]:
    """Fill an empty database with the talk's example data; returns what was added."""
    return []

"""The five pitfalls: self-check, health warnings from data, funding (issue #5)."""

from __future__ import annotations

from core.registry import Button, Command, DialogFunction

COMMANDS: tuple[Command, ...] = ()
BUTTONS: dict[str, Button] = {}
DIALOGS: dict[str, DialogFunction] = {}

"""The shapes every feature module exposes, so `core.commands` can collect them.

A feature module (core/start.py, core/questions.py, core/members/ ...) defines
`COMMANDS: tuple[Command, ...]`, `BUTTONS: dict[prefix, Button]` and, when it runs guided
dialogs, `DIALOGS: dict[feature, DialogFunction]`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.actor import Actor, Role
from core.reply import Reply

if TYPE_CHECKING:
    from core.dialogs import DialogState
    from core.services import Services

CommandFunction = Callable[["Services", Actor, str], Reply]
ButtonFunction = Callable[["Services", Actor, list[str]], Reply]
DialogFunction = Callable[["Services", Actor, "DialogState", str], Reply]


@dataclass(frozen=True)
class Command:
    """A slash command: who may use it, its menu text in both languages, what it runs."""

    name: str
    role: Role
    description: dict[str, str]
    run: CommandFunction
    private_only: bool = False  # e.g. dialogs and personal data: not in group chats


@dataclass(frozen=True)
class Button:
    """Buttons whose data starts with `prefix:`; `role` is re-checked on every press."""

    role: Role
    press: ButtonFunction

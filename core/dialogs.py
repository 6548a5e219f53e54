"""Guided dialogs (profile, plan entry, funding ...): which step a user is in, kept in the
database so a restart or the console never loses it. Routing free text to the open dialog
is the router's job (`core.router.handle_text`); this module only keeps the state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from core.actor import Actor
from core.services import Services
from storage.dialogs.state import delete_dialog, load_dialog, save_dialog
from storage.engine import session_scope

DIALOG_TIMEOUT = timedelta(hours=24)  # an untouched dialog counts as abandoned after a day


@dataclass
class DialogState:
    """The open dialog of one user: its name, current step, answers so far."""

    feature: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)
    saved: datetime | None = None  # when the step was saved: a restarted dialog is another


def begin(services: Services, actor: Actor, feature: str, step: str,
          data: dict[str, Any] | None = None) -> None:
    """Open (or restart) a dialog for the actor; any earlier dialog is replaced."""
    with session_scope(services.engine) as session:
        save_dialog(session=session, telegram_id=actor.user_id, feature=feature, step=step,
                    data=data or {})


advance = begin  # moving to the next step is the same write


def current(services: Services, actor: Actor) -> DialogState | None:
    """The actor's open dialog, or None (dialogs older than a day count as abandoned)."""
    with services.engine.begin() as connection:  # commits the deletion of an abandoned one
        found = load_dialog(connection=connection, telegram_id=actor.user_id,
                            max_age=DIALOG_TIMEOUT)
    return DialogState(*found) if found is not None else None


def finish(services: Services, actor: Actor) -> bool:
    """Close the actor's dialog; True when there was one."""
    with session_scope(services.engine) as session:
        return delete_dialog(session=session, telegram_id=actor.user_id)

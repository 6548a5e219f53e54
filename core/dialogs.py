"""Guided dialogs (profile, plan entry, funding ...): which step a user is in, kept in the
database so a restart or the console never loses it.

Free text goes through `handle_text`: a user in a dialog answers its current step, anyone
else asks the knowledge base. `/cancel` ends any dialog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from core.actor import Actor
from core.reply import Reply
from core.services import Services
from storage.engine import session_scope
from storage.models import DialogRow, utcnow

DIALOG_TIMEOUT_HOURS = 24


@dataclass
class DialogState:
    """The open dialog of one user: owning feature, current step, answers so far."""

    feature: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)


def _row(session: Session, user_id: int) -> DialogRow | None:
    return session.get(DialogRow, user_id)


def begin(services: Services, actor: Actor, feature: str, step: str,
          data: dict[str, Any] | None = None) -> None:
    """Open (or restart) a dialog for the actor; any earlier dialog is replaced."""
    with session_scope(services.engine) as session:
        row = _row(session, actor.user_id) or DialogRow(telegram_id=actor.user_id)
        row.feature, row.step, row.data, row.updated_at = feature, step, data or {}, utcnow()
        session.add(row)


advance = begin  # moving to the next step is the same write


def current(services: Services, actor: Actor) -> DialogState | None:
    """The actor's open dialog, or None (dialogs older than a day count as abandoned)."""
    with session_scope(services.engine) as session:
        row = _row(session, actor.user_id)
        if row is None:
            return None
        age = utcnow() - row.updated_at
        if age.total_seconds() > DIALOG_TIMEOUT_HOURS * 3600:
            session.delete(row)
            return None
        return DialogState(row.feature, row.step, dict(row.data or {}))


def finish(services: Services, actor: Actor) -> bool:
    """Close the actor's dialog; True when there was one."""
    with session_scope(services.engine) as session:
        row = _row(session, actor.user_id)
        if row is None:
            return False
        session.delete(row)
        return True


def handle_text(services: Services, actor: Actor, text: str) -> Reply:
    """Route free text: to the open dialog's feature, else to the knowledge base."""
    from core.commands import DIALOG_ROLES, DIALOGS, refusal
    from core.questions import ask

    state = current(services, actor) if actor.is_private_chat else None
    if state is not None:
        dialog = DIALOGS.get(state.feature)
        needed = DIALOG_ROLES.get(state.feature)
        if dialog is not None and needed is not None and not actor.at_least(needed):
            finish(services, actor)  # the role was taken away while the dialog was open
            return refusal(actor, needed, state.feature)
        if dialog is not None:
            return dialog(services, actor, state, text)
        finish(services, actor)
    return ask(services, actor, text)

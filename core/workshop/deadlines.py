"""Per-step deadlines: a round whose current step is past its deadline is said on its card
and in the managers' weekly digest (the `digest_lines` hook), so a round does not stall
unseen. Steps never move on by themselves: the manager decides when a step is over."""

from __future__ import annotations

import html
from datetime import date, datetime
from typing import Any

from core.i18n import t
from core.locale import format_date
from core.services import Services
from core.workshop.access import CLOSED
from storage.engine import session_scope
from storage.workshop.rounds import rounds_of
from storage.workshop.tables import WorkshopRound


def step_deadline(found: WorkshopRound) -> date | None:
    raw = found.deadlines.get(str(found.step)) if found.step != CLOSED else None
    return date.fromisoformat(raw) if raw else None


def is_overdue(found: WorkshopRound, today: date) -> bool:
    deadline = step_deadline(found)
    return deadline is not None and deadline < today


def digest_lines(services: Services, lang: str, at: Any) -> list[str]:
    """One line per open round whose current step's deadline has passed."""
    moment = at if isinstance(at, datetime) else datetime.now(services.settings.tz)
    today = moment.astimezone(services.settings.tz).date()
    with session_scope(services.engine) as session:
        found = rounds_of(session=session, telegram_id=None, limit=50)
    lines = []
    for current in found:
        deadline = step_deadline(current)
        if deadline is not None and deadline < today:
            lines.append(t(lang, "ws_digest_overdue", id=current.id,
                           title=html.escape(current.title[:60]), step=current.step,
                           date=format_date(deadline, lang)))
    return lines

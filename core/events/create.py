"""Saving a checked event draft (from the one-line /event_new or its dialog)."""

from __future__ import annotations

import secrets
from datetime import UTC

from core.actor import Actor
from core.events.common import now
from core.events.parse import Draft
from core.events.views import card
from core.i18n import t
from core.reply import Reply
from core.services import Services
from storage.engine import session_scope
from storage.events.events import create_event

INVITE_TOKEN_LENGTH = 6  # "e" + 6 characters: shorter than any members' invite token


def _token() -> str:
    return secrets.token_urlsafe(INVITE_TOKEN_LENGTH)[:INVITE_TOKEN_LENGTH]


def store(services: Services, actor: Actor, draft: Draft) -> Reply:
    """Save a checked draft; the new event's card."""
    lang = actor.language
    with session_scope(services.engine) as session:
        event = create_event(
            session=session, title=draft.title, starts_at=draft.starts_at.astimezone(UTC),
            ends_at=draft.ends_at.astimezone(UTC), place=draft.place, link=draft.link,
            capacity=draft.capacity, topics=draft.topics,
            registration_deadline=draft.registration_deadline.astimezone(UTC),
            visitors_allowed=draft.visitors_allowed,
            invite_token=_token() if draft.visitors_allowed else None,
            meeting_start=draft.meeting_start.astimezone(UTC) if draft.meeting_start else None,
            meeting_end=draft.meeting_end.astimezone(UTC) if draft.meeting_end else None,
            slot_minutes=draft.slot_minutes, tables=draft.tables, created_by=actor.user_id,
            created_at=now())
        event_id = event.id or 0
    return card(services, actor, event_id, note=t(lang, "events_created", id=event_id))

"""/events, the card's register and unregister buttons, the .ics and the visitor link."""

from __future__ import annotations

import html
import re

from core.actor import Actor, Role
from core.events.buttons import ACTIONS
from core.events.common import is_over, now, when
from core.events.ics import event_ics
from core.events.schedule import cancel_all_of
from core.events.views import card, may_register
from core.i18n import t
from core.reply import Attachment, Reply, refused_press, rows
from core.services import Services
from storage.engine import session_scope
from storage.events.events import (
    aware,
    event_by_token,
    get_event,
    is_registered,
    register,
    unregister,
    upcoming_events,
)
from storage.events.tables import Event

INVITE_ARGUMENT = re.compile(r"^e[A-Za-z0-9_-]{6}$")  # 7 characters: never a members' invite
LISTED = 10


def events_command(services: Services, actor: Actor, args: str) -> Reply:
    """/events [N]: the coming events as buttons, or the card of event N."""
    lang = actor.language
    if args.strip():
        if not args.strip().isascii() or not args.strip().isdigit() \
                or len(args.strip()) > 9:
            return Reply(t(lang, "events_usage"))
        return card(services, actor, int(args.strip()))
    with session_scope(services.engine) as session:
        events = [e for e in upcoming_events(session=session, now=now(), limit=LISTED)
                  if may_register(actor, e) or actor.at_least(Role.MEMBER)]
    if not events:
        return Reply(t(lang, "events_none_manager" if actor.at_least(Role.MANAGER)
                       else "events_none"))
    lines = [t(lang, "events_list_title")]
    buttons = []
    for event in events:
        lines.append(t(lang, "events_list_row", id=event.id, title=html.escape(event.title),
                       when=when(services, event.starts_at, lang)))
        buttons.append(ACTIONS.button(f"#{event.id} {event.title}"[:60], "card", event.id))
    return Reply("\n".join(lines), rows(buttons))


def press_card(services: Services, actor: Actor, event_id: int) -> Reply:
    return card(services, actor, event_id, edit=True)


def _refusal(lang: str, event: Event | None, event_id: int) -> Reply | None:
    if event is None:
        return refused_press(t(lang, "events_unknown", id=event_id))
    if event.cancelled_at is not None:
        return refused_press(t(lang, "events_is_cancelled"))
    if is_over(event):
        return refused_press(t(lang, "events_is_over"))
    return None


def press_register(services: Services, actor: Actor, event_id: int) -> Reply:
    """Register the actor, unless the event is full, closed or not for visitors."""
    lang = actor.language
    with session_scope(services.engine) as session:
        event = get_event(session=session, event_id=event_id)
        refused = _refusal(lang, event, event_id)
        if refused is not None or event is None:
            return refused or refused_press(t(lang, "events_unknown", id=event_id))
        if not may_register(actor, event):
            return refused_press(t(lang, "events_members_only"))
        if aware(event.registration_deadline) < now():
            return refused_press(t(lang, "events_deadline_passed",
                                   deadline=when(services, event.registration_deadline, lang)))
        try:
            with session.begin_nested():  # a race past the capacity undoes only this row
                outcome = register(session=session, event=event, telegram_id=actor.user_id,
                                   now=now())
        except OverflowError:
            outcome = "full"
    if outcome == "full":
        return refused_press(t(lang, "events_full"))
    note = t(lang, "events_registered" if outcome == "ok" else "events_already_registered")
    reply = card(services, actor, event_id, note=note, edit=True)
    return Reply(reply.text, reply.choices, edit=True, notice=note[:200])


def press_unregister(services: Services, actor: Actor, event_id: int) -> Reply:
    """Unregister; the person's meetings at the event are cancelled and the others told."""
    lang = actor.language
    with session_scope(services.engine) as session:
        event = get_event(session=session, event_id=event_id)
        refused = _refusal(lang, event, event_id)
        if refused is not None:
            return refused
        if not unregister(session=session, event_id=event_id, telegram_id=actor.user_id):
            return refused_press(t(lang, "events_not_registered"))
    extra = cancel_all_of(services, event_id, actor.user_id)
    note = t(lang, "events_unregistered")
    reply = card(services, actor, event_id, note=note, edit=True)
    return Reply(reply.text, reply.choices, edit=True, notice=note[:200], extra=extra)


def press_ics(services: Services, actor: Actor, event_id: int) -> Reply:
    """The event as an .ics file for the calendar."""
    lang = actor.language
    with session_scope(services.engine) as session:
        event = get_event(session=session, event_id=event_id)
        if event is None or (not may_register(actor, event) and not is_registered(
                session=session, event_id=event_id, telegram_id=actor.user_id)):
            return refused_press(t(lang, "events_unknown", id=event_id))
    return Reply(t(lang, "events_ics_done"),
                 attachments=(Attachment(f"event-{event_id}.ics",
                                         event_ics(services, event, lang)),))


def start_with_event(services: Services, actor: Actor, argument: str) -> Reply | None:
    """/start e…: a visitor's invite link to one event (None for any other argument)."""
    if not INVITE_ARGUMENT.match(argument.strip()):
        return None
    with session_scope(services.engine) as session:
        event = event_by_token(session=session, token=argument.strip()[1:])
        event_id = event.id if event is not None and event.visitors_allowed else None
    if event_id is None:
        return Reply(t(actor.language, "events_invite_unknown"))
    return card(services, actor, event_id, note=t(actor.language, "events_invite_welcome"))

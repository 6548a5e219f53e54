"""What managers do with events: create one (/event_new), invite visitors by link, export
participants and schedule, cancel an event (everyone registered is told)."""

from __future__ import annotations

import html

from core.actor import Actor
from core.events import entry
from core.events.buttons import ACTIONS
from core.events.common import now
from core.events.create import store
from core.events.exports import participants_csv, schedule_csv
from core.events.parse import ParseError, parse_event
from core.events.schedule import language_of
from core.events.views import card
from core.i18n import t
from core.reply import Attachment, Outgoing, Reply, refused_press, rows
from core.services import Services
from storage.engine import session_scope
from storage.events.events import get_event, participant_ids


def new_command(services: Services, actor: Actor, args: str) -> Reply:
    """/event_new title | date time | place or link | capacity | deadline | options…"""
    lang = actor.language
    if not args.strip():
        return entry.begin_entry(services, actor)
    try:
        draft = parse_event(args, services.settings.tz, now())
    except ParseError as problem:
        text = t(lang, problem.key, **problem.values)
        return Reply(text if problem.key == "events_new_usage"
                     else f"{text}\n\n{t(lang, 'events_new_usage')}")
    return store(services, actor, draft)




def press_invite(services: Services, actor: Actor, event_id: int) -> Reply:
    """The visitors' link to the event (only when the event allows visitors)."""
    lang = actor.language
    with session_scope(services.engine) as session:
        event = get_event(session=session, event_id=event_id)
        token = event.invite_token if event is not None and event.visitors_allowed else None
    if token is None:
        return refused_press(t(lang, "events_no_visitors"))
    if not services.bot_username:
        return Reply(t(lang, "events_invite_code", code=f"e{token}"))
    link = f"https://t.me/{services.bot_username}?start=e{token}"
    return Reply(t(lang, "events_invite_link", link=html.escape(link)))


def press_export(services: Services, actor: Actor, event_id: int, what: str) -> Reply:
    lang = actor.language
    with session_scope(services.engine) as session:
        if get_event(session=session, event_id=event_id) is None:
            return refused_press(t(lang, "events_unknown", id=event_id))
    content = (participants_csv if what == "participants" else schedule_csv)(
        services, event_id, lang)
    name = t(lang, f"events_csv_name_{what}", id=event_id)
    return Reply(t(lang, "events_export_done"), attachments=(Attachment(name, content),))


def press_cancel_event(services: Services, actor: Actor, event_id: int) -> Reply:
    lang = actor.language
    return Reply(t(lang, "events_cancel_confirm", id=event_id), rows([
        ACTIONS.button(t(lang, "events_button_cancel_confirmed"), "cancel_confirmed",
                       event_id),
        ACTIONS.button(t(lang, "events_button_keep"), "card", event_id)], per_row=2),
        edit=True)


def press_cancel_confirmed(services: Services, actor: Actor, event_id: int) -> Reply:
    """Cancel the event; everyone registered is told (its reminders are then skipped)."""
    lang = actor.language
    with session_scope(services.engine) as session:
        event = get_event(session=session, event_id=event_id)
        if event is None or event.cancelled_at is not None:
            return refused_press(t(lang, "events_is_cancelled"))
        event.cancelled_at = now()
        session.add(event)
        title = event.title
        people = [p for p in participant_ids(session=session, event_id=event_id)
                  if p != actor.user_id]
        languages = {p: language_of(session, services, p) for p in people}
    extra = tuple(Outgoing(p, Reply(t(languages[p], "events_cancelled_told",
                                      title=html.escape(title)))) for p in people)
    reply = card(services, actor, event_id, note=t(lang, "events_cancelled_done",
                                                   count=len(people)), edit=True)
    return Reply(reply.text, reply.choices, edit=True, extra=extra)

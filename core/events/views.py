"""The event card with the buttons that fit the person looking at it."""

from __future__ import annotations

from core.actor import Actor, Role
from core.events.buttons import ACTIONS
from core.events.common import event_lines, is_over, now, window_of
from core.i18n import t
from core.reply import Choice, Reply
from core.services import Services
from storage.engine import session_scope
from storage.events.events import aware, get_event, is_registered, registered_count
from storage.events.tables import Event


def may_register(actor: Actor, event: Event) -> bool:
    """Members may register; visitors only for events that allow visitors."""
    return actor.at_least(Role.MEMBER) or event.visitors_allowed


def card(services: Services, actor: Actor, event_id: int, *, note: str = "",
         edit: bool = False) -> Reply:
    """The event's card for `actor` (with `note` on top), or a notice that it is gone."""
    lang = actor.language
    with session_scope(services.engine) as session:
        event = get_event(session=session, event_id=event_id)
        if event is None:
            return Reply(t(lang, "events_unknown", id=event_id))
        registered = registered_count(session=session, event_id=event_id)
        mine = is_registered(session=session, event_id=event_id, telegram_id=actor.user_id)
    lines = ([note, ""] if note else []) + event_lines(services, event, lang, registered)
    if mine:
        lines.append(t(lang, "events_card_you_registered"))
    choices: list[tuple[Choice, ...]] = []
    open_event = event.cancelled_at is None and not is_over(event)
    if open_event and mine:
        choices.append((ACTIONS.button(t(lang, "events_button_unregister"), "unregister",
                                       event_id),
                        ACTIONS.button(t(lang, "events_button_ics"), "ics", event_id)))
        if window_of(event) is not None and actor.at_least(Role.MEMBER):
            choices.append((ACTIONS.button(t(lang, "events_button_partners"), "partners",
                                           event_id),
                            ACTIONS.button(t(lang, "events_button_schedule"), "schedule",
                                           event_id)))
    elif open_event and may_register(actor, event) \
            and aware(event.registration_deadline) >= now():
        choices.append((ACTIONS.button(t(lang, "events_button_register"), "register",
                                       event_id),
                        ACTIONS.button(t(lang, "events_button_ics"), "ics", event_id)))
    if actor.at_least(Role.MANAGER):
        choices.append((ACTIONS.button(t(lang, "events_button_participants"), "export",
                                       event_id, "participants"),
                        ACTIONS.button(t(lang, "events_button_schedule_csv"), "export",
                                       event_id, "schedule")))
        if event.cancelled_at is None:
            row = [ACTIONS.button(t(lang, "events_button_cancel_event"), "cancel_event",
                                  event_id)]
            if window_of(event) is not None:
                row.insert(0, ACTIONS.button(t(lang, "events_button_plan"), "plan", event_id))
            if event.visitors_allowed:
                row.insert(0, ACTIONS.button(t(lang, "events_button_invite"), "invite",
                                             event_id))
            choices.append(tuple(row))
    return Reply("\n".join(lines), tuple(choices), edit=edit)

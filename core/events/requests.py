"""Suggested partners at an event, meeting requests with an optional message, accept or
decline. Contact details are shown only once the other side has accepted."""

from __future__ import annotations

import html

from sqlmodel import Session

from core import dialogs
from core.actor import Actor
from core.dialogs import DialogState
from core.events.buttons import ACTIONS
from core.events.common import contact_of, is_over, now, person_label
from core.events.matching import suggest
from core.events.schedule import language_of, propose
from core.i18n import t
from core.reply import Choice, Outgoing, Reply, refused_press, rows
from core.services import Services
from storage.engine import session_scope
from storage.events.events import get_event, is_registered, members_by_telegram_id, participant_ids
from storage.events.meetings import (
    create_request,
    decide,
    get_meeting,
    open_meeting_between,
    profiles_of,
    waiting_requests,
)
from storage.events.tables import MESSAGE_MAX, Event, MeetingStatus

REQUEST_DIALOG = "events_request"
MAX_OPEN_REQUESTS = 30  # requests one person may have waiting at one event


def _usable(session: Session, lang: str, actor: Actor, event_id: int) -> Event | Reply:
    event = get_event(session=session, event_id=event_id)
    if event is None or event.cancelled_at is not None or is_over(event):
        return refused_press(t(lang, "events_is_over"))
    if not is_registered(session=session, event_id=event_id, telegram_id=actor.user_id):
        return refused_press(t(lang, "events_register_first"))
    return event


def press_partners(services: Services, actor: Actor, event_id: int) -> Reply:
    """Participants whose offers fit my needs or whose needs fit my offers, explained."""
    lang = actor.language
    with session_scope(services.engine) as session:
        event = _usable(session, lang, actor, event_id)
        if isinstance(event, Reply):
            return event
        others = [p for p in participant_ids(session=session, event_id=event_id)
                  if p != actor.user_id]
        profiles = profiles_of(session=session, ids={actor.user_id, *others})
        members = members_by_telegram_id(session=session, ids=set(others))
    mine = profiles.get(actor.user_id)
    if mine is None or not (mine.offers or mine.needs):
        return Reply(t(lang, "events_partners_need_profile"))
    candidates = {p: (list(profiles[p].offers), list(profiles[p].needs)) for p in others
                  if p in profiles and profiles[p].visible}
    found = suggest((list(mine.offers), list(mine.needs)), candidates)
    if not found:
        return Reply(t(lang, "events_partners_none"))
    lines = [t(lang, "events_partners_title")]
    buttons: list[Choice] = []
    for number, suggestion in enumerate(found, start=1):
        person = suggestion.telegram_id
        label = person_label(members.get(person), profiles[person], person)
        reasons = "; ".join(t(lang, f"events_reason_{r.direction}", mine=html.escape(r.mine),
                              theirs=html.escape(r.theirs)) for r in suggestion.reasons[:3])
        lines.append(f"{number}. <b>{label}</b>: {reasons}")
        buttons.append(ACTIONS.button(t(lang, "events_button_request", n=number), "ask",
                                      event_id, person))
    return Reply("\n".join(lines), rows(buttons, per_row=4))


def press_ask(services: Services, actor: Actor, event_id: int, target: int) -> Reply:
    """Start a request: ask for an optional message."""
    lang = actor.language
    with session_scope(services.engine) as session:
        problem = _refuse_request(session, lang, actor, event_id, target)
        if problem is not None:
            return problem
    dialogs.begin(services, actor, REQUEST_DIALOG, "message",
                  {"event_id": event_id, "target": target})
    return Reply(t(lang, "events_request_ask_message", limit=MESSAGE_MAX), rows([
        ACTIONS.button(t(lang, "events_button_send_plain"), "send", event_id, target)]))


def _refuse_request(session: Session, lang: str, actor: Actor, event_id: int, target: int
                    ) -> Reply | None:
    event = _usable(session, lang, actor, event_id)
    if isinstance(event, Reply):
        return event
    if target == actor.user_id or not is_registered(session=session, event_id=event_id,
                                                    telegram_id=target):
        return refused_press(t(lang, "events_not_a_participant"))
    if open_meeting_between(session=session, event_id=event_id, a=actor.user_id,
                            b=target) is not None:
        return refused_press(t(lang, "events_request_exists"))
    if waiting_requests(session=session, event_id=event_id,
                        requester_id=actor.user_id) >= MAX_OPEN_REQUESTS:
        return refused_press(t(lang, "events_request_limit", count=MAX_OPEN_REQUESTS))
    return None


def request_step(services: Services, actor: Actor, state: DialogState, text: str) -> Reply:
    """The typed message: too long is explained and asked again; otherwise sent."""
    lang = actor.language
    message = " ".join(text.split())
    if len(message) > MESSAGE_MAX:
        return Reply(t(lang, "events_request_too_long", length=len(message),
                       limit=MESSAGE_MAX))
    dialogs.finish(services, actor)
    return _send(services, actor, int(state.data.get("event_id", 0)),
                 int(state.data.get("target", 0)), message)


def press_send(services: Services, actor: Actor, event_id: int, target: int) -> Reply:
    """Send the request without a message."""
    state = dialogs.current(services, actor)
    if state is None or state.feature != REQUEST_DIALOG \
            or state.data.get("event_id") != event_id or state.data.get("target") != target:
        return refused_press(t(actor.language, "events_request_no_dialog"))
    dialogs.finish(services, actor)
    return _send(services, actor, event_id, target, "")


def _send(services: Services, actor: Actor, event_id: int, target: int, message: str
          ) -> Reply:
    lang = actor.language
    with session_scope(services.engine) as session:
        problem = _refuse_request(session, lang, actor, event_id, target)
        if problem is not None:
            return Reply(problem.text)
        event = get_event(session=session, event_id=event_id)
        assert event is not None
        meeting = create_request(session=session, event_id=event_id,
                                 requester_id=actor.user_id, target_id=target,
                                 message=message, now=now())
        me = members_by_telegram_id(session=session, ids={actor.user_id}).get(actor.user_id)
        profile = profiles_of(session=session, ids={actor.user_id}).get(actor.user_id)
        target_lang = language_of(session, services, target)
        title = html.escape(event.title)
    who = person_label(me, profile, actor.user_id)
    text = t(target_lang, "events_request_received", who=who, title=title)
    if message:
        text += "\n\n" + t(target_lang, "events_request_message", message=html.escape(message))
    ask = Reply(text, rows([
        ACTIONS.button(t(target_lang, "events_button_accept"), "accept", meeting.id),
        ACTIONS.button(t(target_lang, "events_button_decline"), "decline", meeting.id)],
        per_row=2))
    return Reply(t(lang, "events_request_sent"), extra=(Outgoing(target, ask),))


def _decision(services: Services, actor: Actor, meeting_id: int, accepted: bool) -> Reply:
    lang = actor.language
    with session_scope(services.engine) as session:
        meeting = get_meeting(session=session, meeting_id=meeting_id)
        if meeting is None or meeting.target_id != actor.user_id:
            return refused_press(t(lang, "events_meeting_unknown"))
        if meeting.status != MeetingStatus.REQUESTED.value:
            return refused_press(t(lang, "events_request_decided"))
        event = get_event(session=session, event_id=meeting.event_id)
        if event is None or event.cancelled_at is not None or is_over(event):
            return refused_press(t(lang, "events_is_over"))
        decide(session=session, meeting=meeting,
               status=MeetingStatus.ACCEPTED if accepted else MeetingStatus.DECLINED,
               now=now())
        people = members_by_telegram_id(session=session,
                                        ids={meeting.requester_id, actor.user_id})
        profiles = profiles_of(session=session, ids={meeting.requester_id, actor.user_id})
        requester_lang = language_of(session, services, meeting.requester_id)
    requester, me = meeting.requester_id, actor.user_id
    my_label = person_label(people.get(me), profiles.get(me), me)
    their_label = person_label(people.get(requester), profiles.get(requester), requester)
    if not accepted:
        told = Reply(t(requester_lang, "events_request_declined", who=my_label))
        return Reply(t(lang, "events_you_declined", who=their_label), edit=True,
                     extra=(Outgoing(requester, told),))
    told = Reply(t(requester_lang, "events_request_accepted", who=my_label,
                   contact=contact_of(people.get(me))))
    intro = t(lang, "events_you_accepted", who=their_label,
              contact=contact_of(people.get(requester)))
    reply = propose(services, lang, meeting, event, intro)
    return Reply(reply.text, reply.choices, edit=True, extra=(Outgoing(requester, told),))


def press_accept(services: Services, actor: Actor, meeting_id: int) -> Reply:
    return _decision(services, actor, meeting_id, True)


def press_decline(services: Services, actor: Actor, meeting_id: int) -> Reply:
    return _decision(services, actor, meeting_id, False)

"""Slots for accepted meetings: free slots proposed, booked without double-booking, moved or
cancelled (both sides told), the personal schedule, and the manager's slot plan."""

from __future__ import annotations

import html

from sqlmodel import Session

from core.actor import Actor
from core.events.buttons import ACTIONS
from core.events.common import clock_time, contact_of, is_over, now, person_label, window_of
from core.events.slots import Occupancy, Window, plan
from core.i18n import t
from core.reply import Choice, Outgoing, Reply, refused_press, rows
from core.services import Services
from storage.engine import session_scope
from storage.events.events import get_event, members_by_telegram_id
from storage.events.meetings import (
    SlotTaken,
    book,
    book_many,
    busy_slots,
    decide,
    free_seats,
    get_meeting,
    meetings_of_event,
    meetings_of_person,
    profiles_of,
    taken_tables,
)
from storage.events.tables import Event, EventMeeting, MeetingStatus

SLOTS_SHOWN = 8
PLAN_ATTEMPTS = 3


def occupancy(session: Session, event_id: int, *, without: int | None = None) -> Occupancy:
    """Who is busy when at the event (leaving out meeting `without`, about to move)."""
    seats = busy_slots(session=session, event_id=event_id)
    tables = taken_tables(session=session, event_id=event_id)
    if without is not None:
        meeting = get_meeting(session=session, meeting_id=without)
        if meeting is not None and meeting.slot_start is not None:
            slot = meeting.slot_start
            seats = [(p, s) for p, s in seats
                     if not (p in (meeting.requester_id, meeting.target_id) and s == slot)]
            tables = [(s, n) for s, n in tables
                      if not (s == slot and n == meeting.table_no)]
    return Occupancy.of(seats, tables)


def language_of(session: Session, services: Services, person: int) -> str:
    member = members_by_telegram_id(session=session, ids={person}).get(person)
    return member.language if member else services.settings.default_language


def slot_choices(services: Services, lang: str, meeting: EventMeeting, window: Window,
                 free: list[int]) -> tuple[tuple[Choice, ...], ...]:
    buttons = [ACTIONS.button(clock_time(services, window.slots[i]), "slot", meeting.id, i)
               for i in free[:SLOTS_SHOWN]]
    return rows(buttons, per_row=4)


def propose(services: Services, lang: str, meeting: EventMeeting, event: Event,
            intro: str) -> Reply:
    """`intro` and the free slots of both people as buttons (or that none is left)."""
    window = window_of(event)
    if window is None:
        return Reply(intro, edit=True)
    with session_scope(services.engine) as session:
        occupied = occupancy(session, event.id or 0, without=meeting.id)
    free_times = occupied.free_for(window, meeting.requester_id, meeting.target_id)
    free = [window.slots.index(s) for s in free_times]
    if not free:
        return Reply(f"{intro}\n\n{t(lang, 'events_no_free_slot')}", edit=True)
    return Reply(f"{intro}\n\n{t(lang, 'events_choose_slot')}",
                 slot_choices(services, lang, meeting, window, free), edit=True)


def _meeting_for(session: Session, actor: Actor, meeting_id: int
                 ) -> tuple[EventMeeting, Event] | str:
    meeting = get_meeting(session=session, meeting_id=meeting_id)
    if meeting is None or actor.user_id not in (meeting.requester_id, meeting.target_id):
        return "events_meeting_unknown"
    event = get_event(session=session, event_id=meeting.event_id)
    if event is None or event.cancelled_at is not None or is_over(event):
        return "events_is_over"
    return meeting, event


def meeting_line(services: Services, session: Session, lang: str, meeting: EventMeeting,
                 person: int) -> str:
    other = meeting.target_id if meeting.requester_id == person else meeting.requester_id
    member = members_by_telegram_id(session=session, ids={other}).get(other)
    profile = profiles_of(session=session, ids={other}).get(other)
    when_text = (clock_time(services, meeting.slot_start) if meeting.slot_start
                 else t(lang, "events_no_slot_yet"))
    table = t(lang, "events_table", table=meeting.table_no) if meeting.table_no else ""
    return t(lang, "events_schedule_row", when=when_text, table=table,
             who=person_label(member, profile, other), contact=contact_of(member))


def schedule_reply(services: Services, person: int, lang: str, event_id: int, *,
                   note: str = "", edit: bool = False) -> Reply:
    """The person's schedule at the event: accepted meetings by slot, with move/cancel."""
    with session_scope(services.engine) as session:
        event = get_event(session=session, event_id=event_id)
        if event is None:
            return Reply(t(lang, "events_unknown", id=event_id))
        meetings = [m for m in meetings_of_person(session=session, event_id=event_id,
                                                  telegram_id=person)
                    if m.status == MeetingStatus.ACCEPTED.value]
        lines = ([note, ""] if note else []) + [
            t(lang, "events_schedule_title", title=html.escape(event.title))]
        lines += [meeting_line(services, session, lang, m, person) for m in meetings]
    if not meetings:
        lines.append(t(lang, "events_schedule_empty"))
    buttons: list[tuple[Choice, ...]] = []
    if not is_over(event) and event.cancelled_at is None:
        for number, meeting in enumerate(meetings, start=1):
            buttons.append((ACTIONS.button(t(lang, "events_button_move", n=number), "move",
                                           meeting.id),
                            ACTIONS.button(t(lang, "events_button_drop", n=number), "drop",
                                           meeting.id)))
    return Reply("\n".join(lines), tuple(buttons), edit=edit)


def press_schedule(services: Services, actor: Actor, event_id: int) -> Reply:
    return schedule_reply(services, actor.user_id, actor.language, event_id)


def press_slot(services: Services, actor: Actor, meeting_id: int, index: int) -> Reply:
    """Book slot `index` for the meeting; a slot taken meanwhile is a clear conflict."""
    lang = actor.language
    with session_scope(services.engine) as session:
        found = _meeting_for(session, actor, meeting_id)
        if isinstance(found, str):
            return refused_press(t(lang, found))
        meeting, event = found
        window = window_of(event)
        if meeting.status != MeetingStatus.ACCEPTED.value or window is None \
                or not 0 <= index < len(window.slots):
            return refused_press(t(lang, "events_meeting_unknown"))
        slot = window.slots[index]
        moved = meeting.slot_start is not None
        occupied = occupancy(session, event.id or 0, without=meeting.id)
        conflict = slot not in occupied.free_for(window, meeting.requester_id,
                                                 meeting.target_id)
        if not conflict:
            table = occupied.take(window, meeting.requester_id, meeting.target_id, slot)
            try:
                book(session=session, meeting=meeting, slot=slot, table=table)
            except SlotTaken:
                conflict = True
    if conflict:
        return propose(services, lang, meeting, event, t(lang, "events_slot_conflict"))
    key = "events_slot_moved" if moved else "events_slot_booked"
    return _tell_both(services, actor, meeting, key)


def _tell_both(services: Services, actor: Actor, meeting: EventMeeting, key: str) -> Reply:
    other = meeting.target_id if meeting.requester_id == actor.user_id else meeting.requester_id
    with session_scope(services.engine) as session:
        other_lang = language_of(session, services, other)
    mine = schedule_reply(services, actor.user_id, actor.language, meeting.event_id,
                          note=t(actor.language, key), edit=True)
    theirs = schedule_reply(services, other, other_lang, meeting.event_id,
                            note=t(other_lang, key))
    return Reply(mine.text, mine.choices, edit=True, extra=(Outgoing(other, theirs),))


def press_move(services: Services, actor: Actor, meeting_id: int) -> Reply:
    lang = actor.language
    with session_scope(services.engine) as session:
        found = _meeting_for(session, actor, meeting_id)
    if isinstance(found, str):
        return refused_press(t(lang, found))
    meeting, event = found
    if meeting.status != MeetingStatus.ACCEPTED.value:
        return refused_press(t(lang, "events_meeting_unknown"))
    return propose(services, lang, meeting, event, t(lang, "events_move_intro"))


def press_drop(services: Services, actor: Actor, meeting_id: int) -> Reply:
    """Cancel a requested or accepted meeting; the other side is told."""
    lang = actor.language
    with session_scope(services.engine) as session:
        found = _meeting_for(session, actor, meeting_id)
        if isinstance(found, str):
            return refused_press(t(lang, found))
        meeting, _ = found
        if meeting.status not in (MeetingStatus.REQUESTED.value, MeetingStatus.ACCEPTED.value):
            return refused_press(t(lang, "events_meeting_unknown"))
        free_seats(session=session, meeting_id=meeting_id)
        decide(session=session, meeting=meeting, status=MeetingStatus.CANCELLED, now=now())
    return _tell_both(services, actor, meeting, "events_meeting_cancelled")


def cancel_all_of(services: Services, event_id: int, person: int) -> tuple[Outgoing, ...]:
    """Cancel a person's open meetings at an event (they unregistered); tell the others."""
    told = []
    with session_scope(services.engine) as session:
        for meeting in meetings_of_person(session=session, event_id=event_id,
                                          telegram_id=person):
            if meeting.status not in (MeetingStatus.REQUESTED.value,
                                      MeetingStatus.ACCEPTED.value):
                continue
            free_seats(session=session, meeting_id=meeting.id or 0)
            decide(session=session, meeting=meeting, status=MeetingStatus.CANCELLED, now=now())
            told.append(meeting.target_id if meeting.requester_id == person
                        else meeting.requester_id)
    extra = []
    for other in told:
        with session_scope(services.engine) as session:
            lang = language_of(session, services, other)
        extra.append(Outgoing(other, schedule_reply(services, other, lang, event_id,
                                                    note=t(lang, "events_partner_left"))))
    return tuple(extra)


def plan_event(services: Services, event_id: int) -> tuple[int, int, set[int]] | None:
    """Slots for every accepted meeting without one: (planned, left without slot, people
    whose schedule changed); None when the event has no meeting window. A slot booked by
    hand while the plan was made is noticed by the unique seats: the plan is made again."""
    for _ in range(PLAN_ATTEMPTS - 1):
        try:
            return _plan_once(services, event_id)
        except SlotTaken:
            continue
    return _plan_once(services, event_id)


def _plan_once(services: Services, event_id: int) -> tuple[int, int, set[int]] | None:
    with session_scope(services.engine) as session:
        event = get_event(session=session, event_id=event_id)
        window = window_of(event) if event is not None else None
        if window is None:
            return None
        waiting = [m for m in meetings_of_event(session=session, event_id=event_id,
                                                statuses=(MeetingStatus.ACCEPTED.value,))
                   if m.slot_start is None]
        occupied = occupancy(session, event_id)
        planned, left = plan(window, occupied,
                             [(m.id or 0, m.requester_id, m.target_id) for m in waiting])
        by_id = {m.id: m for m in waiting}
        book_many(session=session, plan=[(by_id[p.meeting_id], p.slot, p.table)
                                         for p in planned])
        people = {p for entry in planned for p in (by_id[entry.meeting_id].requester_id,
                                                   by_id[entry.meeting_id].target_id)}
    return len(planned), len(left), people


def press_plan(services: Services, actor: Actor, event_id: int) -> Reply:
    """Manager: plan all accepted meetings; everyone whose schedule changed gets it."""
    lang = actor.language
    result = plan_event(services, event_id)
    if result is None:
        return refused_press(t(lang, "events_no_window"))
    planned, left, people = result
    extra = []
    for person in sorted(people):
        with session_scope(services.engine) as session:
            person_lang = language_of(session, services, person)
        extra.append(Outgoing(person, schedule_reply(
            services, person, person_lang, event_id, note=t(person_lang, "events_planned_note"))))
    return Reply(t(lang, "events_planned", count=planned, left=left), extra=tuple(extra))

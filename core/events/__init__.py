"""Matchmaking events, B2B meetings and the follow-up of introductions (issue #14).

Modules: parse (/event_new as typed), entry (its guided dialog), create (saving it), manage
(/event_new, invite link, exports, cancel), views (the event card), browse (/events,
register, unregister, .ics, the visitors' deep link), matching (suggested partners among
participants), requests (meeting requests, accept, decline), slots (the meeting window's
slots and the slot planner), schedule (booking, moving, cancelling, the personal schedule),
delivery (the day-before reminder and the follow-up questions, sent once), followup (the
answers), kpis + charts + exports (the talk's figures counted, per year and per event,
CSV). Data: storage/events/.
"""

from __future__ import annotations

from core.actor import Role
from core.events import browse, buttons, entry, followup, kpis, manage, requests, schedule
from core.events.delivery import EVENTS_JOB
from core.feature import Command, Dialog, Feature, Privacy
from storage import clock
from storage.events.privacy import forget_person, person_data

ACTIONS = buttons.ACTIONS.bound({
    "card": browse.press_card,
    "register": browse.press_register,
    "unregister": browse.press_unregister,
    "ics": browse.press_ics,
    "partners": requests.press_partners,
    "ask": requests.press_ask,
    "send": requests.press_send,
    "accept": requests.press_accept,
    "decline": requests.press_decline,
    "slot": schedule.press_slot,
    "move": schedule.press_move,
    "drop": schedule.press_drop,
    "schedule": schedule.press_schedule,
    "fu": followup.press_answer,
    "fu_stop": followup.press_stop,
    "plan": schedule.press_plan,
    "invite": manage.press_invite,
    "export": manage.press_export,
    "cancel_event": manage.press_cancel_event,
    "cancel_confirmed": manage.press_cancel_confirmed,
    "kpis": kpis.press_kpis,
})

FEATURE = Feature(
    name="events",
    commands=(
        Command("events", Role.VISITOR, browse.events_command, private_only=True),
        Command("event_new", Role.MANAGER, manage.new_command, private_only=True),
        Command("event_kpis", Role.MANAGER, kpis.kpis_command, private_only=True),
    ),
    actions=(ACTIONS,),
    dialogs=(
        Dialog(entry.ENTRY_DIALOG, entry.entry_step, Role.MANAGER),
        Dialog(requests.REQUEST_DIALOG, requests.request_step, Role.MEMBER),
        Dialog(followup.PROJECT_DIALOG, followup.project_step, Role.VISITOR),
    ),
    start_argument=browse.start_with_event,
    digest_lines=kpis.digest_lines,
    privacy=Privacy(
        export=lambda session, telegram_id: person_data(session=session,
                                                        telegram_id=telegram_id),
        forget=lambda session, telegram_id, successor_id: forget_person(
            session=session, telegram_id=telegram_id, now=clock.utcnow())),
    jobs=(EVENTS_JOB,),
)

__all__ = ["ACTIONS", "FEATURE"]

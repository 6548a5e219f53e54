"""The follow-up of an introduction or meeting: did you meet, did a project start, may the
cluster mention it, and the project's name in one line. Each answer is the person's own
(exported, forgotten); a question is asked once per occasion (core.events.delivery), and
"don't ask me again" stops every later one."""

from __future__ import annotations

import html

from core import dialogs
from core.actor import Actor
from core.dialogs import DialogState
from core.events.buttons import ACTIONS
from core.events.common import now, person_label
from core.i18n import t
from core.reply import Choice, Reply, refused_press, rows
from core.services import Services
from storage.engine import session_scope
from storage.events.events import members_by_telegram_id
from storage.events.followup import get_followup, opt_out, partner_of, save_followup
from storage.events.meetings import profiles_of
from storage.events.tables import PROJECT_MAX, FollowUp

PROJECT_DIALOG = "events_project"


def _about(services: Services, followup: FollowUp, lang: str) -> str:
    with session_scope(services.engine) as session:
        other, title = partner_of(session=session, followup=followup)
        member = members_by_telegram_id(session=session, ids={other} if other else set()
                                        ).get(other or 0)
        profile = profiles_of(session=session, ids={other} if other else set()).get(other or 0)
    who = person_label(member, profile, other or 0) if other else "–"
    if title is not None:
        return t(lang, "events_fu_about_meeting", months=followup.months, who=who,
                 title=html.escape(title))
    return t(lang, "events_fu_about_intro", months=followup.months, who=who)


def _buttons(lang: str, followup_id: int, question: str) -> tuple[tuple[Choice, ...], ...]:
    return rows([ACTIONS.button(t(lang, "events_yes"), "fu", followup_id, question, "yes"),
                 ACTIONS.button(t(lang, "events_no"), "fu", followup_id, question, "no"),
                 ACTIONS.button(t(lang, "events_fu_stop"), "fu_stop", followup_id)],
                per_row=2)


def followup_question(services: Services, actor: Actor, followup_id: int) -> Reply | None:
    """The first question of a follow-up (None when the answer row is gone)."""
    with session_scope(services.engine) as session:
        followup = get_followup(session=session, followup_id=followup_id)
    if followup is None:
        return None
    lang = actor.language
    text = f"{_about(services, followup, lang)}\n\n{t(lang, 'events_fu_q_met')}"
    return Reply(text, _buttons(lang, followup_id, "met"))


def _own(services: Services, actor: Actor, followup_id: int) -> FollowUp | None:
    with session_scope(services.engine) as session:
        followup = get_followup(session=session, followup_id=followup_id)
    return followup if followup is not None and followup.telegram_id == actor.user_id else None


def press_answer(services: Services, actor: Actor, followup_id: int, question: str,
                 answer: str) -> Reply:
    """Record one answer and ask the next question (met -> project -> mention -> name)."""
    lang = actor.language
    followup = _own(services, actor, followup_id)
    if followup is None:
        return refused_press(t(lang, "events_fu_unknown"))
    yes = answer == "yes"
    if question == "project" and followup.met is not True or \
            question == "mention" and not followup.project:
        return refused_press(t(lang, "events_fu_unknown"))
    setattr(followup, question, yes)
    if question == "met" and not yes:
        followup.project, followup.mention = None, None
    followup.answered_at = followup.answered_at or now()
    with session_scope(services.engine) as session:
        save_followup(session=session, followup=followup)
    if question == "met":
        return Reply(t(lang, "events_fu_q_project"), _buttons(lang, followup_id, "project"),
                     edit=True)
    if question == "project" and yes:
        return Reply(t(lang, "events_fu_q_mention"), _buttons(lang, followup_id, "mention"),
                     edit=True)
    if question == "mention":
        dialogs.begin(services, actor, PROJECT_DIALOG, "name", {"followup_id": followup_id})
        return Reply(t(lang, "events_fu_q_name", limit=PROJECT_MAX), edit=True)
    return Reply(t(lang, "events_fu_thanks"), edit=True)


def project_step(services: Services, actor: Actor, state: DialogState, text: str) -> Reply:
    """The project's name in one line (too long: asked again; /cancel leaves it unnamed)."""
    lang = actor.language
    name = " ".join(text.split())
    if not name or len(name) > PROJECT_MAX:
        return Reply(t(lang, "events_fu_name_bad", limit=PROJECT_MAX))
    followup = _own(services, actor, int(state.data.get("followup_id", 0)))
    dialogs.finish(services, actor)
    if followup is None:
        return Reply(t(lang, "events_fu_unknown"))
    followup.project_name = name
    with session_scope(services.engine) as session:
        save_followup(session=session, followup=followup)
    return Reply(t(lang, "events_fu_named", name=html.escape(name)))


def press_stop(services: Services, actor: Actor, followup_id: int) -> Reply:
    """Don't ask me again: no further follow-up question for this person."""
    lang = actor.language
    if _own(services, actor, followup_id) is None:
        return refused_press(t(lang, "events_fu_unknown"))
    with session_scope(services.engine) as session:
        opt_out(session=session, telegram_id=actor.user_id, now=now())
    return Reply(t(lang, "events_fu_stopped"), edit=True)

"""A draft into the plan with one tap, and the participants the bot suggests for it.

Saving says the draft's pitfalls first and saves only on "save anyway"; the item is
written through the plan's storage with its "you are responsible" notice in the same unit
of work, so the plan's reminder pass tells the responsible person as for /plan_add.
Suggested participants are members whose (visible) profile offers fit the action's topic
and text, with the participant group their profile belongs to and the matching words; the
manager invites one in a tap, the member accepts or declines, and only an acceptance puts
their name on the item.
"""

from __future__ import annotations

import calendar
import html
from datetime import date

from core.actor import Actor
from core.i18n import t
from core.reply import Choice, Outgoing, Reply, refused_press, rows
from core.services import Services
from core.workshop.access import WorkshopProblem, display
from core.workshop.buttons import ACTIONS
from core.workshop.drafts import LIMITS, columns, draft_card, load_draft, pitfalls
from core.workshop.rounds import today_of
from knowledge.offers import Fit, offer_fits
from storage.clock import utcnow
from storage.engine import session_scope
from storage.members.people import active_members, participant_group, people_of
from storage.workshop.contributions import get_contribution, save_contribution
from storage.workshop.plan import (
    add_participant_name,
    create_item,
    decide_invite,
    find_responsible,
    get_invite,
    get_item,
    invite,
)

SUGGESTED = 5



def add_months(start: date, months: int) -> date:
    """Calendar months on (31.01. + 1 month = 28./29.02.)."""
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def suggestions(services: Services, text: str, *, exclude: set[int]) -> tuple[
        list[Fit], dict[int, tuple[str, str]]]:
    """Members whose offers fit `text`, and their (name, participant group)."""
    with session_scope(services.engine) as session:
        people = active_members(session=session,
                                also=frozenset(services.settings.manager_ids))
    offers = {m.telegram_id: list(p.offers) for m, p in people
              if p is not None and p.visible and m.telegram_id not in exclude}
    about = {m.telegram_id: (display(m, p),
                             participant_group(p.kind if p else None))
             for m, p in people}
    return offer_fits(text, offers, limit=SUGGESTED), about


def suggestion_lines(services: Services, lang: str, item_id: int, text: str,
                     exclude: set[int]) -> tuple[str, list[Choice]]:
    fits, about = suggestions(services, text, exclude=exclude)
    if not fits:
        return t(lang, "ws_suggest_none"), []
    lines = [t(lang, "ws_suggest_title")]
    buttons: list[Choice] = []
    for fit in fits:
        name, group = about[fit.telegram_id]
        lines.append(t(lang, "ws_suggest_line", name=html.escape(name),
                       group=t(lang, f"ws_plan_group_{group}"),
                       words=html.escape(", ".join(fit.words))))
        buttons.append(ACTIONS.button(t(lang, "ws_btn_invite_person", name=name[:30]),
                                      "suggest", item_id, fit.telegram_id))
    return "\n".join(lines), buttons


def press_to_plan(services: Services, actor: Actor, draft_id: int, mode: str) -> Reply:
    """Save the draft as an action item; first say its pitfalls (then "save anyway")."""
    lang = actor.language
    try:
        found = load_draft(services, actor, draft_id)
    except WorkshopProblem as problem:
        return refused_press(problem.text(lang))
    if found.item_id is not None:
        return refused_press(t(lang, "ws_draft_planned", item=found.item_id))
    draft = found.draft
    warnings = pitfalls(draft)
    if warnings and mode != "anyway":
        text = "\n\n".join([columns(draft, lang), t(lang, "ws_pit_before_save") + "\n" +
                            "\n".join("⚠️ " + t(lang, key) for key in warnings)])
        return Reply(text, rows([
            ACTIONS.button(t(lang, "ws_btn_save_anyway"), "to_plan", draft_id, "anyway"),
            ACTIONS.button(t(lang, "ws_btn_back"), "draft", draft_id)]), edit=True)
    now = utcnow()
    deadline = add_months(today_of(services), int(draft["horizon"]))
    with session_scope(services.engine) as session:
        row = get_contribution(session=session, contribution_id=draft_id)
        if row is None or row.item_id is not None:  # a double tap: saved once
            return refused_press(t(lang, "ws_draft_gone", id=draft_id))
        typed = draft.get("responsible", "")
        me = people_of(session=session, telegram_ids={actor.user_id}).get(actor.user_id)
        responsible = find_responsible(session=session, text=typed) if typed else \
            (me[0] if me else None)
        item = create_item(
            session=session, topic=draft["topic"][:LIMITS["topic"]], action=draft["action"],
            deadline=deadline, responsible=responsible, responsible_text=typed,
            participants=draft.get("participants", ""), groups=list(draft.get("groups", [])),
            kpi=draft.get("kpi", ""), by_telegram_id=actor.user_id, by_name=actor.name,
            now=now)
        row.item_id, row.status = item.id, "planned"
        save_contribution(session=session, found=row)
        responsible_id = responsible.telegram_id if responsible is not None else None
    assert item.id is not None
    notes = [t(lang, "ws_saved_item", item=item.id)]
    if responsible_id is not None and responsible_id != actor.user_id:
        notes.append(t(lang, "ws_responsible_told"))
    elif responsible is None and typed:
        notes.append(t(lang, "ws_responsible_unknown", name=html.escape(typed)))
    text, buttons = suggestion_lines(services, lang, item.id,
                                     f"{draft['topic']} {draft['action']}",
                                     exclude={actor.user_id} | ({responsible_id}
                                                                if responsible_id else set()))
    return Reply("\n".join(notes) + "\n\n" + text, rows(buttons), edit=True)


def press_suggest(services: Services, actor: Actor, item_id: int, telegram_id: int) -> Reply:
    """Invite a suggested member to take part; they decide (nothing shared before)."""
    lang = actor.language
    with session_scope(services.engine) as session:
        item = get_item(session=session, item_id=item_id)
        person = people_of(session=session, telegram_ids={telegram_id}).get(telegram_id)
        if item is None or person is None:
            return refused_press(t(lang, "ws_dialog_stale"))
        fits, _ = suggestions(services, f"{item.topic} {item.action}", exclude=set())
        fit = next((f for f in fits if f.telegram_id == telegram_id), None)
        made = invite(session=session, item_id=item_id, telegram_id=telegram_id,
                      matched=list(fit.words) if fit else [], invited_by=actor.user_id)
        if made is None:
            return refused_press(t(lang, "ws_already_invited"))
        assert made.id is not None
        member, topic, invite_id = person[0], item.topic, made.id
    them = member.language
    message = Reply(t(them, "ws_invitation", id=item_id, topic=html.escape(topic[:120]),
                      words=html.escape(", ".join(fit.words if fit else ()))),
                    ((ACTIONS.button(t(them, "ws_btn_accept"), "accept", invite_id),
                      ACTIONS.button(t(them, "ws_btn_decline"), "decline", invite_id)),))
    return Reply(t(lang, "ws_invite_sent", name=html.escape(member.name or "?")),
                 notice=t(lang, "ws_invite_sent", name=member.name or "?")[:200],
                 extra=(Outgoing(telegram_id, message),))


def _decide(services: Services, actor: Actor, invite_id: int, accepted: bool) -> Reply:
    lang = actor.language
    with session_scope(services.engine) as session:
        found = get_invite(session=session, invite_id=invite_id)
        if found is None or found.telegram_id != actor.user_id or found.status != "open":
            return refused_press(t(lang, "ws_dialog_stale"))
        decide_invite(session=session, found=found, accepted=accepted, now=utcnow())
        item = get_item(session=session, item_id=found.item_id)
        if accepted and item is not None:
            add_participant_name(session=session, item=item, name=actor.name[:60] or "?",
                                 limit=LIMITS["participants"])
        inviter = found.invited_by
        who = people_of(session=session, telegram_ids={inviter} if inviter else set())
    key = "ws_accepted" if accepted else "ws_declined"
    extra: tuple[Outgoing, ...] = ()
    if inviter is not None and inviter in who:
        theirs = who[inviter][0].language
        extra = (Outgoing(inviter, Reply(t(theirs, f"{key}_manager",
                                           name=html.escape(actor.name),
                                           id=found.item_id))),)
    return Reply(t(lang, key, id=found.item_id), edit=True, extra=extra)


def press_accept(services: Services, actor: Actor, invite_id: int) -> Reply:
    return _decide(services, actor, invite_id, True)


def press_decline(services: Services, actor: Actor, invite_id: int) -> Reply:
    return _decide(services, actor, invite_id, False)


__all__ = ["draft_card", "press_accept", "press_decline", "press_suggest", "press_to_plan"]

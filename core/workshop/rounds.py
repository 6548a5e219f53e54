"""/workshop: open a round (title, keywords, a deadline per step), the round's card,
inviting members (all, or those whose profiles fit the keywords, shown before sending) and
moving to the next step, which tells every participant the new step's question."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

from core.actor import Actor, Role
from core.i18n import t
from core.locale import format_date
from core.reply import Choice, Outgoing, Reply, refused_press, rows
from core.services import Services
from core.workshop.access import CLOSED, WorkshopProblem, display, load_round, step_name
from core.workshop.buttons import ACTIONS
from core.workshop.deadlines import is_overdue
from knowledge.offers import keyword_fit
from storage.clock import utcnow
from storage.engine import session_scope
from storage.members.people import active_members
from storage.workshop.contributions import contributions
from storage.workshop.rounds import (
    add_participants,
    create_round,
    participants,
    rounds_of,
    set_step,
)
from storage.workshop.tables import STEPS, TITLE_MAX, WorkshopRound

DATE = re.compile(r"^(?:(\d{1,2})\.(\d{1,2})\.(\d{4})|(\d{4})-(\d{2})-(\d{2}))$")
DEFAULT_WEEKS = 1  # without deadlines: one week per step
MAX_KEYWORDS = 10
SHOWN_PEOPLE = 15


def today_of(services: Services) -> date:
    return utcnow().astimezone(services.settings.tz).date()


def parse_date(text: str) -> date | None:
    found = DATE.match(text.strip())
    if not found:
        return None
    try:
        if found.group(1):
            return date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
        return date(int(found.group(4)), int(found.group(5)), int(found.group(6)))
    except ValueError:
        return None


def parse_new(text: str, today: date) -> tuple[str, list[str], dict[str, str]]:
    """'Title | keywords, … | date, date, date, date' -> checked parts, or WorkshopProblem."""
    parts = [part.strip() for part in text.split("|")]
    title = " ".join(parts[0].split()) if parts else ""
    if not title or len(parts) > 3:
        raise WorkshopProblem("ws_new_usage")
    if len(title) > TITLE_MAX:
        raise WorkshopProblem("ws_too_long", limit=TITLE_MAX, length=len(title))
    keywords = [" ".join(k.split()) for k in re.split(r"[,;]", parts[1])] if len(parts) > 1 \
        else []
    keywords = [k for k in keywords if k][:MAX_KEYWORDS]
    if any(len(k) > 60 for k in keywords):
        raise WorkshopProblem("ws_keyword_too_long")
    typed = [d for d in re.split(r"[,;\s]+", parts[2]) if d] if len(parts) > 2 else []
    if typed and len(typed) != len(STEPS):
        raise WorkshopProblem("ws_deadlines_four")
    deadlines: list[date] = []
    for number, raw in enumerate(typed or [""] * len(STEPS), start=1):
        if not raw:
            deadlines.append(today + timedelta(weeks=DEFAULT_WEEKS * number))
            continue
        parsed = parse_date(raw)
        if parsed is None:
            raise WorkshopProblem("ws_bad_date", date=html.escape(raw[:20]))
        if parsed < today or (deadlines and parsed < deadlines[-1]):
            raise WorkshopProblem("ws_dates_order")
        deadlines.append(parsed)
    return title, keywords, {str(n): d.isoformat() for n, d in zip(STEPS, deadlines,
                                                                     strict=True)}


def new_round(services: Services, actor: Actor, text: str) -> Reply:
    """/workshop new Title | keywords | deadlines: open a round at step 1."""
    lang = actor.language
    try:
        title, keywords, deadlines = parse_new(text, today_of(services))
    except WorkshopProblem as problem:
        return Reply(problem.text(lang) + "\n\n" + t(lang, "ws_new_usage"))
    with session_scope(services.engine) as session:
        found = create_round(session=session, title=title, keywords=keywords,
                             deadlines=deadlines, created_by=actor.user_id)
    return card(services, actor, found, before=t(lang, "ws_opened", id=found.id))


def card(services: Services, actor: Actor, found: WorkshopRound, *, before: str = "",
         edit: bool = False) -> Reply:
    """The round: title, steps with deadlines, counts, and the buttons this person may use."""
    lang = actor.language
    assert found.id is not None
    with session_scope(services.engine) as session:
        people = len(participants(session=session, round_id=found.id))
        counts = {step: len(contributions(session=session, round_id=found.id, step=step))
                  for step in STEPS}
    lines = [t(lang, "ws_card_title", id=found.id, title=html.escape(found.title))]
    if found.keywords:
        lines.append(t(lang, "ws_card_keywords",
                       keywords=html.escape(", ".join(found.keywords))))
    late = is_overdue(found, today_of(services))
    for step in STEPS:
        marker = ("⏰" if late else "▶️") if step == found.step else (
            "✅" if step < found.step else "▫️")
        deadline = format_date(date.fromisoformat(found.deadlines[str(step)]), lang)
        lines.append(t(lang, "ws_card_step", marker=marker, name=step_name(lang, step),
                       date=deadline, count=counts[step]))
    lines.append(t(lang, "ws_card_people", count=people))
    if late:
        lines.append(t(lang, "ws_card_overdue"))
    buttons: list[Choice] = []
    step = found.step
    if step != CLOSED:
        buttons.append(ACTIONS.button(t(lang, "ws_btn_contribute"), "contribute", found.id,
                                      step))
    buttons.append(ACTIONS.button(t(lang, "ws_btn_list"), "list", found.id,
                                  min(step, 4), 0))
    buttons.append(ACTIONS.button(t(lang, "ws_btn_summary"), "summary", found.id,
                                  min(step, 4)))
    if actor.at_least(Role.MANAGER):
        buttons.append(ACTIONS.button(t(lang, "ws_btn_invite_all"), "invite", found.id, "all"))
        if found.keywords:
            buttons.append(ACTIONS.button(t(lang, "ws_btn_invite_match"), "invite", found.id,
                                          "match"))
        buttons.append(ACTIONS.button(t(lang, "ws_btn_dups"), "dups", found.id))
        if step == 4:
            buttons.append(ACTIONS.button(t(lang, "ws_btn_drafts"), "drafts", found.id))
        if step != CLOSED:
            buttons.append(ACTIONS.button(t(lang, "ws_btn_next"), "next", found.id, step))
        buttons.append(ACTIONS.button(t(lang, "ws_btn_export"), "export", found.id))
    text = "\n".join(lines)
    return Reply(f"{before}\n\n{text}" if before else text, rows(buttons, 2), edit=edit)


def show(services: Services, actor: Actor, round_id: int, *, edit: bool = False) -> Reply:
    try:
        with session_scope(services.engine) as session:
            found = load_round(session, actor, round_id)
    except WorkshopProblem as problem:
        return refused_press(problem.text(actor.language)) if edit else \
            Reply(problem.text(actor.language))
    return card(services, actor, found, edit=edit)


def press_card(services: Services, actor: Actor, round_id: int) -> Reply:
    return show(services, actor, round_id, edit=True)


def list_rounds(services: Services, actor: Actor) -> Reply:
    """The rounds this person may open (managers: all), newest first."""
    lang = actor.language
    manager = actor.at_least(Role.MANAGER)
    with session_scope(services.engine) as session:
        found = rounds_of(session=session, telegram_id=None if manager else actor.user_id)
    usage = t(lang, "ws_new_usage") if manager else ""
    if not found:
        return Reply(t(lang, "ws_none") + (f"\n\n{usage}" if usage else ""))
    buttons = [ACTIONS.button(f"#{r.id} {r.title[:40]} · {step_name(lang, r.step)}", "card",
                              r.id) for r in found]
    return Reply(t(lang, "ws_rounds") + (f"\n\n{usage}" if usage else ""), rows(buttons))


def _candidates(services: Services, actor: Actor, found: WorkshopRound, mode: str
                ) -> dict[int, list[str]]:
    """Who would be invited: every member, or those whose profile fits the keywords."""
    with session_scope(services.engine) as session:
        people = active_members(session=session,
                                also=frozenset(services.settings.manager_ids))
    chosen: dict[int, list[str]] = {}
    for member, profile in people:
        if member.telegram_id == actor.user_id:
            continue
        if mode == "all":
            chosen[member.telegram_id] = []
            continue
        if profile is None:
            continue
        fit = keyword_fit(member.telegram_id, found.keywords,
                          [*profile.offers, *profile.needs])
        if fit is not None:
            chosen[member.telegram_id] = list(fit.words)
    return chosen


def press_invite(services: Services, actor: Actor, round_id: int, mode: str) -> Reply:
    """Show who would be invited (with the matching words) before anyone is told."""
    lang = actor.language
    try:
        with session_scope(services.engine) as session:
            found = load_round(session, actor, round_id)
            names = {m.telegram_id: display(m, p) for m, p in active_members(
                session=session, also=frozenset(services.settings.manager_ids))}
    except WorkshopProblem as problem:
        return refused_press(problem.text(lang))
    chosen = _candidates(services, actor, found, mode)
    if not chosen:
        return Reply(t(lang, "ws_invite_nobody"))
    lines = [t(lang, "ws_invite_preview", count=len(chosen))]
    for telegram_id, matched in list(chosen.items())[:SHOWN_PEOPLE]:
        why = f" — {html.escape(', '.join(matched))}" if matched else ""
        lines.append(f"• {html.escape(names.get(telegram_id, str(telegram_id)))}{why}")
    if len(chosen) > SHOWN_PEOPLE:
        lines.append(t(lang, "ws_and_more", count=len(chosen) - SHOWN_PEOPLE))
    return Reply("\n".join(lines), ((ACTIONS.button(
        t(lang, "ws_btn_invite_ok", count=len(chosen)), "invite_ok", round_id, mode),
        ACTIONS.button(t(lang, "ws_btn_back"), "card", round_id)),))


def step_message(services: Services, lang: str, found: WorkshopRound, key: str) -> Reply:
    """The message a participant gets: invitation or new step, the question, a button."""
    assert found.id is not None
    step = found.step
    deadline = format_date(date.fromisoformat(found.deadlines[str(step)]), lang)
    text = t(lang, key, title=html.escape(found.title), name=step_name(lang, step),
             date=deadline) + "\n\n" + t(lang, f"ws_question_{step}")
    return Reply(text, ((ACTIONS.button(t(lang, "ws_btn_contribute"), "contribute",
                                        found.id, step),),))


def _languages(services: Services, ids: list[int]) -> dict[int, str]:
    with session_scope(services.engine) as session:
        people = active_members(session=session,
                                also=frozenset(services.settings.manager_ids))
    known = {m.telegram_id: m.language for m, _ in people}
    return {i: known.get(i, services.settings.default_language) for i in ids}


def press_invite_ok(services: Services, actor: Actor, round_id: int, mode: str) -> Reply:
    """Invite them: store the participants, then tell each new one in their language."""
    lang = actor.language
    try:
        with session_scope(services.engine) as session:
            found = load_round(session, actor, round_id)
    except WorkshopProblem as problem:
        return refused_press(problem.text(lang))
    if found.step == CLOSED:
        return refused_press(t(lang, "ws_step_over", step=found.step))
    chosen = _candidates(services, actor, found, mode)
    with session_scope(services.engine) as session:
        new = add_participants(session=session, round_id=round_id, people=chosen)
    languages = _languages(services, new)
    extra = tuple(Outgoing(i, step_message(services, languages[i], found, "ws_invited"))
                  for i in new)
    reply = card(services, actor, found, before=t(lang, "ws_invited_done", count=len(new)),
                 edit=True)
    return Reply(reply.text, reply.choices, edit=True, extra=extra)


def press_next(services: Services, actor: Actor, round_id: int, step: int) -> Reply:
    """Move the round on by one step (a stale press for an older step changes nothing)."""
    lang = actor.language
    try:
        with session_scope(services.engine) as session:
            found = load_round(session, actor, round_id)
            if found.step != step or step >= CLOSED:
                raise WorkshopProblem("ws_step_over", step=step)
            set_step(session=session, found=found, step=step + 1)
            people = [p.telegram_id for p in participants(session=session,
                                                          round_id=round_id)]
    except WorkshopProblem as problem:
        return refused_press(problem.text(lang))
    extra: tuple[Outgoing, ...] = ()
    if found.step != CLOSED:
        languages = _languages(services, people)
        extra = tuple(Outgoing(i, step_message(services, languages[i], found, "ws_next_step"))
                      for i in people if i != actor.user_id)
    reply = card(services, actor, found, edit=True)
    return Reply(reply.text, reply.choices, edit=True, extra=extra)

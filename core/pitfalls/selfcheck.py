"""/selfcheck: statements one tap each, the result with traffic lights, advice and a chart.

The open self-check is a dialog in the database (feature "selfcheck", step ANSWERING, data:
the index of the current statement and the answers so far), so a restart loses nothing.
Buttons: selfcheck:start, selfcheck:a:<index>:<value>, selfcheck:back, selfcheck:cancel.
A press for another statement than the current one, or with no self-check open, changes
nothing and says why.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from core import dialogs
from core.actor import Actor
from core.dialogs import DialogState
from core.i18n import t
from core.parsing import is_number
from core.pitfalls.charts import ScoreBar, selfcheck_chart
from core.pitfalls.content import Content, load_content
from core.pitfalls.formatting import day, delta
from core.pitfalls.scoring import (
    LIGHTS,
    SCALE_MAX,
    SCALE_MIN,
    changes,
    light,
    score_answers,
    worst,
)
from core.reply import Attachment, Choice, Reply, refused_press, rows
from core.services import Services
from storage.engine import session_scope
from storage.pitfall_data import add_result, latest_results

logger = logging.getLogger(__name__)

FEATURE = "selfcheck"
ANSWERING = "answering"  # the only step: data = {"index": int, "answers": {id: 1-5}}
PROGRESS_BAR_CELLS = 12


def _stale(lang: str, key: str, **values: object) -> Reply:
    """A stale or forged press: a notice saying why, nothing else changes."""
    return refused_press(t(lang, key, **values))


def _progress(index: int, total: int) -> str:
    done = round(PROGRESS_BAR_CELLS * index / total)
    return "▰" * done + "▱" * (PROGRESS_BAR_CELLS - done)


def question(content: Content, lang: str, index: int, *, edit: bool, previous: int | None = None
             ) -> Reply:
    """The statement at `index` with the five-step scale, back and cancel."""
    total = len(content.statements)
    statement = content.statements[index]
    text = t(lang, "pitfalls_question", number=index + 1, total=total,
             bar=_progress(index, total), statement=html.escape(statement.text[lang]))
    if previous is not None:
        text += "\n" + t(lang, "pitfalls_question_previous", label=t(lang,
                                                                    f"pitfalls_scale_{previous}"))
    scale = [Choice(t(lang, f"pitfalls_scale_{value}"), f"selfcheck:a:{index}:{value}")
             for value in range(SCALE_MIN, SCALE_MAX + 1)]
    controls = [Choice(t(lang, "pitfalls_button_cancel"), "selfcheck:cancel")]
    if index > 0:
        controls.insert(0, Choice(t(lang, "pitfalls_button_back"), "selfcheck:back"))
    return Reply(text, (*rows(scale), tuple(controls)), edit=edit)


def start(services: Services, actor: Actor, args: str = "") -> Reply:
    """/selfcheck: open (or restart) the self-check and ask the first statement."""
    content = load_content()
    dialogs.begin(services, actor, FEATURE, ANSWERING, {"index": 0, "answers": {}})
    intro = t(actor.language, "pitfalls_intro", total=len(content.statements))
    first = question(content, actor.language, 0, edit=False)
    return Reply(intro + "\n\n" + first.text, first.choices)


def _state(services: Services, actor: Actor) -> tuple[int, dict[str, int]] | None:
    """The open self-check's current index and answers, or None (also for broken data)."""
    state = dialogs.current(services, actor)
    if state is None or state.feature != FEATURE:
        return None
    return _parse(load_content(), state.data)


def _parse(content: Content, data: dict[str, Any]) -> tuple[int, dict[str, int]] | None:
    index, answers = data.get("index"), data.get("answers")
    known = {s.id for s in content.statements}
    if not isinstance(index, int) or not 0 <= index < len(content.statements):
        return None
    if not isinstance(answers, dict) or not set(answers) <= known:
        return None
    return index, {str(k): int(v) for k, v in answers.items()}


def record(services: Services, actor: Actor, index: int, answers: dict[str, int], value: int,
           *, edit: bool) -> Reply:
    """Store the answer to statement `index`; ask the next one or show the result."""
    content = load_content()
    answers = {**answers, content.statements[index].id: value}
    following = index + 1
    if following < len(content.statements):
        dialogs.advance(services, actor, FEATURE, ANSWERING,
                        {"index": following, "answers": answers})
        return question(content, actor.language, following, edit=edit,
                        previous=answers.get(content.statements[following].id))
    dialogs.finish(services, actor)
    missing = [s.id for s in content.statements if s.id not in answers]
    if missing:  # the statements changed while the self-check was open
        return Reply(t(actor.language, "pitfalls_content_changed"), edit=edit)
    return result(services, actor, score_answers(content, answers), answers, edit=edit)


def _answer(services: Services, actor: Actor, parts: list[str]) -> Reply:
    lang = actor.language
    state = _state(services, actor)
    if state is None:
        return _stale(lang, "pitfalls_stale_none")
    index, answers = state
    try:
        pressed, value = int(parts[1]), int(parts[2])
    except (IndexError, ValueError):
        return _stale(lang, "stale_button")
    if len(parts) != 3 or not SCALE_MIN <= value <= SCALE_MAX:
        return _stale(lang, "stale_button")
    if pressed != index:
        return _stale(lang, "pitfalls_stale_question", number=index + 1)
    return record(services, actor, index, answers, value, edit=True)


def _back(services: Services, actor: Actor) -> Reply:
    state = _state(services, actor)
    if state is None:
        return _stale(actor.language, "pitfalls_stale_none")
    index, answers = state
    if index == 0:
        return _stale(actor.language, "pitfalls_back_first")
    content = load_content()
    dialogs.advance(services, actor, FEATURE, ANSWERING, {"index": index - 1,
                                                          "answers": answers})
    return question(content, actor.language, index - 1, edit=True,
                    previous=answers.get(content.statements[index - 1].id))


def _cancel(services: Services, actor: Actor) -> Reply:
    if _state(services, actor) is None:
        return _stale(actor.language, "pitfalls_stale_none")
    dialogs.finish(services, actor)
    return Reply(t(actor.language, "pitfalls_cancelled"), edit=True)


def press(services: Services, actor: Actor, parts: list[str]) -> Reply:
    """Handle selfcheck:start, selfcheck:a:<index>:<value>, selfcheck:back, selfcheck:cancel."""
    action = parts[0]
    if action == "start" and len(parts) == 1:
        if not actor.is_private_chat:
            return _stale(actor.language, "pitfalls_private_only")
        return start(services, actor)
    if action == "a":
        return _answer(services, actor, parts)
    if action == "back" and len(parts) == 1:
        return _back(services, actor)
    if action == "cancel" and len(parts) == 1:
        return _cancel(services, actor)
    return _stale(actor.language, "stale_button")


def typed(services: Services, actor: Actor, state: DialogState, text: str) -> Reply:
    """Free text during the self-check: a digit 1-5 answers, anything else re-asks."""
    content = load_content()
    parsed = _parse(content, state.data)
    if parsed is None:
        dialogs.finish(services, actor)
        return Reply(t(actor.language, "pitfalls_content_changed"))
    index, answers = parsed
    value = text.strip()
    if is_number(value, 1) and SCALE_MIN <= int(value) <= SCALE_MAX:
        return record(services, actor, index, answers, int(value), edit=False)
    again = question(content, actor.language, index, edit=False,
                     previous=answers.get(content.statements[index].id))
    return Reply(t(actor.language, "pitfalls_tap_a_button") + "\n\n" + again.text,
                 again.choices)


# ---------------------------------------------------------------------------------- result
def score_rows(content: Content, lang: str, scores: dict[str, int],
               change: dict[str, int] | None = None) -> list[str]:
    """One line per pitfall: light, title, score, and the change since last time."""
    lines = []
    for pitfall in content.pitfalls:
        score = scores[pitfall.id]
        since = ""
        if change and pitfall.id in change:
            since = t(lang, "pitfalls_change", delta=delta(change[pitfall.id]))
        lines.append(t(lang, "pitfalls_score_row", light=LIGHTS[light(score)],
                       title=html.escape(pitfall.title[lang]), score=score, change=since))
    return lines


def advice_block(content: Content, lang: str, pitfall_id: str, score: int) -> str:
    pitfall = content.pitfall(pitfall_id)
    bullets = "\n".join(f"• {html.escape(item)}" for item in pitfall.advice[lang])
    return t(lang, "pitfalls_advice_title", light=LIGHTS[light(score)],
             title=html.escape(pitfall.title[lang]), score=score) + "\n" + bullets


def chart(content: Content, lang: str, scores: dict[str, int], *, title: str,
          previous: dict[str, int] | None = None) -> Attachment | None:
    """The five scores as a PNG; None (logged) if drawing fails: the text result stands."""
    bars = [ScoreBar(p.title[lang], scores[p.id], light(scores[p.id]),
                     int(previous[p.id]) if previous and p.id in previous else None)
            for p in content.pitfalls]
    try:
        png = selfcheck_chart(bars, title=title, axis_label=t(lang, "pitfalls_chart_axis"),
                              previous_label=t(lang, "pitfalls_chart_previous"))
    except Exception:  # a chart is a bonus; never lose the stored result over it
        logger.exception("Could not draw the self-check chart")
        return None
    return Attachment("selfcheck.png", png, kind="photo")


def result(services: Services, actor: Actor, scores: dict[str, int], answers: dict[str, int],
           *, edit: bool) -> Reply:
    """Store the result, then show lights, change since last time, advice and the chart."""
    content, lang, tz = load_content(), actor.language, services.settings.tz
    with session_scope(services.engine) as session:
        earlier = latest_results(session=session, telegram_id=actor.user_id, limit=1)
        row = add_result(session=session, telegram_id=actor.user_id, role=actor.role.value,
                         scores=scores, answers=answers)
        taken = row.taken_at
    previous = {k: int(v) for k, v in earlier[0].scores.items()} if earlier else None
    lines = [t(lang, "pitfalls_result_title", date=day(taken, lang, tz)),
             *score_rows(content, lang, scores, changes(scores, previous))]
    if earlier:
        lines.append(t(lang, "pitfalls_change_note", date=day(earlier[0].taken_at, lang, tz)))
    else:
        lines.append(t(lang, "pitfalls_first_time"))
    chosen = worst(scores)
    if all(light(score) == "green" for score in scores.values()):
        lines.append("\n" + t(lang, "pitfalls_all_green"))
    else:
        lines.append("\n" + t(lang, "pitfalls_focus"))
    lines.extend("\n" + advice_block(content, lang, p, scores[p]) for p in chosen)
    lines.append("\n" + t(lang, "pitfalls_privacy_note"))
    buttons = [Choice(t(lang, "pitfalls_button_read", title=content.pitfall(p).title[lang]),
                      f"kb:topic:{content.pitfall(p).entry}:{lang}") for p in chosen]
    buttons.append(Choice(t(lang, "pitfalls_button_again"), "selfcheck:start"))
    picture = chart(content, lang, scores, previous=previous,
                    title=t(lang, "pitfalls_chart_title", date=day(taken, lang, tz)))
    return Reply("\n".join(lines), rows(buttons), edit=edit,
                 attachments=(picture,) if picture else ())

"""/selfcheck: statements one tap each, the result with traffic lights, advice and a chart.

The open self-check is a dialog in the database (name DIALOG, step ANSWERING, data: the
index of the current statement and the answers so far), so a restart loses nothing.
Buttons (ACTIONS): start, answer <index> <value>, back, cancel. A press for another statement
than the current one, or with no self-check open, changes nothing and says why.
"""

from __future__ import annotations

import html
from typing import Any

from core import dialogs
from core.actor import Actor, Role
from core.dialogs import DialogState
from core.feature import Action, Actions, integer
from core.i18n import t
from core.parsing import is_number
from core.pitfalls.content import Content, load_content
from core.pitfalls.formatting import long_day
from core.pitfalls.report import advice_block, chart, score_rows
from core.pitfalls.scoring import SCALE_MAX, SCALE_MIN, changes, light, score_answers, worst
from core.reply import Choice, Reply, refused_press, rows
from core.services import Services
from storage.engine import session_scope
from storage.pitfalls.selfcheck import add_result, latest_results

DIALOG = "selfcheck"
ANSWERING = "answering"  # the only step: data = {"index": int, "answers": {id: 1-5}}
PROGRESS_BAR_CELLS = 12
# the questions feature's answer card for a pitfall, as data only (features never import
# each other); `kb:topic:<entry>:<lang>` is that feature's public button
TOPIC_BUTTON = "kb:topic:{entry}:{lang}"


def _stale(lang: str, key: str, **values: object) -> Reply:
    """A stale press: a notice saying why, nothing else changes."""
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
    scale = [ACTIONS.button(t(lang, f"pitfalls_scale_{value}"), "answer", index, value)
             for value in range(SCALE_MIN, SCALE_MAX + 1)]
    controls = [ACTIONS.button(t(lang, "pitfalls_button_cancel"), "cancel")]
    if index > 0:
        controls.insert(0, ACTIONS.button(t(lang, "pitfalls_button_back"), "back"))
    return Reply(text, (*rows(scale), tuple(controls)), edit=edit)


def start(services: Services, actor: Actor, args: str = "") -> Reply:
    """/selfcheck: open (or restart) the self-check and ask the first statement."""
    content = load_content()
    dialogs.begin(services, actor, DIALOG, ANSWERING, {"index": 0, "answers": {}})
    intro = t(actor.language, "pitfalls_intro", count=len(content.statements))
    first = question(content, actor.language, 0, edit=False)
    return Reply(intro + "\n\n" + first.text, first.choices)


def _state(services: Services, actor: Actor) -> tuple[int, dict[str, int]] | None:
    """The open self-check's current index and answers, or None (also for broken data)."""
    state = dialogs.current(services, actor)
    if state is None or state.feature != DIALOG:
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
        dialogs.advance(services, actor, DIALOG, ANSWERING,
                        {"index": following, "answers": answers})
        return question(content, actor.language, following, edit=edit,
                        previous=answers.get(content.statements[following].id))
    dialogs.finish(services, actor)
    missing = [s.id for s in content.statements if s.id not in answers]
    if missing:  # the statements changed while the self-check was open
        return Reply(t(actor.language, "pitfalls_content_changed"), edit=edit)
    return result(services, actor, score_answers(content, answers), answers, edit=edit)


# --------------------------------------------------------------------------------- buttons
def press_start(services: Services, actor: Actor) -> Reply:
    """The button under a pitfall answer or a result: (re)start, in a private chat only."""
    if not actor.is_private_chat:
        return _stale(actor.language, "pitfalls_private_only")
    return start(services, actor)


def press_answer(services: Services, actor: Actor, pressed: int, value: int) -> Reply:
    """A step of the scale for statement `pressed`; only the current statement counts."""
    state = _state(services, actor)
    if state is None:
        return _stale(actor.language, "pitfalls_stale_none")
    index, answers = state
    if pressed != index:
        return _stale(actor.language, "pitfalls_stale_question", number=index + 1)
    return record(services, actor, index, answers, value, edit=True)


def press_back(services: Services, actor: Actor) -> Reply:
    """Back to the previous statement, showing the answer given there."""
    state = _state(services, actor)
    if state is None:
        return _stale(actor.language, "pitfalls_stale_none")
    index, answers = state
    if index == 0:
        return _stale(actor.language, "pitfalls_back_first")
    content = load_content()
    dialogs.advance(services, actor, DIALOG, ANSWERING, {"index": index - 1,
                                                         "answers": answers})
    return question(content, actor.language, index - 1, edit=True,
                    previous=answers.get(content.statements[index - 1].id))


def press_cancel(services: Services, actor: Actor) -> Reply:
    """End the self-check; nothing is stored."""
    if _state(services, actor) is None:
        return _stale(actor.language, "pitfalls_stale_none")
    dialogs.finish(services, actor)
    return Reply(t(actor.language, "pitfalls_cancelled"), edit=True)


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
    lines = [t(lang, "pitfalls_result_title", date=long_day(taken, lang, tz)),
             *score_rows(content, lang, scores, changes(scores, previous))]
    if earlier:
        lines.append(t(lang, "pitfalls_change_note",
                       date=long_day(earlier[0].taken_at, lang, tz)))
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
                      TOPIC_BUTTON.format(entry=content.pitfall(p).entry, lang=lang))
               for p in chosen]
    buttons.append(ACTIONS.button(t(lang, "pitfalls_button_again"), "start"))
    picture = chart(content, lang, scores, previous=previous,
                    title=t(lang, "pitfalls_chart_title", date=long_day(taken, lang, tz)))
    return Reply("\n".join(lines), rows(buttons), edit=edit,
                 attachments=(picture,) if picture else ())


def scale_value(raw: str) -> int:
    """A step of the five-step scale, from button data."""
    value = integer(raw)
    if not SCALE_MIN <= value <= SCALE_MAX:
        raise ValueError(f"{value} is not on the scale {SCALE_MIN}-{SCALE_MAX}")
    return value


# "selfcheck:start" is also the questions feature's button under a pitfall answer
ACTIONS = Actions("selfcheck", Role.VISITOR, (
    Action("start", press_start),
    Action("answer", press_answer, (integer, scale_value)),
    Action("back", press_back),
    Action("cancel", press_cancel),
))

"""Questions and answers: free questions, the topic browser and the unanswered log."""

from __future__ import annotations

import html
import logging

from sqlalchemy.exc import SQLAlchemyError

from core.actor import Actor, Role
from core.feature import Action, Actions, Command, Feature, Privacy, one_of, text
from core.i18n import LANGUAGES, t
from core.locale import format_datetime, format_number
from core.reply import Choice, Reply, refused_press, rows
from core.services import Services
from knowledge.base import Entry
from knowledge.matcher import MAX_QUESTION_CHARS, Match
from storage.engine import session_scope
from storage.questions.unanswered import (
    count_unanswered,
    forget_questions,
    log_unanswered,
    questions_of,
    recent_unanswered,
)

logger = logging.getLogger(__name__)
MAX_RELATED_BUTTONS = 3
UNANSWERED_SHOWN = 20


def _topic_button(entry: Entry, lang: str) -> Choice:
    return ACTIONS.button(entry.title[lang], "topic", entry.id, lang)


def render_entry(services: Services, entry: Entry, lang: str, *, edit: bool = False) -> Reply:
    """An answer card: title, answer, and buttons to related topics."""
    related = [e for e in (services.knowledge.get(r) for r in entry.related) if e is not None]
    buttons = [_topic_button(e, lang) for e in related[:MAX_RELATED_BUTTONS]]
    if entry.chapter == "pitfalls":  # an answer about a pitfall offers the self-check (#5)
        buttons.append(Choice(t(lang, "pitfalls_selfcheck_offer"), SELFCHECK_BUTTON))
    text = f"<b>{html.escape(entry.title[lang])}</b>\n\n{html.escape(entry.answer[lang])}"
    return Reply(text, rows(buttons), edit=edit)


def ask(services: Services, actor: Actor, question: str) -> Reply:
    """Answer a free question, or say honestly that we are not sure and suggest topics."""
    question = question.strip()
    if not question:
        return Reply(t(actor.language, "empty_message"))
    if len(question) > MAX_QUESTION_CHARS:
        return Reply(t(actor.language, "too_long", limit=format_number(MAX_QUESTION_CHARS,
                                                                       actor.language),
                       length=format_number(len(question), actor.language)))
    match = services.matcher.match(question, actor.language)
    if match.entry is not None:
        return render_entry(services, match.entry, match.lang)
    if match.content_words == 0:  # emoji, punctuation, "hi", "danke": nothing to look up
        return Reply(t(match.lang, "no_words"))
    if len(match.close) >= 2:  # two entries fit about equally: ask instead of guessing
        first, second = match.close[:2]
        return Reply(t(match.lang, "did_you_mean", first=html.escape(first.title[match.lang]),
                       second=html.escape(second.title[match.lang])),
                     rows([_topic_button(e, match.lang) for e in match.close[:2]]))
    _log_miss(services, actor, question, match)
    shown = question if len(question) <= 200 else question[:200] + "…"
    lines = [t(match.lang, "not_sure", question=html.escape(shown))]
    if match.suggestions:
        lines.append(t(match.lang, "not_sure_suggestions"))
    chapters = ", ".join(html.escape(c.title[match.lang]) for c in services.knowledge.chapters)
    lines.append(t(match.lang, "not_sure_scope", chapters=chapters))
    buttons = [_topic_button(e, match.lang) for e in match.suggestions]
    return Reply("\n\n".join(lines), rows(buttons))


def _log_miss(services: Services, actor: Actor, question: str, match: Match) -> None:
    """Note the question for the managers; an unreachable database must not stop the answer."""
    try:
        with session_scope(services.engine) as session:
            log_unanswered(session=session, telegram_id=actor.user_id, language=match.lang,
                           text=question, score=match.score,
                           best_topic=match.suggestions[0].id if match.suggestions else None)
    except SQLAlchemyError as exc:
        logger.warning("Could not log an unanswered question (database: %s)",
                       type(exc).__name__)


def ask_command(services: Services, actor: Actor, args: str) -> Reply:
    """/ask QUESTION."""
    if not args.strip():
        return Reply(t(actor.language, "ask_usage"))
    return ask(services, actor, args)


def topics(services: Services, actor: Actor, args: str) -> Reply:
    """Show the chapters of the knowledge base as buttons."""
    return _chapters(services, actor.language, edit=False)


def _chapters(services: Services, lang: str, *, edit: bool) -> Reply:
    buttons = [ACTIONS.button(c.title[lang], "chapter", c.id, lang)
               for c in services.knowledge.chapters]
    return Reply(t(lang, "topics_title"), rows(buttons), edit=edit)


def press_chapters(services: Services, actor: Actor, lang: str | None = None) -> Reply:
    """Back to the chapter list, in place."""
    return _chapters(services, lang or actor.language, edit=True)


def press_chapter(services: Services, actor: Actor, chapter_id: str,
                  lang: str | None = None) -> Reply:
    """The topics of one chapter, in place."""
    lang = lang or actor.language
    chapter = services.knowledge.chapter(chapter_id)
    if chapter is None:
        return refused_press(t(lang, "stale_button"))
    buttons = [_topic_button(e, lang) for e in services.knowledge.in_chapter(chapter.id)]
    buttons.append(ACTIONS.button(t(lang, "back_to_chapters"), "chapters", lang))
    return Reply(t(lang, "chapter_title", title=html.escape(chapter.title[lang])),
                 rows(buttons), edit=True)


def press_topic(services: Services, actor: Actor, entry_id: str,
                lang: str | None = None) -> Reply:
    """One answer card, as a new message."""
    lang = lang or actor.language
    entry = services.knowledge.get(entry_id)
    if entry is None:
        return refused_press(t(lang, "topic_gone"))
    return render_entry(services, entry, lang)


def unanswered(services: Services, actor: Actor, args: str) -> Reply:
    """List the newest questions the advisor could not answer (managers)."""
    lang = actor.language
    with session_scope(services.engine) as session:
        summaries = recent_unanswered(session=session, limit=UNANSWERED_SHOWN)
        total = count_unanswered(session=session)
    if not summaries:
        return Reply(t(lang, "unanswered_none"))
    lines = [t(lang, "unanswered_title", total=total)]
    for summary in summaries:
        text = summary.text if len(summary.text) <= 120 else summary.text[:120] + "…"
        lines.append(t(lang, "unanswered_row",
                       date=format_datetime(summary.last_asked, lang, services.settings.tz),
                       text=html.escape(text), times=summary.times))
    return Reply("\n".join(lines))


SELFCHECK_BUTTON = "selfcheck:start"  # the pitfalls' public entry point, as data only
LANGUAGE = one_of(*LANGUAGES)
ACTIONS = Actions("kb", Role.VISITOR, (
    Action("chapters", press_chapters, (LANGUAGE,), optional=1),
    Action("chapter", press_chapter, (text, LANGUAGE), optional=1),
    Action("topic", press_topic, (text, LANGUAGE), optional=1),
))

FEATURE = Feature(
    name="questions",
    commands=(
        Command("ask", Role.VISITOR, ask_command),
        Command("topics", Role.VISITOR, topics),
        # private only: the list shows other people's questions
        Command("unanswered", Role.MANAGER, unanswered, private_only=True),
    ),
    actions=(ACTIONS,),
    free_text=ask,
    privacy=Privacy(export=lambda session, telegram_id: questions_of(
                        session=session, telegram_id=telegram_id),
                    forget=lambda session, telegram_id, _successor: forget_questions(
                        session=session, telegram_id=telegram_id)),
)

"""Answering: free questions, the answer card (with 👍/👎, and edit/hide for managers),
"not sure" with suggestions, chapters and the way to the cluster management, and the
topic browser (/topics), all from the combined knowledge (core/questions/state.py)."""

from __future__ import annotations

import html
import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError

from core.actor import Actor, Role
from core.i18n import t
from core.locale import format_number
from core.questions import state
from core.questions.buttons import KB, TEACH
from core.reply import Choice, Reply, refused_press, rows
from core.services import Services
from knowledge.base import Entry
from knowledge.cluster import Combined
from knowledge.matcher import MAX_QUESTION_CHARS, Match
from storage.clock import utcnow
from storage.engine import session_scope
from storage.questions.feedback import last_answer_at, log_answer
from storage.questions.unanswered import log_unanswered, recent_misses_of

logger = logging.getLogger(__name__)
MAX_RELATED_BUTTONS = 3
IN_A_ROW_WITHIN = timedelta(hours=1)  # two misses this close count as "in a row"
SELFCHECK_BUTTON = "selfcheck:start"  # the pitfalls' public entry point, as data only


def topic_button(entry: Entry, lang: str) -> Choice:
    return KB.button(entry.title[lang], "topic", entry.id, lang)


def manages_here(actor: Actor) -> bool:
    """Managers get edit buttons on answers, in their private chat only."""
    return actor.at_least(Role.MANAGER) and actor.is_private_chat


def render_entry(services: Services, entry: Entry, lang: str, *, edit: bool = False,
                 actor: Actor | None = None, answer_id: int | None = None,
                 voted: str = "") -> Reply:
    """An answer card: title, answer, related topics; 👍/👎 under a confident answer
    (`answer_id`), or the thanks once voted (`voted`); edit or hide for a manager."""
    combined = state.current(services)
    related = [e for e in (services.knowledge.get(r) for r in entry.related) if e is not None]
    buttons = [topic_button(e, lang) for e in related[:MAX_RELATED_BUTTONS]]
    if entry.chapter == "pitfalls":  # an answer about a pitfall offers the self-check (#5)
        buttons.append(Choice(t(lang, "pitfalls_selfcheck_offer"), SELFCHECK_BUTTON))
    text = f"<b>{html.escape(entry.title[lang])}</b>\n\n{html.escape(entry.answer[lang])}"
    written = combined.languages.get(entry.id, ())
    if written and lang not in written:
        text += "\n\n" + t(lang, "kb_only_in_other_language")
    choices = list(rows(buttons))
    if voted:
        text += "\n\n" + t(lang, f"kb_thanks_{voted}")
    elif answer_id is not None:
        choices.append((KB.button("👍", "vote", answer_id, "up"),
                        KB.button("👎", "vote", answer_id, "down")))
    if actor is not None and manages_here(actor) and not voted:
        choices.append(manager_row(combined, entry, lang))  # in the card's language
    return Reply(text, tuple(choices), edit=edit)


def manager_row(combined: Combined, entry: Entry, lang: str) -> tuple[Choice, ...]:
    if combined.is_cluster_entry(entry.id):
        return (TEACH.button(t(lang, "kb_button_manage"), "entry", entry.id),)
    return (TEACH.button(t(lang, "kb_button_hide"), "hide", entry.id),)


def too_long(lang: str, length: int, limit: int) -> Reply:
    return Reply(t(lang, "too_long", limit=format_number(limit, lang),
                   length=format_number(length, lang)))


def ask(services: Services, actor: Actor, question: str) -> Reply:
    """Answer a free question, or say honestly that we are not sure and suggest topics."""
    question = question.strip()
    if not question:
        return Reply(t(actor.language, "empty_message"))
    if len(question) > MAX_QUESTION_CHARS:
        return too_long(actor.language, len(question), MAX_QUESTION_CHARS)
    state.current(services)
    knowledge, matcher = services.knowledge, services.matcher  # one pair for this question
    match = matcher.match(question, actor.language)
    if match.entry is not None:
        answer_id = _log_answer(services, actor, question, match)
        return render_entry(services, match.entry, match.lang, actor=actor,
                            answer_id=answer_id)
    if match.content_words == 0:  # emoji, punctuation, "hi", "danke": nothing to look up
        return Reply(t(match.lang, "no_words"))
    if len(match.close) >= 2:  # two entries fit about equally: ask instead of guessing
        first, second = match.close[:2]
        return Reply(t(match.lang, "did_you_mean", first=html.escape(first.title[match.lang]),
                       second=html.escape(second.title[match.lang])),
                     rows([topic_button(e, match.lang) for e in match.close[:2]]))
    miss_id, in_a_row = _log_miss(services, actor, question, match)
    shown = question if len(question) <= 200 else question[:200] + "…"
    lines = [t(match.lang, "not_sure", question=html.escape(shown))]
    if match.suggestions:
        lines.append(t(match.lang, "not_sure_suggestions"))
    if match.about_this_cluster and not match.asks_to_join:
        lines.append(t(match.lang, "not_sure_ours"))  # the talk cannot know it
    if match.asks_to_join and not actor.at_least(Role.MEMBER):
        lines.append(t(match.lang, "not_sure_join"))  # the cluster's own procedure
    chapters = ", ".join(html.escape(c.title[match.lang]) for c in knowledge.chapters)
    lines.append(t(match.lang, "not_sure_scope", chapters=chapters))
    choices = list(rows([topic_button(e, match.lang) for e in match.suggestions]))
    if miss_id is not None and actor.at_least(Role.MEMBER) and actor.is_private_chat \
            and not actor.at_least(Role.MANAGER):
        if in_a_row:
            lines.append(t(match.lang, "kb_forward_offer"))
        choices.append((KB.button(t(match.lang, "kb_button_forward"), "forward", miss_id),))
    return Reply("\n\n".join(lines), tuple(choices))


def _log_answer(services: Services, actor: Actor, question: str, match: Match) -> int | None:
    """Note the answer given (for 👍/👎 and the figures); None when the database is away."""
    assert match.entry is not None
    try:
        with services.engine.begin() as connection:
            return log_answer(connection=connection, telegram_id=actor.user_id or None,
                              entry_id=match.entry.id, language=match.lang, text=question)
    except SQLAlchemyError as exc:
        logger.warning("Could not log an answer (database: %s)", type(exc).__name__)
        return None


def _log_miss(services: Services, actor: Actor, question: str, match: Match
              ) -> tuple[int | None, bool]:
    """Note the question for the managers (its id, and whether it is the second miss in a
    row); an unreachable database must not stop the answer."""
    try:
        with session_scope(services.engine) as session:
            row = log_unanswered(session=session, telegram_id=actor.user_id, language=match.lang,
                                 text=question, score=match.score,
                                 best_topic=match.suggestions[0].id if match.suggestions
                                 else None)
            session.flush()
            misses = recent_misses_of(session=session, telegram_id=actor.user_id)
            answered = last_answer_at(session=session, telegram_id=actor.user_id)
    except SQLAlchemyError as exc:
        logger.warning("Could not log an unanswered question (database: %s)",
                       type(exc).__name__)
        return None, False
    in_a_row = (len(misses) == 2 and utcnow() - _aware(misses[1]) <= IN_A_ROW_WITHIN
                and (answered is None or _aware(answered) < _aware(misses[1])))
    return row.id, in_a_row


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive UTC datetimes; compare them as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def ask_command(services: Services, actor: Actor, args: str) -> Reply:
    """/ask QUESTION."""
    if not args.strip():
        return Reply(t(actor.language, "ask_usage"))
    return ask(services, actor, args)


def topics(services: Services, actor: Actor, args: str) -> Reply:
    """Show the chapters of the knowledge base as buttons."""
    return _chapters(services, actor.language, edit=False)


def _chapters(services: Services, lang: str, *, edit: bool) -> Reply:
    state.current(services)
    buttons = [KB.button(c.title[lang], "chapter", c.id, lang)
               for c in services.knowledge.chapters]
    return Reply(t(lang, "topics_title"), rows(buttons), edit=edit)


def press_chapters(services: Services, actor: Actor, lang: str | None = None) -> Reply:
    """Back to the chapter list, in place."""
    return _chapters(services, lang or actor.language, edit=True)


def press_chapter(services: Services, actor: Actor, chapter_id: str,
                  lang: str | None = None) -> Reply:
    """The topics of one chapter, in place."""
    lang = lang or actor.language
    state.current(services)
    chapter = services.knowledge.chapter(chapter_id)
    if chapter is None:
        return refused_press(t(lang, "stale_button"))
    buttons = [topic_button(e, lang) for e in services.knowledge.in_chapter(chapter.id)]
    buttons.append(KB.button(t(lang, "back_to_chapters"), "chapters", lang))
    return Reply(t(lang, "chapter_title", title=html.escape(chapter.title[lang])),
                 rows(buttons), edit=True)


def press_topic(services: Services, actor: Actor, entry_id: str,
                lang: str | None = None) -> Reply:
    """One answer card, as a new message."""
    lang = lang or actor.language
    state.current(services)
    entry = services.knowledge.get(entry_id)
    if entry is None:
        return refused_press(t(lang, "topic_gone"))
    return render_entry(services, entry, lang, actor=actor)

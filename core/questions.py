"""Questions and answers: free questions, the topic browser and the unanswered log."""

from __future__ import annotations

import html

from core.actor import Actor, Role
from core.i18n import LANGUAGES, t
from core.registry import Button, Command
from core.reply import Choice, Reply, refused_press, rows
from core.services import Services
from knowledge.base import Entry
from knowledge.matcher import MAX_QUESTION_CHARS
from storage.engine import session_scope
from storage.questions import count_unanswered, log_unanswered, recent_unanswered

MAX_RELATED_BUTTONS = 3
UNANSWERED_SHOWN = 20


def _topic_button(entry: Entry, lang: str) -> Choice:
    return Choice(entry.title[lang], f"kb:topic:{entry.id}:{lang}")


def render_entry(services: Services, entry: Entry, lang: str, *, edit: bool = False) -> Reply:
    """An answer card: title, answer, and buttons to related topics."""
    related = [e for e in (services.knowledge.get(r) for r in entry.related) if e is not None]
    buttons = [_topic_button(e, lang) for e in related[:MAX_RELATED_BUTTONS]]
    if entry.chapter == "pitfalls":  # an answer about a pitfall offers the self-check (#5)
        buttons.append(Choice(t(lang, "pitfalls_selfcheck_offer"), "selfcheck:start"))
    text = f"<b>{html.escape(entry.title[lang])}</b>\n\n{html.escape(entry.answer[lang])}"
    return Reply(text, rows(buttons), edit=edit)


def ask(services: Services, actor: Actor, question: str) -> Reply:
    """Answer a free question, or say honestly that we are not sure and suggest topics."""
    question = question.strip()
    if not question:
        return Reply(t(actor.language, "empty_message"))
    if len(question) > MAX_QUESTION_CHARS:
        length = f"{len(question):,}"
        return Reply(t(actor.language, "too_long", limit=MAX_QUESTION_CHARS,
                       length=length.replace(",", ".") if actor.language == "de" else length))
    match = services.matcher.match(question, actor.language)
    if match.entry is not None:
        return render_entry(services, match.entry, match.lang)
    if match.content_words == 0:  # emoji, punctuation, "hi", "danke": nothing to look up
        return Reply(t(match.lang, "no_words"))
    with session_scope(services.engine) as session:
        log_unanswered(session=session, telegram_id=actor.user_id, language=match.lang,
                       text=question, score=match.score,
                       best_topic=match.suggestions[0].id if match.suggestions else None)
    shown = question if len(question) <= 200 else question[:200] + "…"
    lines = [t(match.lang, "not_sure", question=html.escape(shown))]
    if match.suggestions:
        lines.append(t(match.lang, "not_sure_suggestions"))
    lines.append(t(match.lang, "not_sure_browse"))
    buttons = [_topic_button(e, match.lang) for e in match.suggestions]
    return Reply("\n\n".join(lines), rows(buttons))


def ask_command(services: Services, actor: Actor, args: str) -> Reply:
    """/ask QUESTION."""
    if not args.strip():
        return Reply(t(actor.language, "ask_usage"))
    return ask(services, actor, args)


def topics(services: Services, actor: Actor, args: str) -> Reply:
    """Show the chapters of the knowledge base as buttons."""
    return _chapters(services, actor.language, edit=False)


def _chapters(services: Services, lang: str, *, edit: bool) -> Reply:
    buttons = [Choice(c.title[lang], f"kb:chapter:{c.id}:{lang}")
               for c in services.knowledge.chapters]
    return Reply(t(lang, "topics_title"), rows(buttons), edit=edit)


def press(services: Services, actor: Actor, parts: list[str]) -> Reply:
    """Handle kb:chapters, kb:chapter:<id>[:lang] and kb:topic:<id>[:lang]."""
    action = parts[0]
    lang = parts[-1] if len(parts) > 1 and parts[-1] in LANGUAGES else actor.language
    if action == "chapters":
        return _chapters(services, lang, edit=True)
    if action == "chapter" and len(parts) >= 2:
        chapter = services.knowledge.chapter(parts[1])
        if chapter is not None:
            entries = services.knowledge.in_chapter(chapter.id)
            buttons = [_topic_button(e, lang) for e in entries]
            buttons.append(Choice(t(lang, "back_to_chapters"), f"kb:chapters:{lang}"))
            return Reply(t(lang, "chapter_title", title=html.escape(chapter.title[lang])),
                         rows(buttons), edit=True)
    if action == "topic" and len(parts) >= 2:
        entry = services.knowledge.get(parts[1])
        if entry is not None:
            return render_entry(services, entry, lang)
        return refused_press(t(lang, "topic_gone"))
    return refused_press(t(lang, "stale_button"))


def unanswered(services: Services, actor: Actor, args: str) -> Reply:
    """List the newest questions the advisor could not answer (managers)."""
    lang = actor.language
    with session_scope(services.engine) as session:
        summaries = recent_unanswered(session=session, limit=UNANSWERED_SHOWN)
        total = count_unanswered(session=session)
    if not summaries:
        return Reply(t(lang, "unanswered_none"))
    tz = services.settings.tz
    lines = [t(lang, "unanswered_title", total=total)]
    for summary in summaries:
        text = summary.text if len(summary.text) <= 120 else summary.text[:120] + "…"
        lines.append(t(lang, "unanswered_row",
                       date=summary.last_asked.astimezone(tz).strftime("%d.%m.%Y %H:%M"),
                       text=html.escape(text), times=summary.times))
    return Reply("\n".join(lines))


COMMANDS = (
    Command("ask", Role.VISITOR, {"de": "Eine Frage stellen", "en": "Ask a question"},
            ask_command),
    Command("topics", Role.VISITOR, {"de": "Themen durchblättern", "en": "Browse topics"},
            topics),
    # private only: the list shows other people's questions
    Command("unanswered", Role.MANAGER,
            {"de": "Unbeantwortete Fragen", "en": "Unanswered questions"}, unanswered,
            private_only=True),
)
BUTTONS = {"kb": Button(Role.VISITOR, press)}

"""👍/👎 under confident answers and the per-entry figures (#12).

A vote belongs to one answer given to one person: the button names the logged answer, the
press must come from the person who asked, and a second press (either thumb) changes
nothing. The card is edited in place: the thumbs give way to a thanks. A 👎 puts the
question into the review queue with the answer it got."""

from __future__ import annotations

import html
from datetime import UTC

from core.actor import Actor
from core.i18n import t
from core.locale import format_date
from core.questions import state
from core.questions.answers import render_entry
from core.reply import Reply, refused_press
from core.services import Services
from storage.engine import session_scope
from storage.questions.feedback import EntryFigures, entry_figures, get_answer, record_vote
from storage.questions.unanswered import log_disliked

STATS_SHOWN = 25


def press_vote(services: Services, actor: Actor, answer_id: int, vote: str) -> Reply:
    """Record 👍 or 👎 once, then show the answer with a thanks instead of the thumbs."""
    lang = actor.language
    with session_scope(services.engine) as session:
        answer = get_answer(session=session, answer_id=answer_id)
        if answer is None or answer.telegram_id != actor.user_id:
            return refused_press(t(lang, "stale_button"))
        if answer.vote is not None:
            return refused_press(t(lang, "kb_already_voted"))
        record_vote(session=session, answer=answer, vote=1 if vote == "up" else -1)
        if vote == "down":
            log_disliked(session=session, telegram_id=actor.user_id, language=answer.language,
                         text=answer.text, entry_id=answer.entry_id)
        entry_id, answer_lang = answer.entry_id, answer.language
    entry = state.current(services).knowledge.get(entry_id)
    if entry is None:
        return Reply(t(lang, f"kb_thanks_{vote}"), edit=True)
    return render_entry(services, entry, answer_lang, edit=True, actor=actor, voted=vote)


def figures(services: Services) -> list[EntryFigures]:
    with session_scope(services.engine) as session:
        return entry_figures(session=session)


def stats_line(services: Services, row: EntryFigures, lang: str, *, escape: bool = True
               ) -> str:
    entry = services.knowledge.get(row.entry_id)
    title = entry.title[lang] if entry is not None else row.entry_id
    last = row.last_asked if row.last_asked.tzinfo else row.last_asked.replace(tzinfo=UTC)
    return t(lang, "kb_stats_row", title=html.escape(title) if escape else title,
             asked=row.asked, up=row.helpful, down=row.not_helpful,
             date=format_date(last.astimezone(services.settings.tz).date(), lang))


def kb_stats(services: Services, actor: Actor, args: str) -> Reply:
    """/kb_stats: per entry asked, 👍, 👎, last asked (most asked first)."""
    lang = actor.language
    state.current(services)
    rows_ = figures(services)
    if not rows_:
        return Reply(t(lang, "kb_stats_none"))
    lines = [t(lang, "kb_stats_title", count=len(rows_))]
    lines += [stats_line(services, row, lang) for row in rows_[:STATS_SHOWN]]
    if len(rows_) > STATS_SHOWN:
        lines.append(t(lang, "kb_stats_more", count=len(rows_) - STATS_SHOWN))
    return Reply("\n".join(lines))

"""The review queue behind /unanswered (#12): missed questions grouped by similarity, with
counts and last date, paged; per group: answer with an existing entry (the suggestions or
a search by words), write a new answer (core/questions/authoring.py), or dismiss — with
undo. Handled groups leave the queue. A button names a group by the id of its newest
question; a press finds the group again in the current queue, so a group handled by
another manager meanwhile is a stale press that changes nothing."""

from __future__ import annotations

import html
from datetime import UTC

from core import dialogs
from core.actor import Actor
from core.i18n import t
from core.locale import format_datetime
from core.questions import state
from core.questions.buttons import TEACH
from core.questions.grouping import MissGroup, find_group, group_misses
from core.reply import Choice, Reply, refused_press, rows
from core.services import Services
from knowledge.base import Entry
from storage.engine import session_scope
from storage.questions.cluster import add_phrasings
from storage.questions.unanswered import (
    mark_handled,
    miss_ids_with_texts,
    open_misses,
    undo_dismissal,
)

PAGE_SIZE = 6
SHOWN_QUESTIONS = 5
LABEL_CHARS = 40
DIALOG = "teach"
STEP_SEARCH = "search"
MAX_SEARCH_RESULTS = 6


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def load_groups(services: Services) -> list[MissGroup]:
    with session_scope(services.engine) as session:
        rows_ = open_misses(session=session)
    return group_misses(rows_)


def _when(services: Services, group: MissGroup, lang: str) -> str:
    moment = group.last_asked
    moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return format_datetime(moment, lang, services.settings.tz)


def queue_view(services: Services, actor: Actor, page: int = 0, *, edit: bool = False
               ) -> Reply:
    """One page of the queue: a line and a button per group, and paging buttons."""
    lang = actor.language
    groups = load_groups(services)
    if not groups:
        return Reply(t(lang, "unanswered_none"), edit=edit)
    pages = (len(groups) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(page, pages - 1)
    shown = groups[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    total = sum(g.times for g in groups)
    lines = [t(lang, "unanswered_title", total=total),
             t(lang, "kb_queue_hint", count=len(groups))]
    buttons: list[Choice] = []
    for number, group in enumerate(shown, start=page * PAGE_SIZE + 1):
        similar = len(group.rows) - 1
        line = t(lang, "kb_queue_row", number=number, date=_when(services, group, lang),
                 text=html.escape(_short(group.lead.text, 120)), times=group.times)
        if similar:
            line += " " + t(lang, "kb_queue_similar", count=similar)
        if group.answered_with:
            line += " 👎"
        lines.append(line)
        buttons.append(TEACH.button(f"{number}. {_short(group.lead.text, LABEL_CHARS)}",
                                    "group", group.lead.first_id))
    choices = list(rows(buttons))
    paging = []
    if page > 0:
        paging.append(TEACH.button(t(lang, "kb_page_back"), "queue", page - 1))
    if page + 1 < pages:
        paging.append(TEACH.button(t(lang, "kb_page_next"), "queue", page + 1))
    if paging:
        lines.append(t(lang, "kb_page_of", page=page + 1, pages=pages))
        choices.append(tuple(paging))
    return Reply("\n".join(lines), tuple(choices), edit=edit)


def unanswered(services: Services, actor: Actor, args: str) -> Reply:
    """/unanswered: the review queue (managers, private chat)."""
    return queue_view(services, actor)


def press_queue(services: Services, actor: Actor, page: int = 0) -> Reply:
    return queue_view(services, actor, page, edit=True)


def _group_or_stale(services: Services, actor: Actor, first_id: int
                    ) -> MissGroup | Reply:
    group = find_group(load_groups(services), first_id)
    return group if group is not None else refused_press(t(actor.language, "kb_group_gone"))


def _suggestions(services: Services, group: MissGroup) -> list[Entry]:
    combined = state.current(services).knowledge
    found = [e for e in (combined.get(i) for i in group.best_topics) if e is not None]
    match = services.matcher.match(group.lead.text, group.lead.language)
    for entry in match.suggestions:
        if entry not in found:
            found.append(entry)
    return found[:3]


def press_group(services: Services, actor: Actor, first_id: int) -> Reply:
    """One group: its questions, and what the manager can do with it."""
    lang = actor.language
    group = _group_or_stale(services, actor, first_id)
    if isinstance(group, Reply):
        return group
    lines = [t(lang, "kb_group_title", times=group.times, date=_when(services, group, lang))]
    lines += [f"• {html.escape(_short(row.text, 200))} ({row.times}×)"
              for row in group.rows[:SHOWN_QUESTIONS]]
    if len(group.rows) > SHOWN_QUESTIONS:
        lines.append(t(lang, "kb_group_more", count=len(group.rows) - SHOWN_QUESTIONS))
    if group.answered_with:
        given = services.knowledge.get(group.answered_with)
        if given is not None:
            lines.append(t(lang, "kb_group_disliked", title=html.escape(given.title[lang])))
    suggestions = _suggestions(services, group)
    if suggestions:
        lines.append(t(lang, "kb_group_use_hint"))
    buttons = [TEACH.button(f"✓ {_short(e.title[lang], LABEL_CHARS)}", "use", first_id, e.id)
               for e in suggestions]
    buttons += [TEACH.button(t(lang, "kb_button_search"), "search", first_id),
                TEACH.button(t(lang, "kb_button_new"), "new", first_id),
                TEACH.button(t(lang, "kb_button_dismiss"), "dismiss", first_id),
                TEACH.button(t(lang, "kb_button_queue"), "queue", 0)]
    return Reply("\n".join(lines), rows(buttons), edit=True)


def handle_group(services: Services, actor: Actor, group: MissGroup, outcome: str) -> int:
    """Take the group's questions out of the queue; how many rows."""
    with session_scope(services.engine) as session:
        ids = miss_ids_with_texts(session=session, texts=[r.text for r in group.rows])
        return mark_handled(session=session, ids=ids, batch=group.lead.first_id,
                            outcome=outcome, by=actor.user_id)


def press_use(services: Services, actor: Actor, first_id: int, entry_id: str) -> Reply:
    """Answer the group with an existing entry: its questions become phrasings of it."""
    lang = actor.language
    entry = state.current(services).knowledge.get(entry_id)
    if entry is None:
        return refused_press(t(lang, "topic_gone"))
    group = _group_or_stale(services, actor, first_id)
    if isinstance(group, Reply):
        return group
    with session_scope(services.engine) as session:
        added = add_phrasings(session=session, entry_id=entry.id, by=actor.user_id,
                              phrasings=[(r.language, r.text) for r in group.rows])
        ids = miss_ids_with_texts(session=session, texts=[r.text for r in group.rows])
        mark_handled(session=session, ids=ids, batch=first_id, outcome="taught",
                     by=actor.user_id)
    state.changed(services)
    dialogs.finish(services, actor)
    return Reply(t(lang, "kb_taught", count=max(added, 1),
                   title=html.escape(entry.title[lang])),
                 ((TEACH.button(t(lang, "kb_button_queue"), "queue", 0),),), edit=True)


def press_dismiss(services: Services, actor: Actor, first_id: int) -> Reply:
    lang = actor.language
    group = _group_or_stale(services, actor, first_id)
    if isinstance(group, Reply):
        return group
    count = handle_group(services, actor, group, "dismissed")
    return Reply(t(lang, "kb_dismissed", count=count),
                 ((TEACH.button(t(lang, "kb_button_undo"), "undo", first_id),
                   TEACH.button(t(lang, "kb_button_queue"), "queue", 0)),), edit=True)


def press_undo(services: Services, actor: Actor, first_id: int) -> Reply:
    lang = actor.language
    with session_scope(services.engine) as session:
        count = undo_dismissal(session=session, batch=first_id)
    if not count:
        return refused_press(t(lang, "kb_undo_gone"))
    return queue_view(services, actor, edit=True)


def press_search(services: Services, actor: Actor, first_id: int) -> Reply:
    """Ask for words to find the entry that answers the group."""
    group = _group_or_stale(services, actor, first_id)
    if isinstance(group, Reply):
        return group
    dialogs.begin(services, actor, DIALOG, STEP_SEARCH, {"group": first_id})
    return Reply(t(actor.language, "kb_search_ask"))


def search_step(services: Services, actor: Actor, data: dict[str, object], text: str
                ) -> Reply:
    """Entries whose phrasings fit the words typed, as buttons that answer the group."""
    lang = actor.language
    first_id = int(str(data.get("group", 0)))
    if not text.strip() or len(text) > 200:
        return Reply(t(lang, "kb_search_ask"))
    ranked = services.matcher.rank(text, lang)[:MAX_SEARCH_RESULTS]
    if not ranked:
        return Reply(t(lang, "kb_search_none"))
    dialogs.finish(services, actor)  # the manager's next message is a question again
    buttons = [TEACH.button(f"✓ {_short(e.title[lang], LABEL_CHARS)}", "use", first_id, e.id)
               for _, e in ranked]
    buttons += [TEACH.button(t(lang, "kb_button_search"), "search", first_id),
                TEACH.button(t(lang, "kb_button_back"), "group", first_id)]
    return Reply(t(lang, "kb_search_results"), rows(buttons))

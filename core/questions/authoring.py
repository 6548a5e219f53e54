"""Writing a cluster entry in the chat (#12): from a group of the review queue, from a
forwarded question, or fresh from /kb — a guided dialog of title, answer, the other
language (optional) and the chapter. Every step is checked like shipped content (length,
words, no markup characters) and the finished entry once more with `kb import`'s checks;
nothing is saved before the chapter is chosen. The dialog's role (manager) is re-checked
by the router on every step, and each button here checks that the dialog is still open."""

from __future__ import annotations

import html
import re
from typing import Any

from core import dialogs
from core.actor import Actor
from core.i18n import t
from core.questions import state
from core.questions.buttons import TEACH
from core.questions.grouping import find_group
from core.questions.queue import DIALOG, load_groups
from core.reply import Reply, refused_press, rows
from core.services import Services
from knowledge.base import LANGUAGES, MAX_ANSWER_WORDS
from knowledge.cluster import (
    CLUSTER_CHAPTER,
    CLUSTER_SOURCE,
    MAX_ANSWER_CHARS,
    MAX_PHRASING_CHARS,
    MAX_TITLE_CHARS,
    check_record,
)
from knowledge.language.folding import words
from storage.engine import session_scope
from storage.questions.cluster import get_entry, save_entry
from storage.questions.forwarded import get_forwarded
from storage.questions.unanswered import mark_handled, miss_ids_with_texts

STEP_TITLE, STEP_ANSWER = "title", "answer"
STEP_OTHER_TITLE, STEP_OTHER_ANSWER, STEP_CHAPTER = "other_title", "other_answer", "chapter"
MARKUP = re.compile(r"[<>&]")


def other(lang: str) -> str:
    return next(x for x in LANGUAGES if x != lang)


def language_name(lang: str, of: str) -> str:
    return t(lang, f"kb_language_{of}")


def check_text(lang: str, text: str, *, answer: bool) -> str | None:
    """The problem with a title or answer typed in the chat, or None."""
    text = text.strip()
    limit = MAX_ANSWER_CHARS if answer else MAX_TITLE_CHARS
    if not text:
        return t(lang, "kb_text_empty")
    if len(text) > limit:
        return t(lang, "kb_text_too_long", limit=limit, length=len(text))
    if answer and len(text.split()) > MAX_ANSWER_WORDS:
        return t(lang, "kb_text_too_many_words", limit=MAX_ANSWER_WORDS,
                 count=len(text.split()))
    if MARKUP.search(text):
        return t(lang, "kb_text_markup")
    return None


def new_id(services: Services, title: str) -> str:
    """An id from the title's words (a-z, 0-9, _), unique among all entries."""
    base = "_".join(words(title))[:34].strip("_") or "entry"
    base = re.sub(r"[^a-z0-9_]", "", base) or "entry"
    taken = {e.id for e in state.current(services).knowledge.entries}
    candidate, number = base, 2
    with session_scope(services.engine) as session:
        while candidate in taken or get_entry(session=session, entry_id=candidate) is not None:
            candidate, number = f"{base}_{number}", number + 1
    return candidate


def _abort_row(lang: str) -> tuple[Any, ...]:
    return (TEACH.button(t(lang, "kb_button_abort"), "abort"),)


def start(services: Services, actor: Actor, data: dict[str, Any], lang: str) -> Reply:
    """Open the dialog; `lang` is the language the entry is first written in."""
    data = {**data, "lang": lang}
    dialogs.begin(services, actor, DIALOG, STEP_TITLE, data)
    hint = data.get("question", "")
    buttons = [TEACH.button(t(actor.language, "kb_button_title_q"), "title_q")] if hint else []
    text = t(actor.language, "kb_new_title", language=language_name(actor.language, lang))
    if hint:
        text += "\n" + t(actor.language, "kb_new_title_hint", question=html.escape(hint))
    return Reply(text, (*rows(buttons), _abort_row(actor.language)))


def press_new(services: Services, actor: Actor, first_id: int | None = None) -> Reply:
    """Write a new answer for a queue group (or, without a group, a fresh entry)."""
    if first_id is None:
        return start(services, actor, {}, actor.language)
    group = find_group(load_groups(services), first_id)
    if group is None:
        return refused_press(t(actor.language, "kb_group_gone"))
    return start(services, actor, {"group": first_id,
                                   "question": group.lead.text[:MAX_TITLE_CHARS],
                                   "questions": [[r.language, r.text[:MAX_PHRASING_CHARS]]
                                                 for r in group.rows]},
                 group.lead.language)


def _open(services: Services, actor: Actor, *steps: str) -> dialogs.DialogState | None:
    found = dialogs.current(services, actor)
    return found if found is not None and found.feature == DIALOG and found.step in steps \
        else None


def press_title_q(services: Services, actor: Actor) -> Reply:
    """Take the question itself as the title."""
    found = _open(services, actor, STEP_TITLE)
    if found is None:
        return refused_press(t(actor.language, "stale_button"))
    return new_step(services, actor, found, str(found.data.get("question", "")))


def press_skip(services: Services, actor: Actor) -> Reply:
    """Leave out the other language."""
    found = _open(services, actor, STEP_OTHER_TITLE)
    if found is None:
        return refused_press(t(actor.language, "stale_button"))
    return _ask_chapter(services, actor, found.data)


def press_abort(services: Services, actor: Actor) -> Reply:
    dialogs.finish(services, actor)
    return Reply(t(actor.language, "kb_aborted"), edit=True)


def _ask_chapter(services: Services, actor: Actor, data: dict[str, Any]) -> Reply:
    lang = actor.language
    dialogs.advance(services, actor, DIALOG, STEP_CHAPTER, data)
    shipped = state.current(services).knowledge.chapters
    chapters = [CLUSTER_CHAPTER, *(c for c in shipped if c.id != CLUSTER_CHAPTER.id)]
    buttons = [TEACH.button(c.title[lang], "chapter", c.id) for c in chapters]
    return Reply(t(lang, "kb_new_chapter"), (*rows(buttons), _abort_row(lang)))


def new_step(services: Services, actor: Actor, found: dialogs.DialogState, text: str
             ) -> Reply:
    """One typed step of the new-entry dialog."""
    lang, data = actor.language, dict(found.data)
    first, second = str(data["lang"]), other(str(data["lang"]))
    if found.step == STEP_CHAPTER:
        return Reply(t(lang, "kb_new_chapter_buttons"))
    answer = found.step in (STEP_ANSWER, STEP_OTHER_ANSWER)
    problem = check_text(lang, text, answer=answer)
    if problem is not None:
        return Reply(problem, (_abort_row(lang),))
    text = text.strip()
    if found.step == STEP_TITLE:
        data["title"] = {first: text}
        dialogs.advance(services, actor, DIALOG, STEP_ANSWER, data)
        return Reply(t(lang, "kb_new_answer", language=language_name(lang, first)),
                     (_abort_row(lang),))
    if found.step == STEP_ANSWER:
        data["answer"] = {first: text}
        dialogs.advance(services, actor, DIALOG, STEP_OTHER_TITLE, data)
        return Reply(t(lang, "kb_new_other_title", language=language_name(lang, second)),
                     ((TEACH.button(t(lang, "kb_button_skip"), "skip"),), _abort_row(lang)))
    if found.step == STEP_OTHER_TITLE:
        data["title"] = {**data["title"], second: text}
        dialogs.advance(services, actor, DIALOG, STEP_OTHER_ANSWER, data)
        return Reply(t(lang, "kb_new_answer", language=language_name(lang, second)),
                     (_abort_row(lang),))
    data["answer"] = {**data["answer"], second: text}
    return _ask_chapter(services, actor, data)


def press_chapter(services: Services, actor: Actor, chapter_id: str) -> Reply:
    """The last step: save the entry in the chapter chosen."""
    lang = actor.language
    found = _open(services, actor, STEP_CHAPTER)
    combined = state.current(services)
    if found is None or (chapter_id != CLUSTER_CHAPTER.id
                         and combined.knowledge.chapter(chapter_id) is None):
        return refused_press(t(lang, "stale_button"))
    data = found.data
    questions: dict[str, list[str]] = {}
    for q_lang, question in data.get("questions", []):
        if q_lang in LANGUAGES:
            questions.setdefault(q_lang, []).append(question)
    title = data["title"]
    for written, text in title.items():  # a fresh entry: its title is its first question
        questions.setdefault(written, [text])
    entry_id = new_id(services, next(iter(title.values())))
    raw = {"id": entry_id, "chapter": chapter_id, "source": CLUSTER_SOURCE, "title": title,
           "answer": data["answer"], "questions": questions}
    problems = check_record(raw, file="chat", shipped=combined.knowledge)
    if problems:
        return Reply(html.escape(problems[0].message), (_abort_row(lang),))
    content = {"title": title, "answer": data["answer"], "questions": questions,
               "keywords": {}, "related": []}
    group = find_group(load_groups(services), int(data["group"])) if "group" in data else None
    with session_scope(services.engine) as session:
        save_entry(session=session, entry_id=entry_id, chapter=chapter_id,
                   source=CLUSTER_SOURCE, content=content, by=actor.user_id)
        if group is not None:
            ids = miss_ids_with_texts(session=session, texts=[r.text for r in group.rows])
            mark_handled(session=session, ids=ids, batch=int(data["group"]),
                         outcome="new_entry", by=actor.user_id)
        if "forwarded" in data:
            forwarded = get_forwarded(session=session, forwarded_id=int(data["forwarded"]))
            if forwarded is not None:
                forwarded.entry_id = entry_id
                session.add(forwarded)
                if forwarded.unanswered_id is not None:  # answered: out of the queue
                    mark_handled(session=session, ids=miss_ids_with_texts(
                        session=session, texts=[forwarded.text]),
                        batch=forwarded.unanswered_id, outcome="new_entry", by=actor.user_id)
    dialogs.finish(services, actor)
    state.changed(services)
    return saved_reply(lang, entry_id, str(title.get(lang) or next(iter(title.values()))),
                       missing=[x for x in LANGUAGES if x not in data["answer"]])


def saved_reply(lang: str, entry_id: str, title: str, *, missing: list[str]) -> Reply:
    """The entry is live; offer the translation when a language is missing."""
    buttons = [TEACH.button(t(lang, "kb_button_translate", language=language_name(lang, x)),
                            "edit", entry_id, "title", x) for x in missing]
    buttons += [TEACH.button(t(lang, "kb_button_manage"), "entry", entry_id),
                TEACH.button(t(lang, "kb_button_queue"), "queue", 0)]
    return Reply(t(lang, "kb_saved", title=html.escape(title)), rows(buttons))


def existing_content(services: Services, entry_id: str) -> dict[str, Any] | None:
    with session_scope(services.engine) as session:
        entry = get_entry(session=session, entry_id=entry_id)
        return dict(entry.content) if entry is not None else None

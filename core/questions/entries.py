"""The cluster's entries for managers (#12): /kb lists them (and the hidden shipped ones),
an entry card offers edit per field and language, history (who, when, before/after) and
delete; shipped entries cannot be deleted but can be hidden for this cluster. Every change
goes through storage.questions.cluster, which records it and bumps the version stamp."""

from __future__ import annotations

import html
from datetime import UTC
from typing import Any

from core import dialogs
from core.actor import Actor
from core.i18n import t
from core.locale import format_datetime
from core.questions import state
from core.questions.authoring import check_text, language_name, saved_reply
from core.questions.buttons import TEACH
from core.questions.queue import DIALOG
from core.reply import Choice, Reply, refused_press, rows
from core.services import Services
from knowledge.base import LANGUAGES
from storage.accounts.queries import get_member
from storage.engine import session_scope
from storage.questions.cluster import (
    changes_of,
    cluster_knowledge,
    delete_entry,
    get_entry,
    save_entry,
    set_hidden,
)

STEP_EDIT = "edit"
PAGE_SIZE = 8


def kb_command(services: Services, actor: Actor, args: str) -> Reply:
    """/kb: the cluster's own entries, hidden shipped ones, and a button for a new entry."""
    return entries_view(services, actor, 0, edit=False)


def press_entries(services: Services, actor: Actor, page: int = 0) -> Reply:
    return entries_view(services, actor, page, edit=True)


def entries_view(services: Services, actor: Actor, page: int, *, edit: bool) -> Reply:
    lang = actor.language
    with session_scope(services.engine) as session:
        data = cluster_knowledge(session=session)
    entries = list(data.entries)
    pages = max(1, (len(entries) + PAGE_SIZE - 1) // PAGE_SIZE)
    page = min(page, pages - 1)
    lines = [t(lang, "kb_entries_title", count=len(entries))]
    buttons: list[Choice] = []
    for entry in entries[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]:
        title = entry.content.get("title", {})
        label = str(title.get(lang) or next(iter(title.values()), entry.id))
        buttons.append(TEACH.button(label[:60], "entry", entry.id))
    hidden = sorted(data.hidden)
    if hidden:
        lines.append(t(lang, "kb_hidden_title", count=len(hidden)))
    for entry_id in hidden[:PAGE_SIZE]:
        buttons.append(TEACH.button(t(lang, "kb_button_unhide", id=entry_id), "unhide",
                                    entry_id))
    buttons.append(TEACH.button(t(lang, "kb_button_new_entry"), "new"))
    choices = list(rows(buttons))
    paging = []
    if page > 0:
        paging.append(TEACH.button(t(lang, "kb_page_back"), "entries", page - 1))
    if page + 1 < pages:
        paging.append(TEACH.button(t(lang, "kb_page_next"), "entries", page + 1))
    if paging:
        choices.append(tuple(paging))
    return Reply("\n".join(lines), tuple(choices), edit=edit)


def press_entry(services: Services, actor: Actor, entry_id: str) -> Reply:
    """A cluster entry with everything that can be done with it."""
    lang = actor.language
    with session_scope(services.engine) as session:
        entry = get_entry(session=session, entry_id=entry_id)
    if entry is None:
        return refused_press(t(lang, "topic_gone"))
    content = entry.content
    lines = [t(lang, "kb_entry_title", id=html.escape(entry.id))]
    for x in LANGUAGES:
        title = content.get("title", {}).get(x)
        answer = content.get("answer", {}).get(x)
        name = language_name(lang, x)
        if title or answer:
            lines.append(f"<b>{html.escape(name)}:</b> {html.escape(str(title or '–'))}\n"
                         f"{html.escape(str(answer or '–'))}")
        else:
            lines.append(t(lang, "kb_entry_missing_language", language=name))
    count = sum(len(v) for v in content.get("questions", {}).values())
    lines.append(t(lang, "kb_entry_questions", count=count))
    buttons = [TEACH.button(t(lang, f"kb_button_edit_{field}", language=language_name(lang, x)),
                            "edit", entry.id, field, x)
               for x in LANGUAGES for field in ("title", "answer")]
    buttons += [TEACH.button(t(lang, "kb_button_history"), "history", entry.id),
                TEACH.button(t(lang, "kb_button_delete"), "delete", entry.id),
                TEACH.button(t(lang, "kb_button_entries"), "entries", 0)]
    return Reply("\n\n".join(lines), rows(buttons, per_row=2))


def press_edit(services: Services, actor: Actor, entry_id: str, field: str, lang_of: str
               ) -> Reply:
    """Ask for the new text of one field in one language."""
    lang = actor.language
    with session_scope(services.engine) as session:
        entry = get_entry(session=session, entry_id=entry_id)
    if entry is None:
        return refused_press(t(lang, "topic_gone"))
    dialogs.begin(services, actor, DIALOG, STEP_EDIT,
                  {"entry": entry_id, "field": field, "of": lang_of})
    current = entry.content.get(field, {}).get(lang_of)
    text = t(lang, f"kb_edit_{field}", language=language_name(lang, lang_of))
    if current:
        text += "\n" + t(lang, "kb_edit_current", text=html.escape(str(current)))
    return Reply(text, ((TEACH.button(t(lang, "kb_button_abort"), "abort"),),))


def edit_step(services: Services, actor: Actor, data: dict[str, Any], text: str) -> Reply:
    """Save the typed text; after a new title of a missing language, ask for its answer."""
    lang = actor.language
    entry_id, field, lang_of = str(data["entry"]), str(data["field"]), str(data["of"])
    problem = check_text(lang, text, answer=field == "answer")
    if problem is not None:
        return Reply(problem)
    with session_scope(services.engine) as session:
        entry = get_entry(session=session, entry_id=entry_id)
        if entry is None:
            dialogs.finish(services, actor)
            return Reply(t(lang, "topic_gone"))
        content = {**entry.content}
        content[field] = {**content.get(field, {}), lang_of: text.strip()}
        save_entry(session=session, entry_id=entry_id, chapter=entry.chapter,
                   source=entry.source, content=content, by=actor.user_id)
    state.changed(services)
    if field == "title" and not content.get("answer", {}).get(lang_of):
        dialogs.advance(services, actor, DIALOG, STEP_EDIT,
                        {"entry": entry_id, "field": "answer", "of": lang_of})
        return Reply(t(lang, "kb_edit_answer", language=language_name(lang, lang_of)))
    dialogs.finish(services, actor)
    title = content.get("title", {})
    return saved_reply(lang, entry_id, str(title.get(lang) or next(iter(title.values()))),
                       missing=[x for x in LANGUAGES if not content.get("answer", {}).get(x)])


def press_delete(services: Services, actor: Actor, entry_id: str) -> Reply:
    lang = actor.language
    with session_scope(services.engine) as session:
        entry = get_entry(session=session, entry_id=entry_id)
    if entry is None:
        return refused_press(t(lang, "topic_gone"))
    return Reply(t(lang, "kb_delete_confirm", id=html.escape(entry_id)),
                 ((TEACH.button(t(lang, "kb_button_delete_yes"), "delete_yes", entry_id),
                   TEACH.button(t(lang, "kb_button_abort"), "entry", entry_id)),), edit=True)


def press_delete_yes(services: Services, actor: Actor, entry_id: str) -> Reply:
    lang = actor.language
    with session_scope(services.engine) as session:
        deleted = delete_entry(session=session, entry_id=entry_id, by=actor.user_id)
    if not deleted:
        return refused_press(t(lang, "topic_gone"))
    state.changed(services)
    return Reply(t(lang, "kb_deleted", id=html.escape(entry_id)),
                 ((TEACH.button(t(lang, "kb_button_entries"), "entries", 0),),), edit=True)


def _diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    parts = []
    for key in ("title", "answer"):
        for x in LANGUAGES:
            old = ((before or {}).get(key) or {}).get(x)
            new = ((after or {}).get(key) or {}).get(x)
            if old != new:
                parts.append(f"{key}.{x}: „{html.escape(str(old or '–'))[:80]}“ → "
                             f"„{html.escape(str(new or '–'))[:80]}“")
    if after and "questions" in after and before is None and "title" not in after:
        parts.append(html.escape(", ".join(after["questions"])[:160]))
    return "; ".join(parts)


def press_history(services: Services, actor: Actor, entry_id: str) -> Reply:
    lang = actor.language
    with session_scope(services.engine) as session:
        changes = changes_of(session=session, entry_id=entry_id)
        names = {c.changed_by: (m.name if (m := get_member(session=session,
                                                           telegram_id=c.changed_by)) else "")
                 for c in changes if c.changed_by}
    if not changes:
        return refused_press(t(lang, "kb_history_none"))
    lines = [t(lang, "kb_history_title", id=html.escape(entry_id))]
    for change in changes:
        moment = change.changed_at
        moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
        who = html.escape((names.get(change.changed_by) if change.changed_by else "")
                          or t(lang, "kb_someone"))
        lines.append(f"• {format_datetime(moment, lang, services.settings.tz)} · {who} · "
                     f"{t(lang, 'kb_change_' + change.action)} "
                     f"{_diff(change.before, change.after)}".rstrip())
    return Reply("\n".join(lines))


def press_hide(services: Services, actor: Actor, entry_id: str) -> Reply:
    """Hide a shipped entry for this cluster (undo with the button)."""
    lang = actor.language
    combined = state.current(services)
    if combined.is_cluster_entry(entry_id):
        return refused_press(t(lang, "kb_hide_own"))
    if combined.knowledge.get(entry_id) is None:
        return refused_press(t(lang, "topic_gone"))
    with session_scope(services.engine) as session:
        set_hidden(session=session, entry_id=entry_id, hidden=True, by=actor.user_id)
    state.changed(services)
    return Reply(t(lang, "kb_hidden", id=html.escape(entry_id)),
                 ((TEACH.button(t(lang, "kb_button_undo"), "unhide", entry_id),),), edit=True)


def press_unhide(services: Services, actor: Actor, entry_id: str) -> Reply:
    lang = actor.language
    with session_scope(services.engine) as session:
        changed = set_hidden(session=session, entry_id=entry_id, hidden=False,
                             by=actor.user_id)
    if not changed:
        return refused_press(t(lang, "stale_button"))
    state.changed(services)
    return Reply(t(lang, "kb_unhidden", id=html.escape(entry_id)), edit=True)

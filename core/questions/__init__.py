"""Questions and answers (#1, #12): free questions answered from the shipped talk content
and the cluster's own entries, the topic browser, feedback on answers, the managers'
review queue and entry editing, and forwarding a question to the cluster management.

Modules: state (the combined knowledge and its matcher, rebuilt on change), answers (ask,
answer card, /topics), grouping and queue (/unanswered), authoring (the new-entry dialog),
entries (/kb: edit, delete, history, hide), feedback (👍/👎, /kb_stats), forwarding (a
person to ask), transfer (kb export/import/stats for the CLI), buttons (the `kb:` and
`teach:` tables, bound here).
"""

from __future__ import annotations

import contextlib

from sqlalchemy.exc import SQLAlchemyError

from core import dialogs
from core.actor import Actor, Role
from core.feature import Command, Dialog, Feature, Privacy
from core.i18n import t
from core.questions import answers, authoring, buttons, entries, feedback, forwarding, queue
from core.questions import state as knowledge_state
from core.questions.answers import ask, render_entry
from core.reply import Reply
from core.services import Services
from storage.questions.privacy import forget_person, person_data

__all__ = ["ACTIONS", "FEATURE", "TEACH_ACTIONS", "ask", "render_entry"]


def teach_step(services: Services, actor: Actor, state: dialogs.DialogState, text: str
               ) -> Reply:
    """Free text in the managers' dialog: the step decides what it is."""
    if state.step == queue.STEP_SEARCH:
        return queue.search_step(services, actor, state.data, text)
    if state.step == entries.STEP_EDIT:
        return entries.edit_step(services, actor, state.data, text)
    if state.step == forwarding.STEP_REPLY:
        return forwarding.reply_step(services, actor, state.data, text)
    if state.step in (authoring.STEP_TITLE, authoring.STEP_ANSWER, authoring.STEP_OTHER_TITLE,
                      authoring.STEP_OTHER_ANSWER, authoring.STEP_CHAPTER):
        return authoring.new_step(services, actor, state, text)
    dialogs.finish(services, actor)
    return Reply(t(actor.language, "stale_button"))


def warm(services: Services) -> None:
    """At start-up of the running bot (off the event loop): the combined matcher, and the
    words of every open missed question, so the first /unanswered opens as fast as later
    ones (bench/bench_teaching.py)."""
    knowledge_state.warm(services)
    with contextlib.suppress(SQLAlchemyError):  # the database is away: grouped when opened
        queue.load_groups(services)


ACTIONS = buttons.KB.bound({
    "chapters": answers.press_chapters,
    "chapter": answers.press_chapter,
    "topic": answers.press_topic,
    "vote": feedback.press_vote,
    "forward": forwarding.press_forward,
    "forward_yes": forwarding.press_forward_yes,
    "forward_no": forwarding.press_forward_no,
})
TEACH_ACTIONS = buttons.TEACH.bound({
    "queue": queue.press_queue,
    "group": queue.press_group,
    "use": queue.press_use,
    "search": queue.press_search,
    "new": authoring.press_new,
    "dismiss": queue.press_dismiss,
    "undo": queue.press_undo,
    "title_q": authoring.press_title_q,
    "skip": authoring.press_skip,
    "chapter": authoring.press_chapter,
    "abort": authoring.press_abort,
    "entries": entries.press_entries,
    "entry": entries.press_entry,
    "edit": entries.press_edit,
    "delete": entries.press_delete,
    "delete_yes": entries.press_delete_yes,
    "history": entries.press_history,
    "hide": entries.press_hide,
    "unhide": entries.press_unhide,
    "reply": forwarding.press_reply,
    "to_entry": forwarding.press_to_entry,
})

FEATURE = Feature(
    name="questions",
    commands=(
        Command("ask", Role.VISITOR, answers.ask_command),
        Command("topics", Role.VISITOR, answers.topics),
        # private only: the queue and the entries show other people's questions
        Command("unanswered", Role.MANAGER, queue.unanswered, private_only=True),
        Command("kb", Role.MANAGER, entries.kb_command, private_only=True),
        Command("kb_stats", Role.MANAGER, feedback.kb_stats, private_only=True),
    ),
    actions=(ACTIONS, TEACH_ACTIONS),
    dialogs=(Dialog(queue.DIALOG, teach_step, Role.MANAGER),),
    free_text=ask,
    on_start=warm,
    privacy=Privacy(export=lambda session, telegram_id: person_data(
                        session=session, telegram_id=telegram_id),
                    forget=lambda session, telegram_id, _successor: forget_person(
                        session=session, telegram_id=telegram_id)),
)

"""A person to ask (#12): a member may pass a missed question to the cluster management —
after consent, never without; the managers get it with a reply button, the reply goes
back to the member, and one more tap turns question and reply into a cluster entry."""

from __future__ import annotations

import html

from core import dialogs
from core.actor import Actor
from core.i18n import t
from core.questions import authoring
from core.questions.buttons import KB, TEACH
from core.questions.queue import DIALOG
from core.reply import Outgoing, Reply, refused_press
from core.services import Services
from knowledge.cluster import MAX_ANSWER_CHARS, MAX_TITLE_CHARS
from storage.accounts.queries import all_manager_ids, get_member
from storage.engine import session_scope
from storage.questions.forwarded import (
    forward_question,
    get_forwarded,
    is_forwarded,
    record_reply,
)
from storage.questions.tables import UnansweredQuestion

STEP_REPLY = "reply"


def _own_miss(services: Services, actor: Actor, miss_id: int) -> UnansweredQuestion | None:
    with session_scope(services.engine) as session:
        miss = session.get(UnansweredQuestion, miss_id)
    return miss if miss is not None and miss.telegram_id == actor.user_id else None


def press_forward(services: Services, actor: Actor, miss_id: int) -> Reply:
    """Ask for consent: what will be sent, to whom."""
    lang = actor.language
    miss = _own_miss(services, actor, miss_id)
    if miss is None:
        return refused_press(t(lang, "stale_button"))
    return Reply(t(lang, "kb_forward_consent", question=html.escape(miss.text[:300])),
                 ((KB.button(t(lang, "kb_button_forward_yes"), "forward_yes", miss_id),
                   KB.button(t(lang, "kb_button_forward_no"), "forward_no", miss_id)),),
                 edit=True)


def press_forward_no(services: Services, actor: Actor, miss_id: int) -> Reply:
    return Reply(t(actor.language, "kb_forward_declined"), edit=True)


def press_forward_yes(services: Services, actor: Actor, miss_id: int) -> Reply:
    """Send the question to every manager (once per question)."""
    lang = actor.language
    miss = _own_miss(services, actor, miss_id)
    if miss is None:
        return refused_press(t(lang, "stale_button"))
    with session_scope(services.engine) as session:
        if is_forwarded(session=session, unanswered_id=miss_id):
            return refused_press(t(lang, "kb_forward_already"))
        forwarded = forward_question(session=session, telegram_id=actor.user_id,
                                     language=miss.language, text=miss.text,
                                     unanswered_id=miss_id)
        managers = {m: (found.language if (found := get_member(session=session,
                                                              telegram_id=m)) else
                        services.settings.default_language)
                    for m in all_manager_ids(session=session,
                                             configured=services.settings.manager_ids)
                    if m != actor.user_id}
        forwarded_id = forwarded.id
    assert forwarded_id is not None
    extra = tuple(Outgoing(manager, _for_manager(language, actor, miss.text, forwarded_id))
                  for manager, language in managers.items())
    text = t(lang, "kb_forward_sent") if managers else t(lang, "kb_forward_nobody")
    return Reply(text, edit=True, extra=extra)


def _for_manager(lang: str, member: Actor, question: str, forwarded_id: int) -> Reply:
    """The forwarded question in the manager's language, with the reply button."""
    return Reply(t(lang, "kb_forwarded_to_manager", name=html.escape(member.name),
                   question=html.escape(question[:1000])),
                 ((TEACH.button(t(lang, "kb_button_reply"), "reply", forwarded_id),),))


def press_reply(services: Services, actor: Actor, forwarded_id: int) -> Reply:
    lang = actor.language
    with session_scope(services.engine) as session:
        forwarded = get_forwarded(session=session, forwarded_id=forwarded_id)
    if forwarded is None:
        return refused_press(t(lang, "stale_button"))
    if forwarded.answer is not None:
        return refused_press(t(lang, "kb_reply_already"))
    dialogs.begin(services, actor, DIALOG, STEP_REPLY, {"forwarded": forwarded_id})
    return Reply(t(lang, "kb_reply_ask", question=html.escape(forwarded.text[:300])))


def reply_step(services: Services, actor: Actor, data: dict[str, object], text: str) -> Reply:
    """Send the manager's reply to the member; offer to keep it as a cluster entry."""
    lang = actor.language
    text = text.strip()
    if not text:
        return Reply(t(lang, "kb_text_empty"))
    if len(text) > MAX_ANSWER_CHARS:
        return Reply(t(lang, "kb_text_too_long", limit=MAX_ANSWER_CHARS, length=len(text)))
    forwarded_id = int(str(data["forwarded"]))
    with session_scope(services.engine) as session:
        forwarded = get_forwarded(session=session, forwarded_id=forwarded_id)
        if forwarded is None or forwarded.answer is not None:
            dialogs.finish(services, actor)
            return Reply(t(lang, "kb_reply_already"))
        record_reply(session=session, forwarded=forwarded, by=actor.user_id, answer=text)
        member, member_lang, question = forwarded.telegram_id, forwarded.language, forwarded.text
    dialogs.finish(services, actor)
    to_member = Reply(t(member_lang, "kb_reply_to_member", question=html.escape(question[:300]),
                        answer=html.escape(text)))
    return Reply(t(lang, "kb_reply_sent"),
                 ((TEACH.button(t(lang, "kb_button_to_entry"), "to_entry", forwarded_id),),),
                 extra=(Outgoing(member, to_member),))


def press_to_entry(services: Services, actor: Actor, forwarded_id: int) -> Reply:
    """One tap: question and reply become a cluster entry (checked like any other)."""
    lang = actor.language
    with session_scope(services.engine) as session:
        forwarded = get_forwarded(session=session, forwarded_id=forwarded_id)
    if forwarded is None or forwarded.answer is None or forwarded.entry_id is not None:
        return refused_press(t(lang, "stale_button"))
    title = forwarded.text.strip()[:MAX_TITLE_CHARS]
    problem = (authoring.check_text(lang, title, answer=False)
               or authoring.check_text(lang, forwarded.answer, answer=True))
    if problem is not None:  # e.g. "&" in the reply: write the entry step by step instead
        return authoring.start(services, actor, {"forwarded": forwarded_id,
                                                 "question": title,
                                                 "questions": [[forwarded.language, title]]},
                               forwarded.language)
    data = {"forwarded": forwarded_id, "lang": forwarded.language,
            "questions": [[forwarded.language, forwarded.text[:300]]],
            "title": {forwarded.language: title},
            "answer": {forwarded.language: forwarded.answer.strip()}}
    dialogs.begin(services, actor, DIALOG, authoring.STEP_CHAPTER, data)
    return authoring.press_chapter(services, actor, "cluster")

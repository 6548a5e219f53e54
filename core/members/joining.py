"""Becoming a member without an invite: /join requests decided by managers, the linked
Telegram group (whoever writes there becomes a member), and imported profiles claimed when
their @username writes to the bot. Invite links are in `core.members.invites`."""

from __future__ import annotations

import html

from sqlmodel import Session

from core.actor import Actor, Role
from core.feature import GroupPost
from core.i18n import t
from core.identity import identify
from core.members.common import already_member, language_of, make_member, manager_ids
from core.members.decisions import already_decided, decided, decision_actions, decision_buttons
from core.reply import Outgoing, Reply, refused_press, rows
from core.services import Services
from storage.accounts.queries import get_member
from storage.accounts.tables import Member
from storage.engine import session_scope
from storage.members.groups import link_group, linked_group, unlink_group
from storage.members.profiles import claim_imported_profile
from storage.members.requests import (
    OPEN,
    create_join_request,
    decide_request,
    get_join_request,
    open_join_request,
)

MAX_NOTE_CHARS = 300


# ------------------------------------------------------------------ join requests
def join_command(services: Services, actor: Actor, args: str) -> Reply:
    """Ask the managers to let me in; they get accept/decline buttons."""
    lang = actor.language
    if actor.at_least(Role.MEMBER):
        return already_member(actor)
    note = " ".join(args.split())[:MAX_NOTE_CHARS]
    managers = [m for m in manager_ids(services) if m != actor.user_id]
    if not managers:
        return Reply(t(lang, "members_join_no_manager"))
    with session_scope(services.engine) as session:
        if open_join_request(session=session, telegram_id=actor.user_id) is not None:
            return Reply(t(lang, "members_join_pending"))
        request_id = create_join_request(session=session, telegram_id=actor.user_id,
                                         note=note).id
    assert request_id is not None
    extra = []
    for manager in managers:
        mlang = language_of(services, manager)
        who = t(mlang, "members_join_who", name=html.escape(actor.name),
                username=f" (@{html.escape(actor.username)})" if actor.username else "",
                id=actor.user_id)
        text = t(mlang, "members_join_incoming", who=who)
        if note:
            text += "\n" + t(mlang, "members_join_note", note=html.escape(note))
        buttons = decision_buttons(ACTIONS, request_id, t(mlang, "members_join_accept"),
                                   t(mlang, "members_join_decline"))
        extra.append(Outgoing(manager, Reply(text, rows(list(buttons), 2))))
    return Reply(t(lang, "members_join_sent"), extra=tuple(extra))


def decide(services: Services, actor: Actor, request_id: int, accept: bool) -> Reply:
    """A manager accepts or declines a join request (once, whoever of them is first)."""
    lang = actor.language
    with session_scope(services.engine) as session:
        request = get_join_request(session=session, request_id=request_id)
        if request is None:
            return refused_press(t(lang, "members_join_gone"))
        decider = (get_member(session=session, telegram_id=request.decided_by or 0)
                   if request.status != OPEN else None)
        refusal = already_decided(lang, request.status, "members_join",
                                  by=decider.name if decider else "?")
        if refusal is not None:
            return refusal
        decide_request(session=session, request=request, accepted=accept,
                       decided_by=actor.user_id)
        applicant = get_member(session=session, telegram_id=request.telegram_id)
        name = html.escape(applicant.name if applicant else str(request.telegram_id))
        alang = applicant.language if applicant else services.settings.default_language
        applicant_id = request.telegram_id
    if not accept:
        return decided(t(lang, "members_join_you_declined", name=name),
                       t(lang, "members_join_done"), applicant_id,
                       t(alang, "members_join_declined_note"))
    make_member(services, applicant_id)
    return decided(t(lang, "members_join_you_accepted", name=name),
                   t(lang, "members_join_done"), applicant_id,
                   t(alang, "members_welcome_member",
                     cluster=html.escape(services.settings.cluster_name)),
                   menus=(applicant_id,))


ACTIONS = decision_actions("join", Role.MANAGER, decide)


# ------------------------------------------------------------------ linked group
def link_group_command(services: Services, actor: Actor, args: str) -> Reply:
    """Link the group this is sent in: people who write there become members."""
    lang = actor.language
    if actor.is_private_chat:
        return Reply(t(lang, "members_link_in_group"))
    title = " ".join(args.split())[:128]
    with session_scope(services.engine) as session:
        link_group(session=session, chat_id=actor.chat_id, title=title, linked_by=actor.user_id)
    return Reply(t(lang, "members_group_linked"))


def unlink_group_command(services: Services, actor: Actor, args: str) -> Reply:
    """Stop making people of this group members (existing members stay)."""
    lang = actor.language
    if actor.is_private_chat:
        return Reply(t(lang, "members_link_in_group"))
    with session_scope(services.engine) as session:
        removed = unlink_group(session=session, chat_id=actor.chat_id)
    return Reply(t(lang, "members_group_unlinked" if removed else "members_group_not_linked"))


def group_message(services: Services, post: GroupPost) -> Actor | None:
    """Someone wrote in a group: in a linked group a visitor becomes a member.

    Users of groups that are not linked are not recorded at all. The new member when
    someone joined, else None.
    """
    with session_scope(services.engine) as session:
        if linked_group(session=session, chat_id=post.chat_id) is None:
            return None
    actor = identify(services, user_id=post.user_id, chat_id=post.chat_id, name=post.name,
                     username=post.username, language_code=post.language_code,
                     is_private_chat=False)
    if actor.at_least(Role.MEMBER) or not make_member(services, actor.user_id):
        return None
    return actor


def watch_group(services: Services, post: GroupPost) -> Reply | None:
    """The group watcher: whoever writes in the linked group becomes a member, gets the
    member menu and a private welcome (nothing is posted in the group)."""
    joined = group_message(services, post)
    if joined is None:
        return None
    welcome = Reply(t(joined.language, "members_welcome_group",
                      cluster=html.escape(services.settings.cluster_name)))
    return Reply("", extra=(Outgoing(joined.user_id, welcome),), menus=(joined.user_id,))


# ------------------------------------------------------------------ imported profiles
def claim_profile(session: Session, member: Member) -> None:
    """Someone wrote to the bot: an imported profile naming their @username becomes theirs
    (and they a member); the index picks the change up by its timestamp."""
    claim_imported_profile(session=session, member=member)

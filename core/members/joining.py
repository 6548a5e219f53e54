"""Becoming a member: invite links, /join requests decided by managers, the linked group."""

from __future__ import annotations

import html
import secrets
from datetime import datetime

from core.actor import Actor, Role
from core.i18n import t
from core.identity import identify
from core.members.common import manager_ids, reindex
from core.members.contact import aware
from core.parsing import is_number
from core.reply import Choice, Outgoing, Reply, refused_press, rows
from core.services import Services
from storage.community_profiles import profile_of
from storage.community_requests import (
    active_invites,
    create_invite,
    create_join_request,
    get_invite,
    get_join_request,
    invite_by_token,
    link_group,
    linked_group,
    open_join_request,
    record_invite_use,
    set_role,
    unlink_group,
)
from storage.engine import session_scope
from storage.members import get_member
from storage.models import utcnow

MAX_NOTE_CHARS = 300
INVITES_SHOWN = 10


def _say(text: str, *, edit: bool = False) -> Reply:
    return Reply(text, notice=text[:200], edit=edit)


def _date(services: Services, moment: datetime) -> str:
    return aware(moment).astimezone(services.settings.tz).strftime("%d.%m.%Y %H:%M")


def make_member(services: Services, telegram_id: int) -> bool:
    """Give a visitor the member role; False when they already were a member or manager."""
    with session_scope(services.engine) as session:
        member = get_member(session=session, telegram_id=telegram_id)
        if member is None or member.role in ("member", "manager"):
            return False
        set_role(session=session, member=member, role="member")
        profile = profile_of(session=session, telegram_id=telegram_id)
        profile_id = profile.id if profile else None
    if profile_id is not None:
        reindex(services, [profile_id])
    return True


# ------------------------------------------------------------------ invites
def _link(services: Services, token: str, lang: str) -> str:
    if services.bot_username:
        return t(lang, "members_invite_link",
                 link=html.escape(f"https://t.me/{services.bot_username}?start={token}"))
    return t(lang, "members_invite_console", token=html.escape(token))


def invite_command(services: Services, actor: Actor, args: str) -> Reply:
    """/invite: new link; /invite list; /invite revoke <id>."""
    words = args.split()
    if not words:
        return _new_invite(services, actor)
    if words[0].lower() in ("list", "liste"):
        return _invite_list(services, actor, edit=False)
    if words[0].lower() in ("revoke", "widerrufen") and len(words) == 2 and is_number(words[1]):
        return _revoke(services, actor, int(words[1]), edit=False)
    return Reply(t(actor.language, "members_invite_usage"))


def _new_invite(services: Services, actor: Actor) -> Reply:
    lang = actor.language
    days = services.settings.invite_valid_days
    with session_scope(services.engine) as session:
        invite = create_invite(session=session, token=secrets.token_urlsafe(16),
                               created_by=actor.user_id, valid_days=days)
        token, invite_id, expires = invite.token, invite.id, invite.expires_at
    text = t(lang, "members_invite_created", link=_link(services, token, lang), days=days,
             until=_date(services, expires), id=invite_id)
    return Reply(text, rows([Choice(t(lang, "members_invite_revoke_button", id=invite_id),
                                    f"invite:revoke:{invite_id}"),
                             Choice(t(lang, "members_invite_list_button"), "invite:list")]))


def _invite_list(services: Services, actor: Actor, *, edit: bool) -> Reply:
    lang = actor.language
    with session_scope(services.engine) as session:
        invites = active_invites(session=session)[:INVITES_SHOWN]
    if not invites:
        return Reply(t(lang, "members_invite_none"),
                     rows([Choice(t(lang, "members_invite_new_button"), "invite:new")]), edit=edit)
    lines = [t(lang, "members_invite_list_title")]
    buttons = []
    for invite, uses in invites:
        lines.append(t(lang, "members_invite_row", id=invite.id, uses=uses,
                       until=_date(services, invite.expires_at),
                       link=_link(services, invite.token, lang)))
        buttons.append(Choice(t(lang, "members_invite_revoke_button", id=invite.id),
                              f"invite:revoke:{invite.id}"))
    buttons.append(Choice(t(lang, "members_invite_new_button"), "invite:new"))
    return Reply("\n\n".join(lines), rows(buttons), edit=edit)


def _revoke(services: Services, actor: Actor, invite_id: int, *, edit: bool) -> Reply:
    lang = actor.language
    with session_scope(services.engine) as session:
        invite = get_invite(session=session, invite_id=invite_id)
        if invite is None:
            return refused_press(t(lang, "members_invite_unknown", id=invite_id))
        if invite.revoked_at is not None:
            return refused_press(t(lang, "members_invite_already_revoked", id=invite_id))
        invite.revoked_at = utcnow()
        session.add(invite)
    return _say(t(lang, "members_invite_revoked", id=invite_id), edit=edit)


def invite_press(services: Services, actor: Actor, parts: list[str]) -> Reply:
    """invite:new, invite:list, invite:revoke:<id> (managers only)."""
    if parts[0] == "new":
        return _new_invite(services, actor)
    if parts[0] == "list":
        return _invite_list(services, actor, edit=True)
    if parts[0] == "revoke" and len(parts) == 2 and is_number(parts[1]):
        return _revoke(services, actor, int(parts[1]), edit=True)
    return refused_press(t(actor.language, "stale_button"))


def start_with_token(services: Services, actor: Actor, token: str) -> Reply | None:
    """/start <token> from an invite link; None when the argument is no invite at all."""
    lang = actor.language
    with session_scope(services.engine) as session:
        invite = invite_by_token(session=session, token=token[:64])
        if invite is None:
            return None
        now = utcnow()
        if invite.revoked_at is not None or aware(invite.expires_at) <= now:
            return Reply(t(lang, "members_invite_expired"))
        invite_id = invite.id
    if actor.at_least(Role.MEMBER):
        return Reply(t(lang, "members_already_member"))
    assert invite_id is not None
    make_member(services, actor.user_id)
    with session_scope(services.engine) as session:
        record_invite_use(session=session, invite_id=invite_id, telegram_id=actor.user_id)
    return Reply(t(lang, "members_welcome_member",
                   cluster=html.escape(services.settings.cluster_name)))


# ------------------------------------------------------------------ join requests
def join_command(services: Services, actor: Actor, args: str) -> Reply:
    """Ask the managers to let me in; they get accept/decline buttons."""
    lang = actor.language
    if actor.at_least(Role.MEMBER):
        return Reply(t(lang, "members_already_member"))
    note = " ".join(args.split())[:MAX_NOTE_CHARS]
    managers = [m for m in manager_ids(services) if m != actor.user_id]
    if not managers:
        return Reply(t(lang, "members_join_no_manager"))
    with session_scope(services.engine) as session:
        if open_join_request(session=session, telegram_id=actor.user_id) is not None:
            return Reply(t(lang, "members_join_pending"))
        request_id = create_join_request(session=session, telegram_id=actor.user_id,
                                         note=note).id
    extra = []
    for manager in managers:
        mlang = _member_language(services, manager)
        who = t(mlang, "members_join_who", name=html.escape(actor.name),
                username=f" (@{html.escape(actor.username)})" if actor.username else "",
                id=actor.user_id)
        text = t(mlang, "members_join_incoming", who=who)
        if note:
            text += "\n" + t(mlang, "members_join_note", note=html.escape(note))
        extra.append(Outgoing(manager, Reply(text, rows([
            Choice(t(mlang, "members_join_accept"), f"join:accept:{request_id}"),
            Choice(t(mlang, "members_join_decline"), f"join:decline:{request_id}")], 2))))
    return Reply(t(lang, "members_join_sent"), extra=tuple(extra))


def _member_language(services: Services, telegram_id: int) -> str:
    with session_scope(services.engine) as session:
        member = get_member(session=session, telegram_id=telegram_id)
        return member.language if member else services.settings.default_language


def join_press(services: Services, actor: Actor, parts: list[str]) -> Reply:
    """join:accept:<id> / join:decline:<id>: a manager decides (once)."""
    lang = actor.language
    if len(parts) != 2 or parts[0] not in ("accept", "decline") or not is_number(parts[1]):
        return refused_press(t(lang, "stale_button"))
    accept = parts[0] == "accept"
    with session_scope(services.engine) as session:
        request = get_join_request(session=session, request_id=int(parts[1]))
        if request is None:
            return refused_press(t(lang, "members_join_gone"))
        if request.status != "open":
            decider = get_member(session=session, telegram_id=request.decided_by or 0)
            key = ("members_join_already_accepted" if request.status == "accepted"
                   else "members_join_already_declined")
            return refused_press(t(lang, key, by=decider.name if decider else "?"))
        request.status = "accepted" if accept else "declined"
        request.decided_at, request.decided_by = utcnow(), actor.user_id
        session.add(request)
        applicant = get_member(session=session, telegram_id=request.telegram_id)
        name = html.escape(applicant.name if applicant else str(request.telegram_id))
        alang = applicant.language if applicant else services.settings.default_language
        applicant_id = request.telegram_id
    if accept:
        make_member(services, applicant_id)
        told = Outgoing(applicant_id, Reply(t(alang, "members_welcome_member",
                                              cluster=html.escape(
                                                  services.settings.cluster_name))))
        return Reply(t(lang, "members_join_you_accepted", name=name), edit=True,
                     notice=t(lang, "members_join_done"), extra=(told,))
    told = Outgoing(applicant_id, Reply(t(alang, "members_join_declined_note")))
    return Reply(t(lang, "members_join_you_declined", name=name), edit=True,
                 notice=t(lang, "members_join_done"), extra=(told,))


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


def group_message(services: Services, *, chat_id: int, user_id: int, name: str,
                  username: str | None, language_code: str | None) -> bool:
    """Someone wrote in a group: in a linked group a visitor becomes a member.

    Users of groups that are not linked are not recorded at all. True when someone joined.
    """
    with session_scope(services.engine) as session:
        if linked_group(session=session, chat_id=chat_id) is None:
            return False
    actor = identify(services, user_id=user_id, chat_id=chat_id, name=name, username=username,
                     language_code=language_code, is_private_chat=False)
    if actor.at_least(Role.MEMBER):
        return False
    return make_member(services, actor.user_id)

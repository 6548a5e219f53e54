"""Invite links: managers create, list and revoke them; `/start <token>` makes a visitor a
member while the link is valid."""

from __future__ import annotations

import html
import re
import secrets
from datetime import datetime

from core.actor import Actor, Role
from core.feature import Action, Actions, integer
from core.i18n import t
from core.locale import format_datetime
from core.members.common import already_member, aware, make_member
from core.parsing import is_number
from core.reply import Reply, refused_press, rows
from core.services import Services
from storage.clock import utcnow
from storage.engine import session_scope
from storage.members.invites import (
    active_invites,
    create_invite,
    get_invite,
    invite_by_token,
    record_invite_use,
    revoke_invite,
)

INVITES_SHOWN = 10
# what a /start argument from an invite link looks like (Telegram allows up to 64 of these
# characters); anything else is no invite and gets the normal welcome
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def _date(services: Services, moment: datetime, lang: str) -> str:
    return format_datetime(aware(moment), lang, services.settings.tz)


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
    text = t(lang, "members_invite_created", link=_link(services, token, lang),
             days=t(lang, "members_invite_days", count=days),
             until=_date(services, expires, lang), id=invite_id)
    return Reply(text, rows([
        ACTIONS.button(t(lang, "members_invite_revoke_button", id=invite_id), "revoke",
                       invite_id),
        ACTIONS.button(t(lang, "members_invite_list_button"), "list")]))


def _invite_list(services: Services, actor: Actor, *, edit: bool) -> Reply:
    lang = actor.language
    with session_scope(services.engine) as session:
        invites = active_invites(session=session)[:INVITES_SHOWN]
    new = ACTIONS.button(t(lang, "members_invite_new_button"), "new")
    if not invites:
        return Reply(t(lang, "members_invite_none"), rows([new]), edit=edit)
    lines = [t(lang, "members_invite_list_title")]
    buttons = []
    for invite, uses in invites:
        lines.append(t(lang, "members_invite_row", id=invite.id, uses=uses,
                       until=_date(services, invite.expires_at, lang),
                       link=_link(services, invite.token, lang)))
        buttons.append(ACTIONS.button(t(lang, "members_invite_revoke_button", id=invite.id),
                                      "revoke", invite.id))
    buttons.append(new)
    return Reply("\n\n".join(lines), rows(buttons), edit=edit)


def _revoke(services: Services, actor: Actor, invite_id: int, *, edit: bool) -> Reply:
    lang = actor.language
    with session_scope(services.engine) as session:
        invite = get_invite(session=session, invite_id=invite_id)
        if invite is None:
            return refused_press(t(lang, "members_invite_unknown", id=invite_id))
        if invite.revoked_at is not None:
            return refused_press(t(lang, "members_invite_already_revoked", id=invite_id))
        revoke_invite(session=session, invite=invite)
    text = t(lang, "members_invite_revoked", id=invite_id)
    return Reply(text, notice=text[:200], edit=edit)


def press_new(services: Services, actor: Actor) -> Reply:
    """A new invite link, as a new message."""
    return _new_invite(services, actor)


def press_list(services: Services, actor: Actor) -> Reply:
    """The valid invites, in place."""
    return _invite_list(services, actor, edit=True)


def press_revoke(services: Services, actor: Actor, invite_id: int) -> Reply:
    """Revoke one invite, in place."""
    return _revoke(services, actor, invite_id, edit=True)


def start_with_token(services: Services, actor: Actor, token: str) -> Reply | None:
    """/start <token> from an invite link: a valid one makes a visitor a member; an unknown,
    expired or revoked one is said to be so, with how to get a new one. None when the
    argument cannot be an invite token at all."""
    lang = actor.language
    token = token.strip()
    if not TOKEN_SHAPE.match(token):
        return None
    if actor.at_least(Role.MEMBER):  # an old link used again: nothing to refuse
        return already_member(actor)
    with session_scope(services.engine) as session:
        invite = invite_by_token(session=session, token=token)
        if invite is None:
            return Reply(t(lang, "members_invite_link_unknown"))
        if invite.revoked_at is not None:
            return Reply(t(lang, "members_invite_link_revoked"))
        if aware(invite.expires_at) <= utcnow():
            return Reply(t(lang, "members_invite_link_expired",
                           when=_date(services, invite.expires_at, lang)))
        invite_id = invite.id
    assert invite_id is not None
    make_member(services, actor.user_id)
    with session_scope(services.engine) as session:
        record_invite_use(session=session, invite_id=invite_id, telegram_id=actor.user_id)
    return Reply(t(lang, "members_welcome_member",
                   cluster=html.escape(services.settings.cluster_name)),
                 menus=(actor.user_id,))


ACTIONS = Actions("invite", Role.MANAGER, (
    Action("new", press_new),
    Action("list", press_list),
    Action("revoke", press_revoke, (integer,)),
))

"""Introductions with consent: a member asks for contact, the other member decides.

"Request contact" opens a short dialog: the requester may type a personal message
(at most 300 characters, shown with their profile) or skip it; nothing is sent before they
confirm or skip, and /cancel or "cancel" ends it.

Nothing that identifies a Telegram account (username, account name, id) leaves the bot
before the other member accepts. After "accept" both get each other's contact; after
"decline" the requester is told politely, without reasons. Imported profiles whose person is
not on Telegram yet go to the managers, who introduce them by other means.
"""

from __future__ import annotations

import html
from datetime import timedelta

from sqlmodel import Session

from core import dialogs
from core.actor import Actor, Role
from core.dialogs import DialogState
from core.feature import Action, Dialog, integer
from core.i18n import LANGUAGES, t
from core.locale import format_datetime
from core.members.common import aware, contact_detail, language_of, manager_ids, profile_card
from core.members.decisions import already_decided, decided, decision_actions, decision_buttons
from core.reply import Outgoing, Reply, refused_press, rows
from core.services import Services
from storage.accounts.queries import get_member
from storage.clock import utcnow
from storage.engine import session_scope
from storage.members.profiles import ACTIVE_ROLES, get_profile, profile_of
from storage.members.requests import (
    ACCEPTED,
    FORWARDED,
    OPEN,
    create_contact_request,
    decide_request,
    get_contact_request,
    latest_request_between,
    oldest_request_since,
    requests_since,
)
from storage.members.tables import Profile

WINDOW = timedelta(days=1)
DIALOG_NAME = "match"  # named after the command it starts from: refusals name /match
WRITE, CONFIRM = "write", "confirm"  # the dialog's steps: type a message, then confirm it
MAX_MESSAGE_CHARS = 300


def _say(text: str) -> Reply:
    """An informative answer to a press: a message to keep, and a short notice."""
    return Reply(text, notice=text[:200])


def _askable(services: Services, session: Session, actor: Actor, profile_id: int
             ) -> Profile | Reply:
    """The profile this member may ask for an introduction now, or why not."""
    lang = actor.language
    limit = services.settings.contact_requests_per_day
    profile = get_profile(session=session, profile_id=profile_id)
    owner = get_member(session=session, telegram_id=profile.member_telegram_id) if (
        profile is not None and profile.member_telegram_id is not None) else None
    active = profile is not None and (
        profile.member_telegram_id is None
        or (owner is not None and owner.role in ACTIVE_ROLES)
        or profile.member_telegram_id in services.settings.manager_ids)
    if profile is None or not profile.visible or not active:
        return refused_press(t(lang, "members_contact_gone"))
    if profile.member_telegram_id == actor.user_id:
        return _say(t(lang, "members_contact_self"))
    if profile.source == "demo":
        return _say(t(lang, "members_contact_demo", name=html.escape(profile.name)))
    if profile_of(session=session, telegram_id=actor.user_id) is None:
        return _say(t(lang, "members_contact_need_profile"))
    previous = latest_request_between(session=session, requester_id=actor.user_id,
                                      profile_id=profile_id)
    if previous is not None and previous.status in (OPEN, FORWARDED):
        return _say(t(lang, "members_contact_pending", name=html.escape(profile.name)))
    if previous is not None and previous.status == ACCEPTED and owner is not None:
        return Reply(t(lang, "members_contact_known",
                       contact=contact_detail(owner, owner.telegram_id, profile, lang)))
    since = utcnow() - WINDOW
    if requests_since(session=session, requester_id=actor.user_id, since=since) >= limit:
        oldest = oldest_request_since(session=session, requester_id=actor.user_id, since=since)
        again = aware(oldest or utcnow()) + WINDOW
        return _say(t(lang, "members_contact_limit", count=limit,
                      when=format_datetime(again, lang, services.settings.tz)))
    return profile


# ------------------------------------------------------------------ the requester's message
def request_contact(services: Services, actor: Actor, profile_id: int) -> Reply:
    """"Request contact" under a /match result: ask for an optional short message first
    (nothing is sent yet; at most N requests a day, counted when one is sent)."""
    with session_scope(services.engine) as session:
        found = _askable(services, session, actor, profile_id)
        if isinstance(found, Reply):
            return found
        name = found.name
    dialogs.begin(services, actor, DIALOG_NAME, WRITE, {"profile_id": profile_id,
                                                        "name": name, "message": ""})
    return _ask_message(actor, profile_id, name)


def _ask_message(actor: Actor, profile_id: int, name: str, problem: str = "") -> Reply:
    lang = actor.language
    text = t(lang, "members_contact_ask_message", name=html.escape(name),
             limit=MAX_MESSAGE_CHARS)
    return Reply("\n\n".join(p for p in (problem, text) if p), rows([
        ACTIONS.button(t(lang, "members_contact_skip_button"), "skip", profile_id),
        ACTIONS.button(t(lang, "members_contact_stop_button"), "stop")]))


def contact_dialog(services: Services, actor: Actor, state: DialogState, text: str) -> Reply:
    """Take the typed message (a new one replaces the last) and show the request to
    confirm; a message that is too long is explained and asked for again."""
    lang, data = actor.language, state.data
    profile_id, name = int(data.get("profile_id", 0)), str(data.get("name", ""))
    message = " ".join(text.split())
    if len(message) > MAX_MESSAGE_CHARS:  # back to writing: an older preview is void
        dialogs.advance(services, actor, DIALOG_NAME, WRITE, {**data, "message": ""})
        return _ask_message(actor, profile_id, name, t(
            lang, "members_contact_message_too_long", length=len(message),
            limit=MAX_MESSAGE_CHARS))
    if not message:
        return _ask_message(actor, profile_id, name)
    data["message"] = message
    dialogs.advance(services, actor, DIALOG_NAME, CONFIRM, data)
    return Reply(t(lang, "members_contact_preview", name=html.escape(name),
                   message=html.escape(message)), rows([
        ACTIONS.button(t(lang, "members_contact_send_button"), "send", profile_id),
        ACTIONS.button(t(lang, "members_contact_stop_button"), "stop")]))


def _open_request(services: Services, actor: Actor, profile_id: int, *steps: str
                  ) -> DialogState | None:
    """The open contact dialog for this profile at one of `steps`, else None (stale)."""
    state = dialogs.current(services, actor)
    if (state is None or state.feature != DIALOG_NAME or state.step not in steps
            or state.data.get("profile_id") != profile_id):
        return None
    return state


def press_send(services: Services, actor: Actor, profile_id: int) -> Reply:
    """Send the request with the message just confirmed."""
    state = _open_request(services, actor, profile_id, CONFIRM)
    if state is None:
        return refused_press(t(actor.language, "members_contact_no_dialog"))
    dialogs.finish(services, actor)
    return _send(services, actor, profile_id, str(state.data.get("message", "")))


def press_skip(services: Services, actor: Actor, profile_id: int) -> Reply:
    """Send the request without a message."""
    if _open_request(services, actor, profile_id, WRITE, CONFIRM) is None:
        return refused_press(t(actor.language, "members_contact_no_dialog"))
    dialogs.finish(services, actor)
    return _send(services, actor, profile_id, "")


def press_stop(services: Services, actor: Actor) -> Reply:
    """Give the request up; nothing was sent."""
    state = dialogs.current(services, actor)
    if state is None or state.feature != DIALOG_NAME:
        return refused_press(t(actor.language, "members_contact_no_dialog"))
    dialogs.finish(services, actor)
    return Reply(t(actor.language, "members_contact_stopped"), edit=True)


def _message_block(lang: str, message: str) -> str:
    return "\n\n" + t(lang, "members_contact_message", message=html.escape(message)) \
        if message else ""


def _send(services: Services, actor: Actor, profile_id: int, message: str) -> Reply:
    """Record the request (if it may still be made) and tell whoever decides on it."""
    lang = actor.language
    with session_scope(services.engine) as session:
        profile = _askable(services, session, actor, profile_id)
        if isinstance(profile, Reply):
            return profile
        mine = profile_of(session=session, telegram_id=actor.user_id)
        assert mine is not None  # _askable made sure
        target = profile.member_telegram_id
        request = create_contact_request(
            session=session, requester_id=actor.user_id, profile_id=profile_id,
            target_telegram_id=target, status=OPEN if target is not None else FORWARDED)
        assert request.id is not None
        request_id, target_name = request.id, profile.name
        me = get_member(session=session, telegram_id=actor.user_id)
        cards = {lg: profile_card(mine, lg) for lg in LANGUAGES}
        requester_contact = {lg: contact_detail(me, actor.user_id, mine, lg)
                             for lg in LANGUAGES}
        target_card = {lg: profile_card(profile, lg) for lg in LANGUAGES}
    notice = t(lang, "members_contact_sent_notice")
    if target is None:  # not on Telegram yet: the managers introduce them
        extra = []
        for manager in manager_ids(services):
            if manager == actor.user_id:
                continue
            mlang = language_of(services, manager)
            extra.append(Outgoing(manager, Reply(t(
                mlang, "members_contact_forwarded_manager", requester=cards[mlang],
                contact=requester_contact[mlang] + _message_block(mlang, message),
                target=target_card[mlang]))))
        key = "members_contact_forwarded" if extra else "members_contact_no_manager"
        return Reply(t(lang, key, name=html.escape(target_name)), edit=True, notice=notice,
                     extra=tuple(extra))
    tlang = language_of(services, target)
    ask = Reply(t(tlang, "members_contact_incoming",
                  profile=cards[tlang] + _message_block(tlang, message)), rows(list(
        decision_buttons(ACTIONS, request_id, t(tlang, "members_contact_accept"),
                         t(tlang, "members_contact_decline")))))
    return Reply(t(lang, "members_contact_sent", name=html.escape(target_name)), edit=True,
                 notice=notice, extra=(Outgoing(target, ask),))


# ------------------------------------------------------------------ the decision
def decide(services: Services, actor: Actor, request_id: int, accept: bool) -> Reply:
    """Accept or decline an introduction, only by the person who was asked, once."""
    lang = actor.language
    with session_scope(services.engine) as session:
        request = get_contact_request(session=session, request_id=request_id)
        if request is None or request.target_telegram_id != actor.user_id:
            return refused_press(t(lang, "members_contact_not_yours"))
        refusal = already_decided(lang, request.status, "members_contact")
        if refusal is not None:
            return refusal
        decide_request(session=session, request=request, accepted=accept)
        requester_id = request.requester_id
        requester = get_member(session=session, telegram_id=requester_id)
        requester_profile = profile_of(session=session, telegram_id=requester_id)
        target_profile = get_profile(session=session, profile_id=request.profile_id or 0)
        me = get_member(session=session, telegram_id=actor.user_id)
        rlang = requester.language if requester else services.settings.default_language
        target_name = html.escape(target_profile.name if target_profile else actor.name)
        their_contact = contact_detail(requester, requester_id, requester_profile, lang)
        my_contact = contact_detail(me, actor.user_id, target_profile, rlang)
    if not accept:
        return decided(t(lang, "members_contact_you_declined"),
                       t(lang, "members_contact_you_declined"), requester_id,
                       t(rlang, "members_contact_declined_note", name=target_name))
    return decided(t(lang, "members_contact_you_accepted", contact=their_contact),
                   t(lang, "members_contact_accepted_notice"), requester_id,
                   t(rlang, "members_contact_accepted_note", name=target_name,
                     contact=my_contact))


ACTIONS = decision_actions("contact", Role.MEMBER, decide, (
    Action("send", press_send, (integer,)),
    Action("skip", press_skip, (integer,)),
    Action("stop", press_stop),
))
DIALOG = Dialog(DIALOG_NAME, contact_dialog, role=Role.MEMBER)

"""Introductions with consent: a member asks for contact, the other member decides.

Nothing that identifies a Telegram account (username, account name, id) leaves the bot
before the other member accepts. After "accept" both get each other's contact; after
"decline" the requester is told politely, without reasons. Imported profiles whose person is
not on Telegram yet go to the managers, who introduce them by other means.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

from core.actor import Actor
from core.i18n import t
from core.members.common import contact_detail, manager_ids, profile_card
from core.parsing import is_number
from core.reply import Choice, Outgoing, Reply, refused_press, rows
from core.services import Services
from storage.community_profiles import ACTIVE_ROLES, get_profile, profile_of
from storage.community_requests import (
    create_contact_request,
    get_contact_request,
    latest_request_between,
    oldest_request_since,
    requests_since,
)
from storage.engine import session_scope
from storage.members import get_member
from storage.models import utcnow

WINDOW = timedelta(days=1)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _say(text: str) -> Reply:
    """An informative answer to a press: a message to keep, and a short notice."""
    return Reply(text, notice=text[:200])


def _language_of(services: Services, telegram_id: int) -> str:
    with session_scope(services.engine) as session:
        member = get_member(session=session, telegram_id=telegram_id)
        return member.language if member else services.settings.default_language


def request_contact(services: Services, actor: Actor, profile_id: int) -> Reply:
    """Ask the owner of a profile for an introduction (at most N requests a day)."""
    lang = actor.language
    limit = services.settings.contact_requests_per_day
    with session_scope(services.engine) as session:
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
        mine = profile_of(session=session, telegram_id=actor.user_id)
        if mine is None:
            return _say(t(lang, "members_contact_need_profile"))
        previous = latest_request_between(session=session, requester_id=actor.user_id,
                                          profile_id=profile_id)
        if previous is not None and previous.status in ("open", "forwarded"):
            return _say(t(lang, "members_contact_pending", name=html.escape(profile.name)))
        if previous is not None and previous.status == "accepted" and owner is not None:
            return Reply(t(lang, "members_contact_known",
                           contact=contact_detail(owner, owner.telegram_id, profile, lang)))
        since = utcnow() - WINDOW
        if requests_since(session=session, requester_id=actor.user_id, since=since) >= limit:
            oldest = oldest_request_since(session=session, requester_id=actor.user_id,
                                          since=since)
            again = aware(oldest or utcnow()) + WINDOW
            when = again.astimezone(services.settings.tz).strftime("%d.%m.%Y %H:%M")
            return _say(t(lang, "members_contact_limit", limit=limit, when=when))
        target = profile.member_telegram_id
        request = create_contact_request(
            session=session, requester_id=actor.user_id, profile_id=profile_id,
            target_telegram_id=target, status="open" if target is not None else "forwarded")
        request_id, mine_card_de, mine_card_en = request.id, profile_card(mine, "de"), \
            profile_card(mine, "en")
        target_name = profile.name
        requester_contact = {lg: contact_detail(get_member(session=session,
                                                           telegram_id=actor.user_id),
                                                actor.user_id, mine, lg) for lg in ("de", "en")}
        target_card = {lg: profile_card(profile, lg) for lg in ("de", "en")}
    cards = {"de": mine_card_de, "en": mine_card_en}
    if target is None:  # not on Telegram yet: the managers introduce them
        extra = []
        for manager in manager_ids(services):
            if manager == actor.user_id:
                continue
            mlang = _language_of(services, manager)
            extra.append(Outgoing(manager, Reply(t(
                mlang, "members_contact_forwarded_manager", requester=cards[mlang],
                contact=requester_contact[mlang], target=target_card[mlang]))))
        key = "members_contact_forwarded" if extra else "members_contact_no_manager"
        return Reply(t(lang, key, name=html.escape(target_name)),
                     notice=t(lang, "members_contact_sent_notice"), extra=tuple(extra))
    tlang = _language_of(services, target)
    ask = Reply(t(tlang, "members_contact_incoming", profile=cards[tlang]), rows([
        Choice(t(tlang, "members_contact_accept"), f"contact:accept:{request_id}"),
        Choice(t(tlang, "members_contact_decline"), f"contact:decline:{request_id}")]))
    return Reply(t(lang, "members_contact_sent", name=html.escape(target_name)),
                 notice=t(lang, "members_contact_sent_notice"), extra=(Outgoing(target, ask),))


def press(services: Services, actor: Actor, parts: list[str]) -> Reply:
    """contact:accept:<id> / contact:decline:<id>, only by the person who was asked."""
    lang = actor.language
    if len(parts) != 2 or parts[0] not in ("accept", "decline") or not is_number(parts[1]):
        return refused_press(t(lang, "stale_button"))
    accept = parts[0] == "accept"
    with session_scope(services.engine) as session:
        request = get_contact_request(session=session, request_id=int(parts[1]))
        if request is None or request.target_telegram_id != actor.user_id:
            return refused_press(t(lang, "members_contact_not_yours"))
        if request.status != "open":
            key = ("members_contact_already_accepted" if request.status == "accepted"
                   else "members_contact_already_declined")
            return refused_press(t(lang, key))
        request.status, request.decided_at = ("accepted" if accept else "declined"), utcnow()
        session.add(request)
        requester = get_member(session=session, telegram_id=request.requester_id)
        requester_profile = profile_of(session=session, telegram_id=request.requester_id)
        target_profile = get_profile(session=session, profile_id=request.profile_id or 0)
        me = get_member(session=session, telegram_id=actor.user_id)
        rlang = requester.language if requester else services.settings.default_language
        target_name = html.escape(target_profile.name if target_profile else actor.name)
        if accept:
            their_contact = contact_detail(requester, request.requester_id, requester_profile,
                                           lang)
            my_contact = contact_detail(me, actor.user_id, target_profile, rlang)
    if not accept:
        notice = Outgoing(request.requester_id, Reply(t(rlang, "members_contact_declined_note",
                                                        name=target_name)))
        return Reply(t(lang, "members_contact_you_declined"), edit=True,
                     notice=t(lang, "members_contact_you_declined"), extra=(notice,))
    told = Outgoing(request.requester_id, Reply(t(rlang, "members_contact_accepted_note",
                                                  name=target_name, contact=my_contact)))
    return Reply(t(lang, "members_contact_you_accepted", contact=their_contact), edit=True,
                 notice=t(lang, "members_contact_accepted_notice"), extra=(told,))

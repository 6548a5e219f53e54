"""Roles: managers promote (visitor → member → manager) and demote (one step down), and
list who is who. MANAGER_IDS managers cannot be demoted, and the last manager cannot step
down."""

from __future__ import annotations

import html
import re

from sqlmodel import Session

from core.actor import Actor
from core.i18n import count_of, t
from core.identity import CONSOLE_USER_ID
from core.members.common import reindex
from core.reply import Outgoing, Reply
from core.services import Services
from storage.accounts.queries import all_manager_ids
from storage.accounts.tables import Member
from storage.engine import session_scope
from storage.members.profiles import profile_of
from storage.members.requests import count_open_join_requests
from storage.members.roles import (
    member_by_username,
    member_or_placeholder,
    members_with_roles,
    role_counts,
    set_role,
)

LADDER = ("visitor", "member", "manager")
TARGET = re.compile(r"^(?:@(?P<username>[A-Za-z0-9_]{3,32})|(?P<id>\d{1,15}))$")
MEMBERS_SHOWN = 40


def _find(session: Session, arg: str) -> tuple[Member | None, str]:
    """The member an argument names: @username or a Telegram id (a new id is recorded)."""
    match = TARGET.match(arg)
    if match is None:
        return None, "usage"
    if match.group("username"):
        member = member_by_username(session=session, username=match.group("username"))
        return member, "unknown_username" if member is None else ""
    # not seen yet: recorded, so the role waits for their first message
    return member_or_placeholder(session=session, telegram_id=int(match.group("id"))), ""


def promote(services: Services, actor: Actor, args: str) -> Reply:
    """/promote @username|id: visitor → member, member → manager."""
    return _change(services, actor, args, +1)


def demote(services: Services, actor: Actor, args: str) -> Reply:
    """/demote @username|id: manager → member, member → visitor."""
    return _change(services, actor, args, -1)


def _change(services: Services, actor: Actor, args: str, step: int) -> Reply:
    lang = actor.language
    command = "promote" if step > 0 else "demote"
    arg = args.strip().split()[0] if args.strip() else ""
    configured = services.settings.manager_ids
    with session_scope(services.engine) as session:
        member, problem = _find(session, arg) if arg else (None, "usage")
        if member is None:
            key = f"members_role_{problem}"
            return Reply(t(lang, key, command=command, username=html.escape(arg)))
        name = html.escape(member.name or str(member.telegram_id))
        role = "manager" if member.telegram_id in configured else (
            member.role if member.role in LADDER else "visitor")
        if step < 0 and member.telegram_id in configured:
            return Reply(t(lang, "members_role_configured", name=name))
        position = LADDER.index(role) + step
        if position < 0 or position >= len(LADDER):
            key = "members_role_top" if step > 0 else "members_role_bottom"
            return Reply(t(lang, key, name=name, role=t(lang, f"role_{role}")))
        new_role = LADDER[position]
        if role == "manager" and new_role != "manager":
            others = set(all_manager_ids(session=session, configured=configured)) - {
                member.telegram_id}
            if not others:
                return Reply(t(lang, "members_role_last_manager", name=name))
        set_role(session=session, member=member, role=new_role)
        profile = profile_of(session=session, telegram_id=member.telegram_id)
        profile_id = profile.id if profile else None
        target, target_lang = member.telegram_id, member.language
        has_written = bool(member.name)  # rows made by "/promote <id>" have no name yet
    if profile_id is not None:
        reindex(services, [profile_id])
    extra: tuple[Outgoing, ...] = ()
    if target != actor.user_id and target > 0 and has_written:
        extra = (Outgoing(target, Reply(t(target_lang, "members_role_told",
                                          role=t(target_lang, f"role_{new_role}")))),)
    # their command menu follows the new role (someone who never wrote has no chat yet)
    menus = (target,) if target > 0 and (has_written or target == actor.user_id) else ()
    return Reply(t(lang, "members_role_changed", name=name, role=t(lang, f"role_{new_role}")),
                 extra=extra, menus=menus)


def people_counts(services: Services, session: Session, lang: str) -> str:
    """"3 Mitglieder, 1 Manager, 0 Gäste": members, managers, visitors — a MANAGER_IDS
    manager counts once, as a manager, whatever role their own row holds; whoever runs the
    console chat is no person of the cluster."""
    configured = services.settings.manager_ids
    roles = role_counts(session=session, excluding=configured | {CONSOLE_USER_ID})
    return ", ".join((
        count_of(lang, "members_count_members", roles.get("member", 0)),
        count_of(lang, "members_count_managers", roles.get("manager", 0) + len(configured)),
        count_of(lang, "members_count_visitors", roles.get("visitor", 0))))


def members_command(services: Services, actor: Actor, args: str) -> Reply:
    """List managers and members with how to address them in /promote and /demote."""
    lang = actor.language
    configured = services.settings.manager_ids
    with session_scope(services.engine) as session:
        counts = people_counts(services, session, lang)
        people = members_with_roles(session=session, roles=("manager", "member"),
                                    limit=MEMBERS_SHOWN, also=configured)
        waiting = count_open_join_requests(session=session)
    lines = [t(lang, "members_list_title", people=counts)]
    for member in sorted(people, key=lambda m: (m.role != "manager", m.name.lower())):
        address = f"@{member.username}" if member.username else str(member.telegram_id)
        role = "manager" if member.telegram_id in configured else member.role
        lines.append(t(lang, "members_list_row", name=html.escape(member.name or "?"),
                       address=html.escape(address), role=t(lang, f"role_{role}")))
    if waiting:
        lines.append(t(lang, "members_list_waiting", count=waiting))
    lines.append(t(lang, "members_list_hint"))
    return Reply("\n".join(lines))

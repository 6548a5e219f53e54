"""Privacy (members are in the EU): what is stored and why, a copy of one's data, and
forgetting a person completely in one unit of work.

The commands live here, but every feature answers for its own data through its `Privacy`
hook, collected by the registry (`export_person`, `forget_person`); the kernel's rows (the
member row, an open dialog) come last. This module's own hook covers the members feature's
data: profile, requests, invites, searches, figures and groups.
"""

from __future__ import annotations

import html
import json
import time
from typing import Any

from sqlmodel import Session

from core.actor import Actor, Role
from core.feature import Action, Actions, Argument, Privacy
from core.i18n import t
from core.members.common import manager_ids, reindex
from core.parsing import is_number
from core.reply import Attachment, Reply, refused_press, rows
from core.services import Services
from storage.accounts.queries import account_data, forget_account
from storage.clock import utcnow
from storage.engine import session_scope
from storage.members.privacy import forget_member, member_data
from storage.members.profiles import profile_of

CONFIRM_VALID_SECONDS = 3600


def _digits(max_digits: int) -> Argument:
    """A whole number of up to `max_digits` ASCII digits (Telegram ids, Unix times)."""

    def read(raw: str) -> int:
        if not is_number(raw, max_digits):
            raise ValueError(f"not a number of up to {max_digits} digits: {raw!r}")
        return int(raw)

    return read


TELEGRAM_ID, MOMENT = _digits(15), _digits(12)


def privacy_command(services: Services, actor: Actor, args: str) -> Reply:
    """Say what is stored, why, for how long, and how to get or delete it."""
    return Reply(t(actor.language, "members_privacy",
                   cluster=html.escape(services.settings.cluster_name)))


def collect(services: Services, telegram_id: int) -> dict[str, Any]:
    """Everything every feature stores about one person, by feature name."""
    with session_scope(services.engine) as session:
        data: dict[str, Any] = {"exported_at": utcnow().isoformat(), "telegram_id": telegram_id}
        data.update(account_data(session=session, telegram_id=telegram_id))
        data.update(services.registry.export_person(session, telegram_id))
    return data


def export_command(services: Services, actor: Actor, args: str) -> Reply:
    """Send my data as a JSON file."""
    data = collect(services, actor.user_id)
    content = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
    return Reply(t(actor.language, "members_export_done"),
                 attachments=(Attachment(t(actor.language, "members_export_file",
                                           id=actor.user_id), content),))


def forget_command(services: Services, actor: Actor, args: str) -> Reply:
    """Ask for confirmation before deleting everything about me."""
    lang = actor.language
    return Reply(t(lang, "members_forget_confirm"), rows([
        ACTIONS.button(t(lang, "members_forget_yes"), "confirm", actor.user_id,
                       int(time.time())),
        ACTIONS.button(t(lang, "members_forget_no"), "keep")]))


def _successor(services: Services, telegram_id: int) -> int | None:
    """The manager who takes over what must live on (action items)."""
    candidates = [m for m in manager_ids(services) if m != telegram_id]
    configured = sorted(m for m in services.settings.manager_ids if m != telegram_id)
    chosen = configured or candidates
    return chosen[0] if chosen else None


def forget(services: Services, telegram_id: int) -> None:
    """Delete everything about one person, every feature, in one unit of work."""
    successor = _successor(services, telegram_id)
    with session_scope(services.engine) as session:
        own = profile_of(session=session, telegram_id=telegram_id)
        profile_id = own.id if own else None
        services.registry.forget_person(session, telegram_id, successor)
        forget_account(session=session, telegram_id=telegram_id)
    if profile_id is not None:
        reindex(services, [profile_id], removed=True)


def press_confirm(services: Services, actor: Actor, telegram_id: int, asked_at: int) -> Reply:
    """"Yes, delete everything": only my own, recent confirmation deletes."""
    lang = actor.language
    if telegram_id != actor.user_id or time.time() - asked_at >= CONFIRM_VALID_SECONDS:
        return refused_press(t(lang, "members_forget_stale"))
    forget(services, actor.user_id)
    done = t(lang, "members_forget_done")
    # a member's own command menu goes: the visitors' menu is everyone's default
    return Reply(done, edit=True, notice=done[:200], menus=(actor.user_id,))


def press_keep(services: Services, actor: Actor) -> Reply:
    """"No, keep it": nothing changes."""
    return Reply(t(actor.language, "members_forget_kept"), edit=True)


ACTIONS = Actions("forget", Role.VISITOR, (
    Action("confirm", press_confirm, (TELEGRAM_ID, MOMENT)),
    Action("keep", press_keep),
))


def _export(session: Session, telegram_id: int) -> dict[str, Any]:
    return member_data(session=session, telegram_id=telegram_id)


def _forget(session: Session, telegram_id: int, successor_id: int | None) -> None:
    forget_member(session=session, telegram_id=telegram_id)  # nothing of ours lives on


PRIVACY = Privacy(export=_export, forget=_forget)

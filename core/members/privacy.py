"""Privacy (members are in the EU): what is stored and why, a copy of one's data, and
forgetting a person completely in one unit of work.

Every feature's storage module offers `member_data(*, session, telegram_id) -> dict` and
`forget_member(*, session, telegram_id, successor_telegram_id)`; this module collects them.
"""

from __future__ import annotations

import html
import json
import time
from types import ModuleType
from typing import Any

from core.actor import Actor
from core.i18n import t
from core.members.common import manager_ids, reindex
from core.parsing import is_number
from core.reply import Attachment, Choice, Reply, refused_press, rows
from core.services import Services
from storage import community
from storage.community_profiles import profile_of
from storage.engine import session_scope
from storage.models import utcnow

CONFIRM_VALID_SECONDS = 3600


def _other_features() -> list[tuple[str, ModuleType]]:
    """The storage modules of the action plan and the pitfalls: each provides
    `member_data` and `forget_member` (the privacy contract)."""
    from storage import pitfall_data, plan_privacy

    return [("action_plan", plan_privacy), ("pitfalls", pitfall_data)]


def privacy_command(services: Services, actor: Actor, args: str) -> Reply:
    """Say what is stored, why, for how long, and how to get or delete it."""
    return Reply(t(actor.language, "members_privacy",
                   cluster=html.escape(services.settings.cluster_name)))


def collect(services: Services, telegram_id: int) -> dict[str, Any]:
    """Everything every feature stores about one person."""
    with session_scope(services.engine) as session:
        data: dict[str, Any] = {"exported_at": utcnow().isoformat(), "telegram_id": telegram_id}
        data.update(community.account_data(session=session, telegram_id=telegram_id))
        data["matchmaking"] = community.member_data(session=session, telegram_id=telegram_id)
        for name, module in _other_features():
            data[name] = module.member_data(session=session, telegram_id=telegram_id)
    return data


def export_command(services: Services, actor: Actor, args: str) -> Reply:
    """Send my data as a JSON file."""
    data = collect(services, actor.user_id)
    content = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
    return Reply(t(actor.language, "members_export_done"),
                 attachments=(Attachment(f"my_data_{actor.user_id}.json", content),))


def forget_command(services: Services, actor: Actor, args: str) -> Reply:
    """Ask for confirmation before deleting everything about me."""
    lang = actor.language
    stamp = int(time.time())
    return Reply(t(lang, "members_forget_confirm"), rows([
        Choice(t(lang, "members_forget_yes"), f"forget:yes:{actor.user_id}:{stamp}"),
        Choice(t(lang, "members_forget_no"), "forget:no")]))


def _successor(services: Services, telegram_id: int) -> int | None:
    """The manager who takes over what must live on (action items)."""
    candidates = [m for m in manager_ids(services) if m != telegram_id]
    configured = sorted(m for m in services.settings.manager_ids if m != telegram_id)
    chosen = configured or candidates
    return chosen[0] if chosen else None


def forget(services: Services, telegram_id: int) -> None:
    """Delete everything about one person, all features, in one unit of work."""
    successor = _successor(services, telegram_id)
    with session_scope(services.engine) as session:
        own = profile_of(session=session, telegram_id=telegram_id)
        profile_id = own.id if own else None
        for _, module in _other_features():
            module.forget_member(session=session, telegram_id=telegram_id,
                                 successor_telegram_id=successor)
        community.forget_member(session=session, telegram_id=telegram_id,
                                successor_telegram_id=successor)
        community.forget_account(session=session, telegram_id=telegram_id)
    if profile_id is not None:
        reindex(services, [profile_id], removed=True)


def press(services: Services, actor: Actor, parts: list[str]) -> Reply:
    """forget:yes:<my id>:<when asked> deletes; forget:no keeps everything."""
    lang = actor.language
    if parts[0] == "no":
        return Reply(t(lang, "members_forget_kept"), edit=True)
    fresh = (len(parts) == 3 and parts[0] == "yes" and parts[1] == str(actor.user_id)
             and is_number(parts[2], 12) and time.time() - int(parts[2]) < CONFIRM_VALID_SECONDS)
    if not fresh:
        return refused_press(t(lang, "members_forget_stale"))
    forget(services, actor.user_id)
    done = t(lang, "members_forget_done")
    return Reply(done, edit=True, notice=done[:200])

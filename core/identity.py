"""Turn "a user wrote something" into an Actor: member row, language and effective role."""

from __future__ import annotations

from core.actor import Actor, Role
from core.services import Services
from storage.community_profiles import claim_imported_profile
from storage.engine import session_scope
from storage.members import touch_member

CONSOLE_USER_ID = 0  # the local console user; never a real Telegram id


def language_from_code(language_code: str | None, default: str) -> str:
    """Telegram's language_code ("de-AT", "en", "fr") to one of our two languages."""
    code = (language_code or "").lower()
    if code.startswith("de"):
        return "de"
    if code.startswith("en"):
        return "en"
    return default


def identify(
    services: Services, *, user_id: int, chat_id: int, name: str, username: str | None,
    language_code: str | None, is_private_chat: bool = True, role_override: Role | None = None,
) -> Actor:
    """Record the user on first contact and return who they are and what they may do."""
    language = language_from_code(language_code, services.settings.default_language)
    with session_scope(services.engine) as session:
        member = touch_member(session=session, telegram_id=user_id, name=name,
                              username=username, language=language)
        claim_imported_profile(session=session, member=member)  # members issue #4
        stored_role, language = member.role, member.language
    if role_override is not None:
        role = role_override
    elif user_id in services.settings.manager_ids:
        role = Role.MANAGER
    else:
        role = Role(stored_role) if stored_role in Role._value2member_map_ else Role.VISITOR
    return Actor(user_id=user_id, chat_id=chat_id, name=name, username=username,
                 language=language, role=role, is_private_chat=is_private_chat)

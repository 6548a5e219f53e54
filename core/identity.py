"""Turn "a user wrote something" into an Actor: member row, language and effective role."""

from __future__ import annotations

from core.actor import Actor, Role
from core.services import Services
from storage.accounts.queries import get_member, is_current, read_member, touch_member
from storage.engine import session_scope

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
    """Record the user on first contact and return who they are and what they may do.

    Every update asks this, and almost always about a known member whose row needs no
    change: that is one plain read (`read_member`), and the features' `identified` hooks get
    a session that connects only if they use it. First contact and changed names take the
    ORM's unit of work (`touch_member`)."""
    language = language_from_code(language_code, services.settings.default_language)
    with services.engine.connect() as connection:
        known = read_member(connection=connection, telegram_id=user_id)
    with session_scope(services.engine) as session:
        if known is not None and is_current(known, name=name, username=username):
            member = known
        else:
            member = touch_member(session=session, telegram_id=user_id, name=name,
                                  username=username, language=language)
        services.registry.identified(session, member)
        stored_role, language = member.role, member.language
    role = role_override or effective_role(services, user_id, stored_role)
    return Actor(user_id=user_id, chat_id=chat_id, name=name, username=username,
                 language=language, role=role, is_private_chat=is_private_chat)


def effective_role(services: Services, user_id: int, stored_role: str | None) -> Role:
    """MANAGER_IDS win; otherwise the stored role (an unknown value counts as visitor)."""
    if user_id in services.settings.manager_ids:
        return Role.MANAGER
    try:
        return Role(stored_role) if stored_role else Role.VISITOR
    except ValueError:  # a role this version does not know
        return Role.VISITOR


def role_and_language(services: Services, user_id: int) -> tuple[Role, str] | None:
    """What someone may do now and the language they chose (None: never wrote to us)."""
    with session_scope(services.engine) as session:
        member = get_member(session=session, telegram_id=user_id)
        if member is None:
            return None
        return effective_role(services, user_id, member.role), member.language


def unrecorded_actor(services: Services, *, user_id: int, chat_id: int, name: str,
                     username: str | None, language_code: str | None,
                     is_private_chat: bool = True) -> Actor:
    """Who wrote, from the message alone, while the database can't be reached: MANAGER_IDS
    keep their role, everyone else counts as a visitor until the database is back."""
    language = language_from_code(language_code, services.settings.default_language)
    return Actor(user_id=user_id, chat_id=chat_id, name=name, username=username,
                 language=language, role=effective_role(services, user_id, None),
                 is_private_chat=is_private_chat)

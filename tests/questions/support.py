"""Helpers for the teaching tests (#12): people with a stored role, a question the shipped
content cannot answer, and walking the new-entry dialog."""

from __future__ import annotations

from core.actor import Actor, Role
from core.i18n import t
from core.identity import identify
from core.reply import Reply
from core.router import handle_text, press_button
from core.services import Services
from storage.accounts.queries import get_member
from storage.engine import session_scope

MANAGER = 42  # MANAGER_IDS in the `services` fixture
# questions the talk cannot answer, and other words for the same
OFFICE_HOURS = "Wann öffnet die Geschäftsstelle im Technologiezentrum?"
OFFICE_HOURS_AGAIN = "Wann hat die Geschäftsstelle im Technologiezentrum geöffnet?"
OFFICE_ANSWER = "Die Geschäftsstelle ist montags bis freitags von 9 bis 16 Uhr geöffnet."
PARKING = "Wo parke ich beim Technologiezentrum?"


def person(services: Services, user_id: int, role: Role = Role.MEMBER,
           language: str = "de") -> Actor:
    """Someone who wrote to the bot, stored with `role`."""
    identify(services, user_id=user_id, chat_id=user_id, name=f"User {user_id}",
             username=f"user{user_id}", language_code=language)
    with session_scope(services.engine) as session:
        member = get_member(session=session, telegram_id=user_id)
        assert member is not None
        member.role = role.value
        session.add(member)
    return identify(services, user_id=user_id, chat_id=user_id, name=f"User {user_id}",
                    username=f"user{user_id}", language_code=language)


def is_not_sure(reply: Reply, question: str, lang: str = "de") -> bool:
    return reply.text.startswith(t(lang, "not_sure", question=question))


def data_with(reply: Reply, part: str) -> str:
    """The data of the first button whose data contains `part`."""
    found = [c.data for c in reply.flat_choices if part in c.data]
    assert found, f"no button with {part!r} in {[c.data for c in reply.flat_choices]}"
    return found[0]


def write_entry(services: Services, manager: Actor, start: str, title: str, answer: str,
                *, chapter: str = "cluster") -> Reply:
    """Press `start` (a "write a new answer" button), then type title and answer, skip the
    other language and choose the chapter; returns the last reply."""
    press_button(services, manager, start)
    handle_text(services, manager, title)
    handle_text(services, manager, answer)
    press_button(services, manager, "teach:skip")
    return press_button(services, manager, f"teach:chapter:{chapter}")

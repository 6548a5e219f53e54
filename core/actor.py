"""Who is talking to the bot, in transport-neutral terms."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a user may do: visitors ask, members see member data, managers run the cluster."""

    VISITOR = "visitor"
    MEMBER = "member"
    MANAGER = "manager"


RANK = {Role.VISITOR: 0, Role.MEMBER: 1, Role.MANAGER: 2}


@dataclass(frozen=True)
class Actor:
    """The user behind one update: id, display data, language, and effective role."""

    user_id: int
    chat_id: int
    name: str
    username: str | None
    language: str
    role: Role
    is_private_chat: bool = True

    def at_least(self, role: Role) -> bool:
        return RANK[self.role] >= RANK[role]

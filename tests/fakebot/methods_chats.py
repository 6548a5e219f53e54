"""Bot API methods that describe chats and their members: ``getChat``, ``getChatMember`` and
``getChatMemberCount`` (``getChatAdministrators`` is answered with an empty list in the
handler table).
"""

from __future__ import annotations

from tests.fakebot.models import JSONDict, Request
from tests.fakebot.state import BotApiState


class ChatMethods(BotApiState):
    """Chat and member look-ups, answered from what the fake has learned about chats and users."""

    def _get_chat(self, request: Request) -> JSONDict:
        chat = self._chat_for(request.params.get("chat_id"))
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _get_chat_member(self, request: Request) -> JSONDict:
        user_id = request.params.get("user_id")
        if user_id == self.bot_id:
            user = self._bot_user()
        else:
            user = self._users.get(user_id) or {  # type: ignore[arg-type]
                "id": user_id,
                "is_bot": False,
                "first_name": "Test",
            }
        return {"status": "member", "user": user}

    def _get_chat_member_count(self, request: Request) -> int:
        chat = self._chat_for(request.params.get("chat_id"))
        return 2 if chat["type"] == "private" else 10

"""Bot API methods about the bot itself: ``getMe``, the command lists, the chat menu button and
the bot's name / description / short description (per language).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from tests.fakebot.models import ApiError, JSONDict, Request
from tests.fakebot.state import BotApiState


class BotMethods(BotApiState):
    """``getMe``, ``set/get/deleteMyCommands``, ``set/getChatMenuButton``, ``set/getMy*``."""

    def _get_me(self, request: Request) -> JSONDict:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    @staticmethod
    def _language_key(params: JSONDict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    def _set_my_commands(self, request: Request) -> bool:
        commands = request.params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        self._commands[self._language_key(request.params)] = commands
        return True

    def _delete_my_commands(self, request: Request) -> bool:
        self._commands.pop(self._language_key(request.params), None)
        return True

    def _get_my_commands(self, request: Request) -> list[JSONDict]:
        return list(self._commands.get(self._language_key(request.params), []))

    def _set_chat_menu_button(self, request: Request) -> bool:
        chat_id = request.params.get("chat_id")
        button = request.params.get("menu_button") or {"type": "default"}
        self._menu_buttons[chat_id if isinstance(chat_id, int) else None] = button
        return True

    def _get_chat_menu_button(self, request: Request) -> JSONDict:
        chat_id = request.params.get("chat_id")
        key = chat_id if isinstance(chat_id, int) else None
        return self._menu_buttons.get(key) or self._menu_buttons.get(None) or {"type": "default"}

    def _make_set_bot_text(self, attr: str) -> Callable[[Request], bool]:
        def setter(request: Request) -> bool:
            lang = str(request.params.get("language_code") or "")
            self._bot_texts[(attr, lang)] = str(request.params.get(attr) or "")
            return True

        return setter

    def _make_get_bot_text(self, attr: str) -> Callable[[Request], JSONDict]:
        def getter(request: Request) -> JSONDict:
            lang = str(request.params.get("language_code") or "")
            value = self._bot_texts.get((attr, lang), self._bot_texts.get((attr, ""), ""))
            if attr == "name" and not value:
                value = self.bot_first_name
            return {attr: value}

        return getter

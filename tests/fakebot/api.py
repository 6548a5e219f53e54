"""The public :class:`FakeBotApi`: the mixins of this package put together, plus the table that
maps each (lower-cased) Bot API method name to its implementation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.fakebot.calls import CallLogMixin
from tests.fakebot.methods_bot import BotMethods
from tests.fakebot.methods_chats import ChatMethods
from tests.fakebot.methods_edit import EditMethods
from tests.fakebot.methods_media import MediaMethods
from tests.fakebot.methods_messages import MessageMethods
from tests.fakebot.methods_polling import PollingMethods
from tests.fakebot.models import Request
from tests.fakebot.server import ServerMixin
from tests.fakebot.updates import UpdatesMixin
from tests.fakebot.webhook import WebhookDeliveryMixin


class FakeBotApi(
    ServerMixin,
    UpdatesMixin,
    WebhookDeliveryMixin,
    CallLogMixin,
    BotMethods,
    PollingMethods,
    MessageMethods,
    EditMethods,
    MediaMethods,
    ChatMethods,
):
    """A loopback Bot API server that records every call and serves queued updates.

    Typical use::

        api = FakeBotApi()
        api.start()
        app = Application.builder().token(api.token).base_url(api.base_url).build()
        ...
        api.push_message(42, "/start")
        call = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == 42)
        api.stop()

    All public methods are thread-safe; the server runs in a daemon thread.
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "cluster_advisor_bot",
        bot_id: int = 999,
    ) -> None:
        super().__init__(token, bot_username, bot_id)
        self._handlers: dict[str, Callable[[Request], Any]] = self._build_handlers()

    def _build_handlers(self) -> dict[str, Callable[[Request], Any]]:
        handlers: dict[str, Callable[[Request], Any]] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendmessage": self._send_message,
            "sendmediagroup": self._send_media_group,
            "sendlocation": self._send_location,
            "sendvenue": self._send_venue,
            "sendcontact": self._send_contact,
            "senddice": self._send_dice,
            "sendpoll": self._send_poll,
            "forwardmessage": self._forward_message,
            "copymessage": self._copy_message,
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "editmessagemedia": self._edit_message_media,
            "deletemessage": self._delete_message,
            "getfile": self._get_file,
            "getchat": self._get_chat,
            "getchatmember": self._get_chat_member,
            "getchatmembercount": self._get_chat_member_count,
            "getchatadministrators": lambda r: [],
            "setmycommands": self._set_my_commands,
            "deletemycommands": self._delete_my_commands,
            "getmycommands": self._get_my_commands,
            "setchatmenubutton": self._set_chat_menu_button,
            "getchatmenubutton": self._get_chat_menu_button,
        }
        for kind in (
            "photo",
            "document",
            "audio",
            "video",
            "animation",
            "voice",
            "video_note",
            "sticker",
        ):
            method = "send" + kind.replace("_", " ").title().replace(" ", "")
            handlers[method.lower()] = self._make_send_file(kind)
        for name, attr in (
            ("name", "name"),
            ("description", "description"),
            ("shortdescription", "short_description"),
        ):
            handlers[f"setmy{name}"] = self._make_set_bot_text(attr)
            handlers[f"getmy{name}"] = self._make_get_bot_text(attr)
        return handlers

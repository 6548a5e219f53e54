"""Bot API methods that send a non-file message: text, location, venue, contact, dice, poll, and
forwarding / copying an existing message.
"""

from __future__ import annotations

from tests.fakebot.models import ApiError, JSONDict, Request
from tests.fakebot.state import BotApiState
from tests.fakebot.validation import checked_caption, checked_text


class MessageMethods(BotApiState):
    """``sendMessage``, ``sendLocation``, ``sendVenue``, ``sendContact``, ``sendDice``,
    ``sendPoll``, ``forwardMessage``, ``copyMessage``."""

    def _send_message(self, request: Request) -> JSONDict:
        params = request.params
        content: JSONDict = {"text": checked_text(params)}
        if isinstance(params.get("entities"), list):
            content["entities"] = params["entities"]
        return self._new_message(params, content)

    def _send_location(self, request: Request) -> JSONDict:
        params = request.params
        location = {
            "latitude": float(params.get("latitude", 0)),
            "longitude": float(params.get("longitude", 0)),
        }
        return self._new_message(params, {"location": location})

    def _send_venue(self, request: Request) -> JSONDict:
        params = request.params
        location = {
            "latitude": float(params.get("latitude", 0)),
            "longitude": float(params.get("longitude", 0)),
        }
        venue = {
            "location": location,
            "title": params.get("title", ""),
            "address": params.get("address", ""),
        }
        return self._new_message(params, {"venue": venue, "location": location})

    def _send_contact(self, request: Request) -> JSONDict:
        params = request.params
        contact = {
            "phone_number": params.get("phone_number", ""),
            "first_name": params.get("first_name", ""),
        }
        return self._new_message(params, {"contact": contact})

    def _send_dice(self, request: Request) -> JSONDict:
        emoji = request.params.get("emoji") or "🎲"
        return self._new_message(request.params, {"dice": {"emoji": emoji, "value": 4}})

    def _send_poll(self, request: Request) -> JSONDict:
        params = request.params
        # persistent_id / allows_revoting / members_only are required by newer PTB releases
        # (Bot API 9.6+); older releases keep unknown keys in api_kwargs, so always send them.
        options = [
            {
                "text": o.get("text", "") if isinstance(o, dict) else str(o),
                "voter_count": 0,
                "persistent_id": str(i),
            }
            for i, o in enumerate(params.get("options") or [])
        ]
        poll = {
            "id": str(next(self._callback_ids)),
            "question": params.get("question", ""),
            "options": options,
            "total_voter_count": 0,
            "is_closed": bool(params.get("is_closed", False)),
            "is_anonymous": bool(params.get("is_anonymous", True)),
            "type": params.get("type", "regular"),
            "allows_multiple_answers": bool(params.get("allows_multiple_answers", False)),
            "allows_revoting": bool(params.get("allows_revoting", False)),
            "members_only": bool(params.get("members_only", False)),
        }
        return self._new_message(params, {"poll": poll})

    def _source_content(self, params: JSONDict) -> JSONDict:
        from_chat = params.get("from_chat_id")
        source = self._messages.get((from_chat, params.get("message_id")))  # type: ignore[arg-type]
        if source is None:
            raise ApiError(400, "Bad Request: message to copy not found")
        skip = {
            "message_id",
            "from",
            "chat",
            "date",
            "reply_to_message",
            "edit_date",
            "reply_markup",
        }
        return {k: v for k, v in source.items() if k not in skip}

    def _forward_message(self, request: Request) -> JSONDict:
        content = self._source_content(request.params)
        origin = self._messages[(request.params["from_chat_id"], request.params["message_id"])]
        content["forward_origin"] = {
            "type": "user",
            "date": origin["date"],
            "sender_user": origin.get("from", self._bot_user()),
        }
        return self._new_message(request.params, content)

    def _copy_message(self, request: Request) -> JSONDict:
        content = self._source_content(request.params)
        if "caption" in request.params:
            content["caption"] = checked_caption(request.params)
        message = self._new_message(request.params, content)
        return {"message_id": message["message_id"]}

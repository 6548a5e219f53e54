"""Plain records shared by the whole fake: recorded calls, parsed requests, stored files and
Telegram-style API errors.  No behaviour lives here beyond turning an error into its JSON body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSONDict = dict[str, Any]


@dataclass
class Call:
    """One request the bot made to the fake.

    ``status`` and ``response`` are recorded too so that tests can tell a rejected call from an
    accepted one and can read back what the bot was told (see :meth:`FakeBotApi.sent_message`).

    Calls are recorded once answered, except a ``getUpdates`` long poll that has to wait: it is
    recorded on arrival (so a test can wait for "the bot is polling" without waiting out the
    poll) and its ``response`` is filled in when the poll returns.
    """

    method: str
    params: JSONDict
    files: dict[str, bytes]
    at: float
    status: int = 200
    response: Any = None  # the ``result`` on success, the whole error body otherwise


class ApiError(Exception):
    """Raised by method implementations to answer like Telegram does on a failed request."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> JSONDict:
        out: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            out["parameters"] = self.parameters
        return out


@dataclass
class Request:
    """A parsed API request, handed to the method implementations."""

    method: str
    params: JSONDict
    files: dict[str, bytes]
    file_names: dict[str, str] = field(default_factory=dict)
    file_types: dict[str, str] = field(default_factory=dict)
    recorded: Call | None = None  # set when the call had to be recorded before it was answered


@dataclass
class StoredFile:
    """An uploaded (or referenced) file, kept so ``getFile`` and downloads work."""

    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None

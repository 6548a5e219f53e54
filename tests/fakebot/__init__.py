"""A loopback fake of the Telegram Bot API for end-to-end tests of the PTB bot.

Why this exists: the bot's handlers are only trustworthy once they have been driven through the
real python-telegram-bot stack (``Application`` -> ``Updater`` -> ``Bot`` -> HTTP), because that
is where parameter encoding, parse modes, keyboards, flood control and error mapping live.  Mocking
``Bot`` methods skips all of it.  This package therefore speaks the Bot API *wire protocol* on
127.0.0.1 so a test can point ``ApplicationBuilder().base_url(...)`` at it, queue updates the way
Telegram would deliver them, and assert on the calls the bot made.

Only the standard library is used, so the fake works in any environment the tests run in.

Fidelity notes (deliberate, so that bugs that would hit production also show up in tests):

* Requests are parsed the way Telegram accepts them: query string, form-urlencoded, JSON body or
  multipart/form-data.  PTB sends form fields whose non-string values are JSON-encoded, so such
  values are decoded back into Python objects.
* ``getUpdates`` is real long polling (capped at :attr:`FakeBotApi.long_poll_cap` seconds so that
  shutdown stays fast) and honours ``offset``/``limit``.
* Errors are returned with the HTTP status codes and bodies Telegram uses, so PTB raises the same
  exception classes (``RetryAfter``, ``Forbidden``, ``BadRequest``, ``InvalidToken``...).
* Some common real-world rejections are reproduced: empty or too long texts and captions, invalid
  ``callback_data``, malformed HTML / MarkdownV2 markup, "message is not modified" on identical
  edits and deleting an already deleted message.

Layout (each module's docstring says what it owns):

* ``api`` -- :class:`FakeBotApi`, the mixins put together, and the method-name -> handler table.
* ``server`` -- the loopback HTTP server, start/stop, and dispatching each request.
* ``wire`` -- decoding requests (query, form, JSON, multipart) and canonical method names.
* ``state`` -- shared bookkeeping: lock, counters, known chats, users and messages.
* ``updates`` -- ``push_message`` / ``push_callback`` / ``push_update`` for tests.
* ``calls`` -- recorded calls: ``calls``, ``wait_for``, ``sent_message``.
* ``webhook`` -- after ``setWebhook``: POSTing queued updates with the secret header to a
  loopback address the test names (``deliver_webhooks_to``), retried until answered 2xx.
* ``faults`` -- ``fail_next``: injected errors such as 429, 403 or 5xx.
* ``validation`` -- Telegram's checks on HTML / MarkdownV2, lengths and ``callback_data``.
* ``methods_bot``, ``methods_polling``, ``methods_messages``, ``methods_media``, ``methods_edit``,
  ``methods_chats`` -- the Bot API methods, grouped by family.
* ``models`` -- the plain records (``Call``, requests, stored files, API errors).
"""

from tests.fakebot.api import FakeBotApi
from tests.fakebot.models import Call
from tests.fakebot.updates import DEFAULT_GROUP_CHAT_ID
from tests.fakebot.validation import (
    MAX_CALLBACK_DATA_BYTES,
    MAX_CAPTION_LENGTH,
    MAX_MESSAGE_LENGTH,
)

__all__ = [
    "DEFAULT_GROUP_CHAT_ID",
    "MAX_CALLBACK_DATA_BYTES",
    "MAX_CAPTION_LENGTH",
    "MAX_MESSAGE_LENGTH",
    "Call",
    "FakeBotApi",
]

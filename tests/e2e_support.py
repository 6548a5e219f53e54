"""Support for end-to-end tests: the real bot process against the fake Telegram Bot API.

`start_bot` runs `python -m bot.cli run` exactly as a user would (settings from the
environment, a temporary working folder without a developer's .env) against a
`FakeBotApi`; `RunningBot` offers say/press/wait helpers whose timeouts show what the bot
logged. Feature test modules build their own module-scoped fixture with it.
"""

from __future__ import annotations

import functools
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.features import registry
from core.action_plan.schedule import WEEKDAYS
from core.actor import Role
from core.i18n import t as catalogue_text
from core.settings import Settings
from knowledge.base import load_knowledge_base
from tests.conftest import clean_env
from tests.fakebot import Call, FakeBotApi

TOKEN = "123456:TEST-TOKEN-abcdef"
BOT_USERNAME = "cluster_advisor_bot"
BOT_ID = 999

STARTUP_TIMEOUT = 30.0
REPLY_TIMEOUT = 10.0
SILENCE_TIMEOUT = 1.5


@dataclass
class RunningBot:
    """The bot subprocess and the fake it talks to, plus helpers that report the bot's stderr."""

    api: FakeBotApi
    process: subprocess.Popen[bytes]
    stderr_path: Path
    first_call: int = 0  # the fake's call count at launch (a restart: the old process's before)

    def stderr(self, tail: int = 6000) -> str:
        try:
            text = self.stderr_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "<no stderr file>"
        return text[-tail:]

    def describe(self) -> str:
        return (f"bot process returncode={self.process.poll()!r}; "
                f"bot stderr (tail):\n{self.stderr()}")

    def wait_for(self, method: str, predicate: Callable[[Call], bool] | None = None,
                 timeout: float = REPLY_TIMEOUT, *, after: int = 0) -> Call:
        """Like FakeBotApi.wait_for, but a timeout also shows what the bot logged."""
        try:
            return self.api.wait_for(method, predicate, timeout, after=after)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n\n{self.describe()}") from None

    def wait_until_polling(self, timeout: float) -> None:
        """Wait for the first getUpdates and for the bot's introduction (menus and
        descriptions, set once polling runs; its last call is the short description for
        all languages), failing fast (with stderr) if the bot exits first."""
        deadline = time.monotonic() + timeout
        for method, wanted in (("getUpdates", None), ("setMyShortDescription", introduced)):
            while True:
                try:
                    self.api.wait_for(method, wanted, timeout=0.25, after=self.first_call)
                    break
                except AssertionError:
                    if self.process.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError(
                            f"the bot did not start polling within {timeout:g}s\n"
                            f"{self.describe()}") from None

    def reply_to(self, chat_id: int, *, after: int, timeout: float = REPLY_TIMEOUT) -> Call:
        """The next sendMessage into `chat_id` after call index `after`; it must be accepted."""
        call = self.wait_for("sendMessage", lambda c: c.params.get("chat_id") == chat_id,
                             timeout, after=after)
        assert call.status == 200, f"Telegram rejected the reply: {call.response}\n{call.params}"
        return call

    def say(self, user_id: int, text: str, *, language_code: str = "de",
            **kwargs: Any) -> Call:
        """A user writes `text` in their private chat; returns the bot's reply."""
        mark = self.api.mark()
        self.api.push_message(user_id, text, language_code=language_code, **kwargs)
        return self.reply_to(user_id, after=mark)

    def stop(self, timeout: float = 15.0) -> int:
        """Stop the bot like Ctrl-C does; kill it if it does not end in time."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
                raise AssertionError(
                    f"the bot did not stop within {timeout:g}s of SIGINT\n{self.describe()}"
                ) from None
        return self.process.returncode

    def close(self) -> int:
        """Stop the bot, then the fake server."""
        try:
            return self.stop()
        finally:
            self.api.stop()


def quiet_hours() -> dict[str, str]:
    """Settings under which no reminder or weekly digest is due before 23:59 today.

    A fresh bot sends a digest it missed this week as soon as a manager is known, and it
    would race a test's reply to that manager; tests of reminders set their own times."""
    zone = ZoneInfo(Settings.model_fields["timezone"].default)
    return {"REMINDER_TIME": "23:59", "DIGEST_WEEKDAY": WEEKDAYS[datetime.now(zone).weekday()]}


def introduced(call: Call) -> bool:
    """The introduction's last call: the short description without a language."""
    return not call.params.get("language_code")


def start_bot(workdir: Path, **settings: str) -> RunningBot:
    """Start the fake Bot API and the bot process polling it; stop with `RunningBot.close()`.

    `settings` are extra environment variables (MANAGER_IDS="1,2", CLUSTER_NAME=...).
    """
    api = FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME, bot_id=BOT_ID)
    api.start()
    env = clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=api.base_url,
        DATABASE_URL=f"sqlite:///{workdir / 'e2e.sqlite3'}",
        **(quiet_hours() | settings),
    )
    env["PYTHONUNBUFFERED"] = "1"
    stderr_path = workdir / "bot.stderr.log"
    with open(workdir / "bot.stdout.log", "wb") as stdout, open(stderr_path, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"],
            cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
        )
    running = RunningBot(api, process, stderr_path)
    try:
        running.wait_until_polling(STARTUP_TIMEOUT)
    except BaseException:
        running.close()
        raise
    return running


def t(lang: str, key: str, **values: object) -> str:
    """The catalogue text the bot should send (the bot process reads the same catalogue)."""
    return catalogue_text(lang, key, **values)


def prefix(lang: str, key: str, placeholder: str) -> str:
    """The part of a catalogue text before `{placeholder}` (for texts with dynamic parts)."""
    return t(lang, key, **{placeholder: "\0"}).split("\0")[0]


@functools.cache
def _knowledge() -> Any:
    return load_knowledge_base()


def title(entry_id: str, lang: str) -> str:
    """An entry's title from the knowledge base, as the answer card's first line shows it."""
    entry = _knowledge().get(entry_id)
    assert entry is not None, f"knowledge entry {entry_id!r} is gone; update the test"
    return entry.title[lang]


def command_names(role_name: str) -> list[str]:
    """The command table's commands for a role, in menu order."""
    return [command.name for command in registry().commands_for(Role(role_name))]


def buttons(call: Call) -> list[dict[str, Any]]:
    """The inline buttons of a sendMessage/editMessageText call, row by row flattened."""
    markup = call.params.get("reply_markup")
    if not isinstance(markup, dict):
        return []
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def button_data(call: Call) -> list[str]:
    return [str(button.get("callback_data")) for button in buttons(call)]


def visible(bot: RunningBot, call: Call) -> str:
    """The text as the user sees it (HTML applied by the fake, which also validated it)."""
    return str(bot.api.sent_message(call)["text"])


def press(bot: RunningBot, user_id: int, data: str, message: dict[str, Any], *,
          language_code: str = "de") -> tuple[int, str]:
    """Press a button under `message`; returns (call mark before the press, callback id)."""
    mark = bot.api.mark()
    update = bot.api.push_callback(user_id, data, message=message, language_code=language_code)
    return mark, str(update["callback_query"]["id"])


def wait_answered(bot: RunningBot, query_id: str, *, after: int) -> Call:
    call = bot.wait_for("answerCallbackQuery",
                        lambda c: str(c.params.get("callback_query_id")) == query_id,
                        after=after)
    assert call.status == 200, call.response
    return call


def index_of(bot: RunningBot, call: Call) -> int:
    return next(i for i, c in enumerate(bot.api.get_calls()) if c is call)


def calls_into(bot: RunningBot, chat_id: int, *, after: int,
               methods: tuple[str, ...] = ("sendMessage", "editMessageText")) -> list[Call]:
    return [c for c in bot.api.get_calls()[after:]
            if c.method in methods and c.params.get("chat_id") == chat_id]


def push_private_update(bot: RunningBot, user_id: int, content: dict[str, Any], *,
                        language_code: str = "de", message_id: int) -> None:
    """A private message with arbitrary content (sticker, photo...), as Telegram sends it."""
    user = {"id": user_id, "is_bot": False, "first_name": "Test",
            "language_code": language_code}
    bot.api.push_update({"message": {
        "message_id": message_id,
        "from": user,
        "chat": {"id": user_id, "type": "private", "first_name": "Test"},
        "date": 1_700_000_000,
        **content,
    }})


# ---------------------------------------------------------------------------------- start-up

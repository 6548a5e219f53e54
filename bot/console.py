"""The console chat: the same conversation as Telegram, on standard input and output.

Lines starting with / are commands, a number presses one of the last reply's choices, and
anything else is a question. It reads line by line, so piped input works and the chat ends
cleanly at the end of input.
"""

from __future__ import annotations

import html
import logging
import re
import sys
from pathlib import Path
from typing import TextIO

from core.actor import Actor, Role
from core.i18n import t
from core.identity import CONSOLE_USER_ID, identify
from core.parsing import is_number
from core.reply import Choice, Reply, to_plain_text
from core.router import handle_text, press_button, run_command
from core.services import Services

logger = logging.getLogger(__name__)
COMMAND_PATTERN = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)


class ConsoleChat:
    """Adapter between lines of text and the transport-free core."""

    def __init__(self, services: Services, *, role: Role = Role.MANAGER,
                 output: TextIO = sys.stdout, download_dir: Path = Path("data/downloads")):
        self.services = services
        self.role = role
        self.output = output
        self.download_dir = download_dir
        self.choices: list[Choice] = []

    def actor(self) -> Actor:
        return identify(self.services, user_id=CONSOLE_USER_ID, chat_id=CONSOLE_USER_ID,
                        name="Console", username=None, language_code=None,
                        role_override=self.role)

    def handle_line(self, line: str) -> Reply:
        """Turn one input line into the core's reply."""
        actor = self.actor()
        text = line.strip()
        if is_number(text) and self.choices:
            number = int(text)
            if 1 <= number <= len(self.choices):
                return press_button(self.services, actor, self.choices[number - 1].data)
            return Reply(t(actor.language, "console_no_such_choice", number=number))
        command = COMMAND_PATTERN.match(text)
        if command:
            return run_command(self.services, actor, command.group(1), command.group(2) or "")
        if text.startswith("/"):
            return Reply(t(actor.language, "unknown_command", command=html.escape(text[1:40])))
        return handle_text(self.services, actor, text)

    def safe_reply(self, line: str) -> Reply:
        """Like Telegram's error handler: one failing line is logged, the chat goes on."""
        try:
            return self.handle_line(line)
        except Exception:
            logger.exception("Console line failed: %r", line[:200])
            return Reply(t("de", "error") + "\n" + t("en", "error"))

    def show(self, reply: Reply) -> None:
        """Print a reply with its choices numbered and its files saved to disk."""
        print(to_plain_text(reply.text), file=self.output)
        self.choices = reply.flat_choices
        for number, choice in enumerate(self.choices, start=1):
            print(f"  [{number}] {to_plain_text(choice.label)}", file=self.output)
        for attachment in reply.attachments:
            self.download_dir.mkdir(parents=True, exist_ok=True)
            path = self.download_dir / Path(attachment.filename).name
            path.write_bytes(attachment.content)
            print(f"  📎 {path} ({len(attachment.content):,} bytes)", file=self.output)
        for outgoing in reply.extra:
            print(f"  ✉️ → {outgoing.chat_id}: {to_plain_text(outgoing.reply.text)}",
                  file=self.output)
        print(file=self.output)
        self.output.flush()

    def run(self, lines: TextIO = sys.stdin) -> None:
        """Chat until the end of input."""
        actor = self.actor()
        role_name = t(actor.language, f"role_{self.role.value}")
        print(to_plain_text(t(actor.language, "console_intro", role=role_name,
                              cluster=html.escape(self.services.settings.cluster_name))),
              file=self.output)
        interactive = lines.isatty()
        while True:
            if interactive:
                print("> ", end="", file=self.output, flush=True)
            line = lines.readline()
            if not line:
                break
            self.show(self.safe_reply(line))

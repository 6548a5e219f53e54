"""Logging set-up: one format, and neither the bot token nor the webhook secret ever reaches
a log line."""

from __future__ import annotations

import logging

from core.settings import Settings


class RedactingFormatter(logging.Formatter):
    """Format as usual, then replace the bot token wherever it appears — in messages,
    request URLs and tracebacks alike (PTB's InvalidToken message contains the token) — and
    the webhook secret (PTB logs setWebhook's parameters at DEBUG)."""

    def __init__(self, fmt: str, token: str | None, secret: str | None = None) -> None:
        super().__init__(fmt)
        self.token = token
        self.secret = secret

    def format(self, record: logging.LogRecord) -> str:
        text = redact(super().format(record), self.token)
        return text.replace(self.secret, "<WEBHOOK_SECRET>") if self.secret else text


def redact(text: str, token: str | None) -> str:
    """`text` with the token (and its secret half) replaced."""
    if not token:
        return text
    text = text.replace(token, "<TOKEN>")
    secret = token.partition(":")[2]
    return text.replace(secret, "<TOKEN>") if len(secret) >= 8 else text


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# libraries that talk too much: request URLs at INFO (with the token), scheduler runs,
# migrations; matplotlib's one-off "building the font cache" warning is noise in a chat
QUIET_LOGGERS = {"httpx": logging.WARNING, "apscheduler": logging.WARNING,
                 "alembic": logging.WARNING, "matplotlib": logging.ERROR}


def configure_logging(settings: Settings) -> None:
    """One format on standard error; the token never reaches a log line."""
    handler = logging.StreamHandler()
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    handler.setFormatter(RedactingFormatter(LOG_FORMAT, settings.token, secret))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    for chatty, level in QUIET_LOGGERS.items():
        logging.getLogger(chatty).setLevel(level)

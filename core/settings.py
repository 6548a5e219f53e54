"""The one typed settings object, read once at start-up from the environment and `.env`.

Nothing else in the code base reads environment variables: the CLI builds `Settings` with
`load_settings()` and passes it on. Errors are turned into one line that names the setting
and the fix, because a newcomer editing `.env` should not have to read a traceback.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///data/cluster_advisor.sqlite3"
TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{8,}$")
Language = Literal["de", "en"]
MAX_TELEGRAM_ID = 2**52  # Telegram promises user ids fit in 52 bits (and a BIGINT column)
MAX_REMINDER_OFFSET_DAYS = 365
# Telegram allows 1-256 of these characters in a webhook's secret token; we ask for 16 at least
WEBHOOK_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,256}$")
HEALTH_PATH = "/healthz"


class SettingsError(Exception):
    """A setting is missing or invalid; the message is one line meant for the operator."""


class Settings(BaseSettings):
    """Every setting of the bot; `.env.example` documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    database_url: str = DEFAULT_DATABASE_URL
    manager_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_language: Language = "de"
    timezone: str = "Europe/Berlin"
    cluster_name: str = Field(default="Cluster", min_length=1, max_length=80)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # action plan reminders (issue #3)
    reminder_offsets: Annotated[tuple[int, ...], NoDecode] = (14, 3, 0)
    reminder_time: time = time(9, 0)
    digest_weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    # members (issue #4)
    invite_valid_days: int = Field(default=14, ge=1, le=365)
    contact_requests_per_day: int = Field(default=10, ge=1, le=1000)
    # funding (issue #5): the year the cluster was founded, for the life-cycle curve
    cluster_founded: int | None = Field(default=None, ge=1900, le=2100)
    # webhook mode (issue #11): used by `cluster-advisor run --webhook` only
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    # where the matchmaking index is saved between runs (issue #11); empty: beside the
    # SQLite file, or data/cache under the working directory for PostgreSQL
    cache_dir: Path | None = None
    # flood limit (issue #11): Telegram's ~30 messages a second; more only for paid broadcasts
    telegram_messages_per_second: int = Field(default=30, ge=1, le=1000)

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not TOKEN_PATTERN.match(value.strip()):
            raise ValueError("must look like 123456789:AA... as given by @BotFather")
        return value.strip()

    @field_validator("telegram_api_base_url")
    @classmethod
    def _base_url_shape(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+(/\S*)?$", value):
            raise ValueError("must be an http(s) URL such as https://api.telegram.org/bot")
        return value

    @field_validator("manager_ids", mode="before")
    @classmethod
    def _parse_manager_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            bad = [part for part in parts
                   if not (part.lstrip("-").isascii() and part.lstrip("-").isdigit())]
            if bad:
                raise ValueError(f"must be comma-separated Telegram user ids, not {bad[0]!r}")
            ids = frozenset(int(part) for part in parts)
            wrong = [i for i in sorted(ids) if not 0 < i <= MAX_TELEGRAM_ID]
            if wrong:
                raise ValueError(f"{wrong[0]} is not a Telegram user id (a positive number "
                                 "of at most 15 digits, ask @userinfobot)")
            return ids
        return value

    @field_validator("reminder_offsets", mode="before")
    @classmethod
    def _parse_offsets(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not parts or not all(part.isascii() and part.isdigit() for part in parts):
                raise ValueError("must be comma-separated whole days before the deadline, "
                                 "e.g. 14,3,0")
            offsets = tuple(sorted({int(part) for part in parts}, reverse=True))
            if offsets[0] > MAX_REMINDER_OFFSET_DAYS:
                raise ValueError(f"{offsets[0]} days is more than a year before the deadline "
                                 f"(at most {MAX_REMINDER_OFFSET_DAYS})")
            return offsets
        return value

    @field_validator("cluster_founded", "cache_dir", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _webhook_url_shape(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str):
            return value
        parts = urlsplit(value.strip())
        if (parts.scheme not in ("http", "https") or not parts.hostname or parts.fragment
                or re.search(r"\s", value.strip())):
            raise ValueError("must be the public https URL Telegram sends updates to, "
                             "e.g. https://bot.example.org/telegram")
        if (parts.path.rstrip("/") or "/") == HEALTH_PATH:
            raise ValueError(f"must not end in {HEALTH_PATH}, the health check's path")
        return value.strip()

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _webhook_secret_shape(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not WEBHOOK_SECRET_PATTERN.match(value.strip()):
            raise ValueError("must be 16 to 256 characters A-Z, a-z, 0-9, _ or -; make one "
                             "with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'")
        return value.strip()

    @field_validator("webhook_listen")
    @classmethod
    def _webhook_listen_address(cls, value: str) -> str:
        try:
            ipaddress.ip_address(value.strip())
        except ValueError:
            raise ValueError("must be an IP address to listen on, such as 127.0.0.1 "
                             "(behind a reverse proxy) or 0.0.0.0 (all interfaces)") from None
        return value.strip()

    @field_validator("default_language", mode="before")
    @classmethod
    def _lower_language(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("must be an IANA time zone such as Europe/Berlin") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _database_scheme(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+", "postgres:")):
            raise ValueError("must start with sqlite:/// or postgresql://")
        return value

    @property
    def token(self) -> str | None:
        """The bot token in clear text, for the Telegram client only (never log it)."""
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class WebhookSettings:
    """What webhook mode needs, complete and checked (see `require_webhook`)."""

    url: str  # the public address given to Telegram
    secret: str  # expected in every request's X-Telegram-Bot-Api-Secret-Token header
    listen: str
    port: int

    @property
    def path(self) -> str:
        """The local path updates arrive at: the URL's own (a proxy passes it on unchanged)."""
        return urlsplit(self.url).path.rstrip("/") or "/"


def require_webhook(settings: Settings) -> WebhookSettings:
    """The webhook settings for `run --webhook`, or SettingsError naming the missing one."""
    if settings.token is None:
        raise SettingsError("Setting TELEGRAM_BOT_TOKEN is required for --webhook: put the "
                            "token from @BotFather into .env or the environment.")
    if settings.webhook_url is None:
        raise SettingsError("Setting WEBHOOK_URL is required for --webhook: the public https "
                            "URL Telegram sends updates to, e.g. https://bot.example.org/telegram "
                            "(see .env.example).")
    if settings.webhook_secret is None:
        raise SettingsError("Setting WEBHOOK_SECRET is required for --webhook: make one with "
                            "python3 -c 'import secrets; print(secrets.token_urlsafe(32))' "
                            "(see .env.example).")
    token_secret = settings.token.partition(":")[2]  # the part after the bot id
    if token_secret in settings.webhook_url:
        raise SettingsError("Invalid setting WEBHOOK_URL: it must not contain the bot token "
                            "(WEBHOOK_SECRET protects the webhook); use a path such as /telegram.")
    return WebhookSettings(url=settings.webhook_url,
                           secret=settings.webhook_secret.get_secret_value(),
                           listen=settings.webhook_listen, port=settings.webhook_port)


def load_settings(env_file: str | Path | None = ".env", **overrides: object) -> Settings:
    """Read the settings once; raise SettingsError with one line naming the bad setting."""
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg, arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsError(
            f"Invalid setting {name}: {message}. Fix it in .env or the environment "
            "(see .env.example)."
        ) from None

"""The one typed settings object, read once at start-up from the environment and `.env`.

Nothing else in the code base reads environment variables: the CLI builds `Settings` with
`load_settings()` and passes it on. Errors are turned into one line that names the setting
and the fix, because a newcomer editing `.env` should not have to read a traceback.
"""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///data/cluster_advisor.sqlite3"
TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{8,}$")
Language = Literal["de", "en"]
MAX_TELEGRAM_ID = 2**52  # Telegram promises user ids fit in 52 bits (and a BIGINT column)
MAX_REMINDER_OFFSET_DAYS = 365


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

    @field_validator("cluster_founded", mode="before")
    @classmethod
    def _empty_year(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

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

"""Shared fixtures: settings that never read a developer's .env, throwaway databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.features import registry
from core.actor import Actor, Role
from core.identity import identify
from core.services import Services, build_services
from core.settings import Settings, load_settings

SETTING_NAMES = [name.upper() for name in Settings.model_fields]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees settings from the machine's environment."""
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)


def clean_env(**values: str) -> dict[str, str]:
    """Environment for a subprocess: the machine's, minus our settings, plus `values`."""
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    env.update(values)
    return env


def _postgres_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


@contextmanager
def fresh_database(base_url: str, prefix: str = "ca_test") -> Iterator[str]:
    """A new, empty PostgreSQL database next to `base_url`'s; dropped afterwards."""
    from storage.engine import normalise_url

    url = make_url(normalise_url(base_url))
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session (skipped without TEST_DATABASE_URL)."""
    base = _postgres_url()
    if base is None:
        pytest.skip("TEST_DATABASE_URL is not set")
    with fresh_database(base) as url:
        yield url


DATABASES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A SQLite file always, and PostgreSQL too when TEST_DATABASE_URL is set."""
    if request.param == "postgresql":
        url: str = request.getfixturevalue("postgres_database")
        return url
    return f"sqlite:///{tmp_path / 'advisor.sqlite3'}"


@pytest.fixture(params=DATABASES)
def own_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of this test's own (races and restarts need a clean slate): a SQLite file,
    and a fresh PostgreSQL database, dropped afterwards, when TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'advisor.sqlite3'}"
        return
    base = _postgres_url()
    if base is None:
        pytest.skip("TEST_DATABASE_URL is not set")
    with fresh_database(base) as url:
        yield url


def make_settings(database_url: str, **overrides: object) -> Settings:
    return load_settings(None, database_url=database_url, **overrides)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(f"sqlite:///{tmp_path / 'advisor.sqlite3'}", manager_ids="42")


def start_services(settings: Settings, *, upgrade: bool = True) -> Services:
    """Services with every feature of the bot, as `cluster-advisor` starts them."""
    return build_services(settings, registry(), upgrade=upgrade)


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    built = start_services(settings)
    yield built
    built.close()


def actor(services: Services, user_id: int = 7, *, language_code: str = "de",
          role: Role | None = None) -> Actor:
    """Identify a user the way a transport would."""
    return identify(services, user_id=user_id, chat_id=user_id, name=f"User {user_id}",
                    username=f"user{user_id}", language_code=language_code,
                    role_override=role)

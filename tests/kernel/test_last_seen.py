"""Per-update cost on both databases: an update that changes nothing writes nothing.

The bot keeps no per-message "last seen" time: the member row is written on first contact
and afterwards only when something Telegram reports has changed (name, @username) or a
"blocked the bot" mark is cleared (`storage.accounts.queries.touch_member`). These tests
count the statements SQLAlchemy sends for the everyday read-only updates of a known member —
a greeting, /start, /topics, /language, /privacy, a topic button — on SQLite and, with
TEST_DATABASE_URL, on PostgreSQL (`tests/kernel/test_throttle_cost.py` checks SQLite's own
trace and its WAL/synchronous settings).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from core.actor import Actor
from core.feature import GroupPost
from core.identity import identify
from core.router import handle_text, press_button, run_command
from core.services import Services
from tests.conftest import make_settings, start_services

USER = 4712
READS = ("SELECT", "PRAGMA", "SHOW")


@pytest.fixture
def db_services(database_url: str) -> Iterator[Services]:
    built = start_services(make_settings(database_url))
    yield built
    built.close()


def record_statements(services: Services) -> list[str]:
    """Every statement sent from now on (both drivers go through this event)."""
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(services.engine, "before_cursor_execute", before)
    return seen


def writes(statements: list[str]) -> list[str]:
    return [s for s in statements if not s.upper().startswith(READS)]


def member(services: Services, name: str = "Berta Beispiel",
           username: str | None = "berta") -> Actor:
    return identify(services, user_id=USER, chat_id=USER, name=name, username=username,
                    language_code="de")


def everyday_updates(services: Services) -> None:
    """What a known member does most besides asking (an answer is logged, for feedback):
    look around, press a topic button, say hello."""
    handle_text(services, member(services), "Hallo")
    for command in ("start", "topics", "language", "privacy"):
        run_command(services, member(services), command, "")
    topics = run_command(services, member(services), "topics", "")
    first_button = topics.choices[0][0].data
    press_button(services, member(services), first_button)


def test_a_known_member_reading_and_asking_writes_nothing(db_services: Services) -> None:
    seen = record_statements(db_services)
    everyday_updates(db_services)  # first contact: the member row is created
    assert any(s.upper().startswith("INSERT INTO MEMBER") for s in seen), seen
    seen.clear()
    everyday_updates(db_services)
    everyday_updates(db_services)
    assert seen, "the reads were recorded"
    assert writes(seen) == [], writes(seen)


def test_a_changed_telegram_name_or_username_is_one_update(db_services: Services) -> None:
    seen = record_statements(db_services)
    member(db_services)
    seen.clear()
    member(db_services, name="Berta Neu")
    assert [s for s in writes(seen)] and all(
        s.upper().startswith("UPDATE MEMBER") for s in writes(seen)), writes(seen)
    seen.clear()
    member(db_services, name="Berta Neu", username="berta_neu")
    assert len(writes(seen)) == 1, writes(seen)
    seen.clear()
    member(db_services, name="Berta Neu", username="berta_neu")
    assert writes(seen) == []


def test_a_post_in_a_group_that_is_not_linked_records_nobody(db_services: Services) -> None:
    seen = record_statements(db_services)
    post = GroupPost(chat_id=-100_555, user_id=USER + 1, name="Somebody", username="somebody",
                     language_code="de")
    assert db_services.registry.watch_group(db_services, post) == []
    assert writes(seen) == [], writes(seen)

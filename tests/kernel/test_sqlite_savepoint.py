"""A unit of work that opens its transaction with a SAVEPOINT (`session.begin_nested()`) on
SQLite, reads, and then writes while another connection commits in between: it must wait
for its turn, not fail with "database is locked". Found by bench/bench_soak.py: a member's
press on "register" for an event failed that way while the reminder pass wrote."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from core.events.browse import press_register
from core.i18n import t
from core.services import Services
from storage.engine import make_engine, session_scope
from tests.conftest import make_settings, start_services
from tests.events.support import MANAGER, create, event_line, manager, person, tomorrow

MEMBER, OTHER = 940_001, 940_002


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = start_services(make_settings(f"sqlite:///{tmp_path / 'race.sqlite3'}",
                                         manager_ids=str(MANAGER)))
    yield built
    built.close()


def _writer(url: str, started: threading.Event, errors: list[BaseException]) -> None:
    """Another connection (another user's update, the reminder pass) writing and committing."""
    other = make_engine(url)
    try:
        with other.begin() as connection:
            started.set()
            connection.execute(text("UPDATE member SET name = 'Changed meanwhile' "
                                    "WHERE telegram_id = :id"), {"id": OTHER})
    except BaseException as exc:  # noqa: BLE001  (shown by the test)
        errors.append(exc)
    finally:
        other.dispose()


def _commit_elsewhere_before(engine: Engine, table: str, url: str,
                             errors: list[BaseException]) -> list[threading.Thread]:
    """Just before the first INSERT INTO `table`, let another connection try to commit a
    write (waiting at most a second for it: a unit holding the write lock keeps it out)."""
    threads: list[threading.Thread] = []

    def before(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if threads or not statement.startswith(f"INSERT INTO {table}"):
            return
        started = threading.Event()
        writer = threading.Thread(target=_writer, args=(url, started, errors))
        threads.append(writer)
        writer.start()
        writer.join(timeout=1.0)

    event.listen(engine, "before_cursor_execute", before)
    return threads


def test_registering_while_another_connection_commits_waits_instead_of_failing(
        services: Services) -> None:
    boss = manager(services)
    event_id = create(services, boss, event_line(tomorrow()))
    member = person(services, MEMBER)
    person(services, OTHER)
    errors: list[BaseException] = []
    threads = _commit_elsewhere_before(services.engine, "event_registration",
                                       services.settings.database_url, errors)

    reply = press_register(services, member, event_id)

    for thread in threads:
        thread.join(timeout=10)
    assert threads, "the registration wrote its row"
    assert reply.notice == t("de", "events_registered")
    assert errors == [], "the other connection's write went through as well"
    with session_scope(services.engine) as session:
        registered = session.execute(text(
            "SELECT telegram_id FROM event_registration WHERE event_id = :id"),
            {"id": event_id}).scalars().all()
        renamed = session.execute(text("SELECT name FROM member WHERE telegram_id = :id"),
                                  {"id": OTHER}).scalar_one()
    assert registered == [MEMBER]
    assert renamed == "Changed meanwhile"

"""What one update costs the database: a message that changes nothing writes nothing (no
INSERT/UPDATE, no COMMIT reaches SQLite) — a confident answer writes just its one record
(for its 👍/👎 and /kb_stats) — and SQLite runs in WAL mode with synchronous=NORMAL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text

from core.identity import identify
from core.router import handle_text
from core.services import Services

USER = 4711
READS = ("SELECT", "PRAGMA")


def _statements(services: Services) -> list[str]:
    """Record every SQL statement SQLite itself runs (fresh connections get the tracer)."""
    seen: list[str] = []

    def trace(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.set_trace_callback(seen.append)

    event.listen(services.engine, "connect", trace)
    services.engine.dispose()
    return seen


def _message(services: Services, text_: str, name: str = "Anna Beispiel") -> None:
    actor = identify(services, user_id=USER, chat_id=USER, name=name, username="anna",
                     language_code="de")
    handle_text(services, actor, text_)


def _writes(statements: list[str]) -> list[str]:
    return [s for s in statements if not s.lstrip().upper().startswith(READS)]


def _answer_records(statements: list[str]) -> list[str]:
    return [s for s in _writes(statements) if s.startswith("INSERT INTO answered_question")]


def test_a_known_user_asking_a_known_question_writes_only_the_answer_record(
        services: Services) -> None:
    seen = _statements(services)
    _message(services, "Was ist ein Cluster?")
    assert any("INSERT INTO member" in s for s in seen), "first contact is recorded"
    seen.clear()
    _message(services, "Was ist ein Cluster?")
    _message(services, "Wie finanziert man ein Netzwerk?")
    assert seen, "the tracer saw the reads"
    assert len(_answer_records(seen)) == 2
    others = [s for s in _writes(seen) if s not in _answer_records(seen)]
    assert set(others) <= {"BEGIN ", "COMMIT"} and others.count("COMMIT") == 2, others
    seen.clear()
    _message(services, "hallo")  # a greeting changes nothing
    assert _writes(seen) == [], _writes(seen)


def test_a_changed_name_is_written_once(services: Services) -> None:
    seen = _statements(services)
    _message(services, "Was ist ein Cluster?")
    seen.clear()
    _message(services, "Was ist ein Cluster?", name="Anna Neu")
    assert len([s for s in seen if s.startswith("UPDATE member")]) == 1, seen
    seen.clear()
    _message(services, "Was ist ein Cluster?", name="Anna Neu")
    assert not [s for s in seen if s.startswith("UPDATE member")], seen


def test_sqlite_runs_in_wal_mode_with_synchronous_normal(services: Services) -> None:
    with services.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL

"""Storage on SQLite always, and on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from storage.accounts.queries import get_member, set_language, touch_member
from storage.engine import make_engine, session_scope, upgrade_schema
from storage.questions.unanswered import count_unanswered, log_unanswered, recent_unanswered

BIG_TELEGRAM_ID = 7_123_456_789  # real ids exceed 32 bits


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade_schema(engine)
    yield engine
    engine.dispose()


def test_upgrade_creates_tables_and_can_run_twice(engine: Engine) -> None:
    upgrade_schema(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"member", "unanswered_question", "alembic_version"} <= tables


def test_member_is_created_once_and_follows_telegram_name(engine: Engine) -> None:
    for name in ("Anna", "Anna B."):
        with session_scope(engine) as session:
            touch_member(session=session, telegram_id=BIG_TELEGRAM_ID, name=name,
                         username="anna", language="en")
    with session_scope(engine) as session:
        member = get_member(session=session, telegram_id=BIG_TELEGRAM_ID)
        assert member is not None and member.name == "Anna B." and member.role == "visitor"
        assert member.created_at.tzinfo is not None


def test_language_choice_survives_new_contact(engine: Engine) -> None:
    with session_scope(engine) as session:
        touch_member(session=session, telegram_id=5, name="B", username=None, language="de")
        set_language(session=session, telegram_id=5, language="en")
    with session_scope(engine) as session:
        member = touch_member(session=session, telegram_id=5, name="B", username=None,
                              language="de")
        assert member.language == "en"


def test_failed_unit_of_work_leaves_nothing_behind(engine: Engine) -> None:
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        log_unanswered(session=session, telegram_id=1, language="de", text="half",
                       best_topic=None, score=1)
        session.flush()
        raise RuntimeError("crash in the middle")
    with session_scope(engine) as session:
        assert count_unanswered(session=session) == 0


def test_unanswered_questions_are_grouped_newest_first(engine: Engine) -> None:
    with session_scope(engine) as session:
        for question in ["A?", "B?", "A?", "C?"]:
            log_unanswered(session=session, telegram_id=BIG_TELEGRAM_ID, language="de",
                           text=question, best_topic=None, score=10)
            session.flush()
    with session_scope(engine) as session:
        summaries = recent_unanswered(session=session, limit=10)
    assert {s.text: s.times for s in summaries} == {"A?": 2, "B?": 1, "C?": 1}
    assert summaries[0].text == "C?"


def test_sqlite_uses_wal_and_busy_timeout(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/nested/dir/db.sqlite3")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    engine.dispose()


def test_writing_again_clears_the_unreachable_mark(engine: Engine) -> None:
    from storage.clock import utcnow

    with session_scope(engine) as session:
        member = touch_member(session=session, telegram_id=9, name="C", username=None,
                              language="de")
        member.unreachable_since = utcnow()
    with session_scope(engine) as session:
        touch_member(session=session, telegram_id=9, name="C", username=None, language="de")
    with session_scope(engine) as session:
        member = get_member(session=session, telegram_id=9)
        assert member is not None and member.unreachable_since is None

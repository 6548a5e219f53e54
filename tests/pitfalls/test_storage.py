"""Self-check results and funding records on SQLite and, with TEST_DATABASE_URL, PostgreSQL:
big Telegram ids, latest results per person, one record per year, the privacy contract."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from core.pitfalls.content import PITFALL_IDS
from storage.clock import utcnow
from storage.engine import make_engine, session_scope, upgrade_schema
from storage.pitfalls.funding import (
    funding_years,
    save_funding,
    store_founded_year,
    stored_founded_year,
)
from storage.pitfalls.privacy import forget_member, member_data
from storage.pitfalls.selfcheck import (
    add_result,
    last_member_selfcheck,
    latest_member_results,
    latest_results,
)
from storage.pitfalls.tables import Funding, PitfallSetting, SelfCheckResult

BIG = 7_123_456_789  # real Telegram ids exceed 32 bits


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade_schema(engine)
    with engine.begin() as connection:  # the PostgreSQL database is shared by the session
        for table in (SelfCheckResult, Funding, PitfallSetting):
            connection.execute(table.__table__.delete())  # type: ignore[attr-defined]
    yield engine
    engine.dispose()


def scores(value: int) -> dict[str, int]:
    return dict.fromkeys(PITFALL_IDS, value)


def test_latest_result_per_person_counts_only_members(engine: Engine) -> None:
    now = utcnow()
    with session_scope(engine) as session:
        add_result(session=session, telegram_id=BIG, role="member", scores=scores(10),
                   answers={"x": 1}, taken_at=now - timedelta(days=9))
        add_result(session=session, telegram_id=BIG, role="member", scores=scores(90),
                   answers={"x": 5}, taken_at=now - timedelta(days=1))
        add_result(session=session, telegram_id=2, role="manager", scores=scores(50),
                   answers={}, taken_at=now - timedelta(days=3))
        add_result(session=session, telegram_id=3, role="visitor", scores=scores(0),
                   answers={}, taken_at=now)
    with session_scope(engine) as session:
        latest = {r.telegram_id: r.scores["lack_of_openness"]
                  for r in latest_member_results(session=session)}
        assert latest == {BIG: 90, 2: 50}
        mine = latest_results(session=session, telegram_id=BIG, limit=2)
        assert [r.scores["missing_monitoring"] for r in mine] == [90, 10]
        last = last_member_selfcheck(session=session)
        assert last is not None and abs((last.replace(tzinfo=None) - (
            now - timedelta(days=1)).replace(tzinfo=None)).total_seconds()) < 1


def test_one_funding_record_per_year_and_founding_year(engine: Engine) -> None:
    with session_scope(engine) as session:
        save_funding(session=session, year=2024, membership_fees=1, public_funding=900_000_000,
                     services=0, projects=0, updated_by=BIG)
        save_funding(session=session, year=2024, membership_fees=5, public_funding=5,
                     services=0, projects=0, updated_by=None)
        save_funding(session=session, year=2023, membership_fees=1, public_funding=1,
                     services=1, projects=1, updated_by=None)
        store_founded_year(session=session, year=2019)
        store_founded_year(session=session, year=2020)
    with session_scope(engine) as session:
        assert [(r.year, r.total) for r in funding_years(session=session)] == [(2023, 4),
                                                                             (2024, 10)]
        assert stored_founded_year(session=session) == 2020
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(Funding(year=2023))


def test_privacy_contract(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_result(session=session, telegram_id=BIG, role="member", scores=scores(40),
                   answers={"ue_goals_agreed": 2})
        save_funding(session=session, year=2024, membership_fees=1, public_funding=1,
                     services=1, projects=1, updated_by=BIG)
    with session_scope(engine) as session:
        data = member_data(session=session, telegram_id=BIG)
    assert data["selfcheck_results"][0]["answers"] == {"ue_goals_agreed": 2}
    with session_scope(engine) as session:
        forget_member(session=session, telegram_id=BIG, successor_telegram_id=None)
    with session_scope(engine) as session:
        assert session.exec(select(SelfCheckResult)).all() == []
        assert [(r.year, r.updated_by) for r in funding_years(session=session)] == [(2024,
                                                                                      None)]

"""The per-update reads without the ORM (#11): who wrote (`read_member`), the open dialog
(`load_dialog`) and the answer record (`log_answer`) keep the rows the ORM kept, on SQLite
and, with TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from core import dialogs
from core.actor import Role
from core.feature import Feature
from core.identity import identify
from core.services import Services, build_services
from storage.accounts.queries import get_member, read_member
from storage.accounts.tables import Member
from storage.dialogs.state import load_dialog
from storage.dialogs.tables import DialogRow
from storage.engine import session_scope
from storage.questions.feedback import log_answer
from storage.questions.tables import AnsweredQuestion
from tests.conftest import make_settings

USER = 7_123_456_789  # real ids exceed 32 bits


class Promoter:
    """An `identified` hook that makes a visitor a member once told to (as a claimed
    imported profile does)."""

    def __init__(self) -> None:
        self.promote = False
        self.seen: list[Member] = []

    def __call__(self, session: Session, member: Member) -> None:
        self.seen.append(member)
        if self.promote and member.role == "visitor":
            member.role = "member"
            session.add(member)


@pytest.fixture
def hook() -> Promoter:
    return Promoter()


@pytest.fixture
def db_services(own_database_url: str, hook: Promoter) -> Iterator[Services]:
    built = build_services(make_settings(own_database_url),  # a clean slate: same ids as others
                           [Feature(name="promoter", identified=hook)])
    yield built
    built.close()


def _members(services: Services) -> list[Member]:
    with session_scope(services.engine) as session:
        return list(session.exec(select(Member).where(col(Member.telegram_id) == USER)))


def _identify(services: Services, name: str = "Anna") -> Role:
    return identify(services, user_id=USER, chat_id=USER, name=name, username="anna",
                    language_code="en").role


def test_a_known_member_is_read_as_stored(db_services: Services) -> None:
    with db_services.engine.connect() as connection:
        assert read_member(connection=connection, telegram_id=USER) is None
    _identify(db_services)  # first contact
    with db_services.engine.connect() as connection:
        read = read_member(connection=connection, telegram_id=USER)
    with session_scope(db_services.engine) as session:
        loaded = get_member(session=session, telegram_id=USER)
    assert read is not None and loaded is not None
    assert read.model_dump() == loaded.model_dump()


def test_a_hook_may_change_a_member_read_without_the_orm(db_services: Services,
                                                          hook: Promoter) -> None:
    assert _identify(db_services) is Role.VISITOR  # first contact: the ORM records it
    (first,) = _members(db_services)
    hook.promote = True
    assert _identify(db_services) is Role.MEMBER  # unchanged name: read, then changed
    (after,) = _members(db_services)  # the same row, updated, not a second one
    assert (after.id, after.role, after.language) == (first.id, "member", "en")
    assert _identify(db_services, name="Anna B.") is Role.MEMBER  # a new name: the ORM again
    (renamed,) = _members(db_services)
    assert (renamed.id, renamed.name, renamed.role) == (first.id, "Anna B.", "member")
    assert len(hook.seen) == 3


def test_an_abandoned_dialog_is_deleted_and_a_fresh_one_read(db_services: Services) -> None:
    actor = identify(db_services, user_id=USER, chat_id=USER, name="Anna", username=None,
                     language_code="de")
    dialogs.begin(db_services, actor, "profile", "city", {"name": "Anna", "n": 2})
    state = dialogs.current(db_services, actor)
    assert state is not None
    assert (state.feature, state.step, state.data) == ("profile", "city",
                                                       {"name": "Anna", "n": 2})
    with db_services.engine.begin() as connection:
        assert load_dialog(connection=connection, telegram_id=USER,
                           max_age=timedelta(0)) is None  # older than no time at all
    with session_scope(db_services.engine) as session:
        assert session.get(DialogRow, USER) is None
    assert dialogs.current(db_services, actor) is None


def test_an_answer_record_has_every_column_the_model_fills(db_services: Services) -> None:
    with db_services.engine.begin() as connection:
        first = log_answer(connection=connection, telegram_id=USER, entry_id="what_is",
                           language="de", text="Was ist ein Cluster?" * 100)
        second = log_answer(connection=connection, telegram_id=None, entry_id="what_is",
                            language="en", text="What?")
    assert second > first
    with session_scope(db_services.engine) as session:
        row = session.get(AnsweredQuestion, first)
        other = session.get(AnsweredQuestion, second)
    assert row is not None and other is not None
    assert (row.telegram_id, row.entry_id, row.language, len(row.text)) == (
        USER, "what_is", "de", 1000)
    assert row.asked_at is not None and row.vote is None and row.voted_at is None
    assert other.telegram_id is None
